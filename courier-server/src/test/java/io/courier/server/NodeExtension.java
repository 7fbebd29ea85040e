package io.courier.server;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One real node shared by the tests of a class: started before the first, in its own temporary
 * directory, and stopped (directory removed) after the last.
 * {@code @RegisterExtension static final NodeExtension server = new NodeExtension();}
 */
public final class NodeExtension implements BeforeAllCallback, AfterAllCallback {
    private final Map<String, String> settings;
    private final TestClock clock = new TestClock();
    private Path dir;
    private TestNode node;
    public HttpApi api;

    public NodeExtension() {
        this(Map.of());
    }

    public NodeExtension(Map<String, String> settings) {
        this.settings = settings;
    }

    public CourierNode node() {
        return node.node();
    }

    /** The node's clock: the wall clock, until a test moves it forward. */
    public TestClock clock() {
        return clock;
    }

    /** A directory of this class's own, for tests that start further nodes. */
    Path dir() {
        return dir;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("courier-test");
        node = TestNode.start(dir.resolve("node"), settings, clock);
        api = node.api;
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (node != null) {
            node.close();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
