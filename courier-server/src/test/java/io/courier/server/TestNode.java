package io.courier.server;

import io.courier.server.config.ConfigLoader;
import io.courier.server.config.CourierConfig;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A real node for a test: embedded database in a temporary directory, a free port, and a cheap
 * password hash so that a test can register many users quickly. Everything else is production code.
 */
final class TestNode implements AutoCloseable {
    private final CourierNode node;
    final HttpApi api;

    private TestNode(CourierNode node) {
        this.node = node;
        this.api = new HttpApi("http://127.0.0.1:" + node.httpPort());
    }

    static TestNode start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    static TestNode start(Path dataDir, Map<String, String> settings) {
        return start(dataDir, settings, new TestClock());
    }

    static TestNode start(Path dataDir, Map<String, String> settings, TestClock clock) {
        Map<String, String> all = new HashMap<>(fastSettings(dataDir));
        all.putAll(settings);
        CourierConfig config = ConfigLoader.defaults().with(all);
        return new TestNode(CourierNode.start(config, clock));
    }

    /**
     * Settings every test node shares: its own directory, any free port, a cheap Argon2 cost, and no
     * rate limits (tests send and register in bursts from one address; {@code RateLimitTest} turns
     * them on).
     */
    static Map<String, String> fastSettings(Path dataDir) {
        return Map.of(
                "data.dir", dataDir.toString(),
                "http.port", "0",
                "tcp.port", "0",
                "mpim.port", "0",
                "auth.argon2.memory-kib", "1024",
                "auth.argon2.iterations", "1",
                "limits.enabled", "false");
    }

    CourierNode node() {
        return node;
    }

    @Override
    public void close() {
        node.close();
    }
}
