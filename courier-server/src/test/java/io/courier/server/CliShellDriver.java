package io.courier.server;

import io.courier.cli.ServerAddress;
import io.courier.cli.Shell;
import io.courier.client.Transport;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.fail;

/**
 * One interactive courier-cli in this JVM, typed into through a pipe and read back from a dumb
 * JLine terminal, the way a person would use it (minus the colours a dumb terminal does not get).
 * {@link #type} marks where the output of a command starts; {@link #expect} waits for text after
 * that mark, {@link #expectEventually} anywhere in the output.
 */
final class CliShellDriver implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final String name;
    private final PipedOutputStream keyboard = new PipedOutputStream();
    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final Terminal terminal;
    private final Shell shell;
    private final Thread thread;
    private volatile int mark;

    CliShellDriver(String name, NodeExtension server, Path configDir) {
        this.name = name;
        try {
            PipedInputStream in = new PipedInputStream(keyboard, 64 * 1024);
            this.terminal = TerminalBuilder.builder().name(name).type(Terminal.TYPE_DUMB).streams(in, screen)
                    .encoding(StandardCharsets.UTF_8).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerAddress address = new ServerAddress("127.0.0.1", server.node().httpPort(), server.node().tcpPort(),
                Transport.TCP, "cli-" + name);
        this.shell = new Shell(terminal, address, configDir, Shell.colorWanted(terminal, false), ZoneOffset.UTC);
        this.thread = Thread.ofPlatform().daemon().name("shell-" + name).start(this::runThenClose);
    }

    /** As the launcher does: the shell, then its connection closed (the session stays saved). */
    private void runThenClose() {
        try {
            shell.run();
        } finally {
            shell.close();
        }
    }

    /** Types a line and Enter; what follows is the command's output. */
    void type(String line) {
        mark = output().length();
        try {
            keyboard.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            keyboard.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the text appears after the last {@link #type}; returns the output from there. */
    String expect(String text) {
        return await(text, true);
    }

    /** Waits until the text appears anywhere in the output (messages that arrive by themselves). */
    String expectEventually(String text) {
        return await(text, false);
    }

    /** Waits for the pattern after the last {@link #type}; returns its first group. */
    String expectMatch(String regex) {
        Pattern pattern = Pattern.compile(regex);
        try {
            Matcher m = Awaitility.await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> pattern.matcher(sinceMark()), Matcher::find);
            return m.group(1);
        } catch (ConditionTimeoutException e) {
            // reported below, with what the shell printed
        }
        return fail(name + " never printed a match of " + regex + "; it printed:\n" + sinceMark());
    }

    String output() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    String sinceMark() {
        String all = output();
        return all.substring(Math.min(mark, all.length()));
    }

    /** Leaves the shell as a user does ({@code quit}) and waits for it to end. */
    void quit() {
        type("quit");
        try {
            thread.join(WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            fail(name + "'s shell did not end after quit; it printed:\n" + output());
        }
    }

    boolean isRunning() {
        return thread.isAlive();
    }

    private String await(String text, boolean afterMark) {
        try {
            return Awaitility.await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                    .until(() -> afterMark ? sinceMark() : output(), seen -> seen.contains(text));
        } catch (ConditionTimeoutException e) {
            // reported below, with what the shell printed
        }
        String seen = afterMark ? sinceMark() : output();
        return fail(name + " never printed \"" + text + "\"; it printed:\n" + seen + "\nescaped: "
                + seen.replace("\r", "\\r").replace("\u001b", "\\e").replace("\b", "\\b")
                + "\nshell thread: " + java.util.Arrays.toString(thread.getStackTrace()));
    }

    @Override
    public void close() throws IOException {
        if (thread.isAlive()) {
            keyboard.close();
            try {
                thread.join(WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        terminal.close();
    }
}
