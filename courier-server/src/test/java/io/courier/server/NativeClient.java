package io.courier.server;

import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Delivery;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Login;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.Text;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A deliberately plain client of the native protocol for tests: a blocking socket, 4-byte length
 * frames, and a reader thread that queues every frame the server sends, so a test can wait for
 * the one it expects and still see everything else.
 */
final class NativeClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    /** Put in the inbox (after every frame read) once the connection ends: a wait fails then, not at its deadline. */
    private static final Envelope CLOSED = Envelope.newBuilder().build();

    private final Socket socket;
    private final DataOutputStream out;
    private final BlockingQueue<Envelope> inbox = new LinkedBlockingQueue<>();
    private final List<Envelope> seen = new ArrayList<>();
    private final AtomicLong requestIds = new AtomicLong();
    private volatile boolean closedByServer;

    NativeClient(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            out = new DataOutputStream(socket.getOutputStream());
            DataInputStream in = new DataInputStream(socket.getInputStream());
            Thread.ofPlatform().daemon().name("native-client-reader").start(() -> {
                try {
                    while (true) {
                        byte[] frame = new byte[in.readInt()];
                        in.readFully(frame);
                        inbox.add(Envelope.parseFrom(frame));
                    }
                } catch (IOException e) { // EOF, reset, closed here: the connection is over
                    closedByServer = true;
                    inbox.add(CLOSED);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Connects and logs in with an access token, as a client that acknowledges delivery (the SDK's
     * at-least-once); returns after the login answer.
     */
    static NativeClient login(int port, String token) {
        return login(port, token, Delivery.ACKED);
    }

    static NativeClient login(int port, String token, Delivery delivery) {
        NativeClient c = new NativeClient(port);
        Envelope answer = c.request(Envelope.newBuilder().setLogin(Login.newBuilder().setToken(token).setDelivery(delivery)));
        if (!answer.hasLoginOk()) {
            throw new AssertionError("login failed: " + answer);
        }
        return c;
    }

    long nextRequestId() {
        return requestIds.incrementAndGet();
    }

    /** Sends a request with a fresh request id and waits for the frame that answers it. */
    Envelope request(Envelope.Builder request) {
        long id = nextRequestId();
        write(request.setRequestId(id).build());
        return await(e -> e.getRequestId() == id);
    }

    Envelope sendText(long to, String clientMsgId, String text) {
        return request(Envelope.newBuilder().setSend(SendMessage.newBuilder().setToUserId(to).setClientMsgId(clientMsgId)
                .setContent(Content.newBuilder().setText(Text.newBuilder().setText(text)))));
    }

    void write(Envelope e) {
        writeRaw(e.toByteArray());
    }

    synchronized void writeRaw(byte[] payload) {
        try {
            out.writeInt(payload.length);
            out.write(payload);
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Bytes exactly as given, framing and all. */
    synchronized void writeBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The first frame (received so far or within the wait) that matches; earlier non-matching frames stay seen. */
    Envelope await(Predicate<Envelope> match) {
        return await(match, WAIT);
    }

    synchronized Envelope await(Predicate<Envelope> match, Duration wait) {
        for (int i = 0; i < seen.size(); i++) {
            if (match.test(seen.get(i))) {
                return seen.remove(i);
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Envelope e = left > 0 ? inbox.poll(left, TimeUnit.NANOSECONDS) : null;
                if (e == null) {
                    throw new AssertionError("no matching frame within " + wait + "; unmatched frames: " + seen);
                }
                if (e == CLOSED) {
                    inbox.add(CLOSED);
                    throw new AssertionError("the connection closed before a matching frame; unmatched frames: " + seen);
                }
                if (match.test(e)) {
                    return e;
                }
                seen.add(e);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Every pushed message that arrives within {@code quiet} of the previous one. */
    synchronized List<Envelope> drainMessages(Duration quiet) {
        List<Envelope> messages = new ArrayList<>();
        seen.removeIf(e -> {
            if (e.hasMessage()) {
                messages.add(e);
                return true;
            }
            return false;
        });
        try {
            for (Envelope e; (e = inbox.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null; ) {
                if (e == CLOSED) {
                    inbox.add(CLOSED);
                    break;
                }
                if (e.hasMessage()) {
                    messages.add(e);
                } else {
                    seen.add(e);
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        return messages;
    }

    /** Waits until the server closes the connection. */
    boolean awaitClosedByServer(Duration wait) {
        try {
            Awaitility.await().atMost(wait).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> closedByServer);
        } catch (ConditionTimeoutException e) {
            return false;
        }
        return true;
    }

    boolean isClosedByServer() {
        return closedByServer;
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
