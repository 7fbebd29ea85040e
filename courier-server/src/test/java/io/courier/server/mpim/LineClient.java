package io.courier.server.mpim;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.server.HttpApi;
import io.courier.server.HttpApi.Account;
import org.awaitility.Awaitility;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A raw client of the MPIM line protocol for tests: a plain socket, bytes written as given, and a reader
 * thread that queues every line the server sends (split at "\n", decoded as UTF-8), so that a test reads
 * the exact lines in their order, each within a timeout.
 */
final class LineClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    static final String GREETING = "+OK welcome. Commands: REGISTER/LOGIN/SEND/PULL";

    private final Socket socket;
    private final OutputStream out;
    private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    private final List<String> seen = new ArrayList<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    private LineClient(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            Thread.ofPlatform().daemon().name("line-client-reader").start(() -> {
                ByteArrayOutputStream line = new ByteArrayOutputStream();
                try {
                    for (int b; (b = in.read()) >= 0; ) {
                        if (b == '\n') {
                            inbox.add(line.toString(StandardCharsets.UTF_8));
                            line.reset();
                        } else {
                            line.write(b);
                        }
                    }
                } catch (IOException ignored) {
                    // closed
                }
                closed.countDown();
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects and returns at once, before the greeting. */
    static LineClient open(int port) {
        return new LineClient(port);
    }

    /** Connects and takes the greeting. */
    static LineClient connect(int port) {
        LineClient c = open(port);
        String greeting = c.next();
        if (!GREETING.equals(greeting)) {
            throw new AssertionError("expected the greeting, got: " + greeting);
        }
        return c;
    }

    /** Connects and logs in with LOGIN. */
    static LineClient login(int port, String username, String password) {
        LineClient c = connect(port);
        String answer = c.ask("LOGIN " + username + " " + password);
        if (!answer.startsWith("+OK uid=")) {
            throw new AssertionError("login of " + username + " failed: " + answer);
        }
        return c;
    }

    /** Writes one line ending in "\n". */
    void send(String line) {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a line and returns the next line received. */
    String ask(String line) {
        send(line);
        return next();
    }

    /**
     * Sends a command and returns its answer: the next line that is no MSG line (pushes may come between a
     * command and its answer; they stay to be read).
     */
    String answer(String line) {
        send(line);
        return await(l -> !l.startsWith("MSG "));
    }

    /**
     * Returns once every message this client sent before has been pushed to the devices connected now:
     * the answer to a send comes when the message is stored, its pushes just after, and the writer pushes
     * a batch before it stores the next one. So this sends one more message (to {@code bystanderId}) and
     * waits for its answer. A test that logs a recipient in next knows the earlier messages wait for PULL.
     */
    void settle(long bystanderId) {
        String answer = answer("SEND " + bystanderId + " (settle)");
        if (!answer.startsWith("+OK msg_id=")) {
            throw new AssertionError("settle: " + answer);
        }
    }

    /**
     * Waits until the server has taken {@code user}'s connections out of delivery after they closed, as
     * {@code friend} (whom the user must be friends with) sees it: a message sent from then on waits for
     * PULL instead of being written into a socket the client has just closed.
     */
    static void awaitOffline(HttpApi api, Account friend, Account user) {
        Awaitility.await(user.username() + " offline for " + friend.username()).atMost(WAIT).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10)).until(() -> {
                    for (JsonNode f : api.get("/api/friends", friend.token()).data().path("friends")) {
                        if (f.path("user_id").asLong() == user.id()) {
                            return !f.path("online").asBoolean();
                        }
                    }
                    return true;
                });
    }

    /** The next line not yet taken. */
    String next() {
        if (!seen.isEmpty()) {
            return seen.removeFirst();
        }
        try {
            String line = inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("no line within " + WAIT + (closed.getCount() == 0 ? "; the server closed the connection" : ""));
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The first line (received so far or within the wait) that matches; the others stay, in order. */
    String await(Predicate<String> match) {
        for (int i = 0; i < seen.size(); i++) {
            if (match.test(seen.get(i))) {
                return seen.remove(i);
            }
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    throw new AssertionError("no matching line within " + WAIT + "; unmatched: " + seen);
                }
                if (match.test(line)) {
                    return line;
                }
                seen.add(line);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The lines of a PULL, up to and without its final "+OK pull_done". */
    List<String> pull() {
        send("PULL");
        List<String> lines = new ArrayList<>();
        for (String line; !(line = next()).equals("+OK pull_done"); ) {
            if (!line.startsWith("MSG ")) {
                throw new AssertionError("PULL answered " + line + " after " + lines);
            }
            lines.add(line);
        }
        return lines;
    }

    /** Waits until the server ends the connection; every line it sent before is still readable. */
    boolean awaitClosed(Duration wait) {
        try {
            return closed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
