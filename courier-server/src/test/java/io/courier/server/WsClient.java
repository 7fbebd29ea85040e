package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.InvalidProtocolBufferException;
import io.courier.protocol.v1.Envelope;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A plain WebSocket client for tests on the JDK's {@link java.net.http.WebSocket}: it queues every
 * message the server sends (text parsed as JSON, binary as an {@link Envelope}), so a test can wait
 * for the one it expects and still see everything else, like {@link NativeClient} does for TCP.
 * Messages that arrive in parts are assembled before they are queued.
 */
public final class WsClient implements AutoCloseable {
    static final Duration WAIT = NativeClient.WAIT;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final WebSocket socket;
    private final Listener listener;
    private final List<Object> seen = new ArrayList<>();

    private WsClient(WebSocket socket, Listener listener) {
        this.socket = socket;
        this.listener = listener;
    }

    /** The URI of the endpoint; {@code query} is appended as is (without the '?'); null for none. */
    static URI uri(int httpPort, String query) {
        return URI.create("ws://127.0.0.1:" + httpPort + "/ws" + (query == null || query.isEmpty() ? "" : "?" + query));
    }

    /** Opens the connection and returns at once, before the server's first frame. */
    static WsClient open(int httpPort, String query) {
        Listener listener = new Listener();
        try {
            WebSocket ws = HTTP.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri(httpPort, query), listener)
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return new WsClient(ws, listener);
        } catch (ExecutionException e) {
            throw new AssertionError("WebSocket connection to " + uri(httpPort, query) + " failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("WebSocket connection to " + uri(httpPort, query) + " failed", e);
        }
    }

    /** Connects with an access token (JSON frames) and returns after the server's login_ok (type 101). */
    public static WsClient connect(int httpPort, String token) {
        WsClient c = open(httpPort, "token=" + token);
        c.await(f -> f.path("type").asInt() == 101);
        return c;
    }

    /** Connects with {@code ?format=protobuf} and returns after the server's binary login_ok. */
    static WsClient connectBinary(int httpPort, String token) {
        WsClient c = open(httpPort, "token=" + token + "&format=protobuf");
        c.awaitBinary(Envelope::hasLoginOk);
        return c;
    }

    /** The refusal of an upgrade that must fail: the HTTP response of the failed handshake. */
    static HttpResponse<?> refusal(int httpPort, String query) {
        try {
            WebSocket ws = HTTP.newWebSocketBuilder().connectTimeout(WAIT).buildAsync(uri(httpPort, query), new Listener())
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            ws.abort();
            throw new AssertionError("the upgrade with " + query + " was accepted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException refused) {
                return refused.getResponse();
            }
            throw new AssertionError("the upgrade failed, but not with an HTTP answer", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    // ---- sending ------------------------------------------------------------------------------

    public synchronized void sendText(String text) {
        complete(socket.sendText(text, true));
    }

    synchronized void sendBinary(Envelope envelope) {
        complete(socket.sendBinary(ByteBuffer.wrap(envelope.toByteArray()), true));
    }

    private static void complete(CompletionStage<WebSocket> send) {
        try {
            send.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("send failed", e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("send failed", e);
        }
    }

    // ---- receiving ----------------------------------------------------------------------------

    /** The first text frame (received so far or within the wait) that matches; earlier others stay seen. */
    public JsonNode await(Predicate<JsonNode> match) {
        return await(match, WAIT);
    }

    JsonNode await(Predicate<JsonNode> match, Duration wait) {
        return awaitOf(JsonNode.class, match, wait);
    }

    /** The first binary frame (received so far or within the wait) that matches. */
    Envelope awaitBinary(Predicate<Envelope> match) {
        return awaitBinary(match, WAIT);
    }

    Envelope awaitBinary(Predicate<Envelope> match, Duration wait) {
        return awaitOf(Envelope.class, match, wait);
    }

    /** The text frame of this type with this request_id. */
    JsonNode awaitReply(int type, long requestId) {
        return await(f -> f.path("type").asInt() == type && f.path("request_id").asLong() == requestId);
    }

    /** The oldest frame not yet taken (a JsonNode or an Envelope), whatever it is. */
    synchronized Object next() {
        if (!seen.isEmpty()) {
            return seen.removeFirst();
        }
        try {
            Object frame = listener.inbox.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no frame within " + WAIT + (listener.closed.getCount() == 0 ? "; closed: " + closeReason() : ""));
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every frame not yet taken that arrives within {@code quiet} of the previous one. */
    synchronized List<Object> drain(Duration quiet) {
        List<Object> out = new ArrayList<>(seen);
        seen.clear();
        try {
            for (Object f; (f = listener.inbox.poll(quiet.toMillis(), TimeUnit.MILLISECONDS)) != null; ) {
                out.add(f);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    private synchronized <T> T awaitOf(Class<T> kind, Predicate<T> match, Duration wait) {
        for (int i = 0; i < seen.size(); i++) {
            if (kind.isInstance(seen.get(i)) && match.test(kind.cast(seen.get(i)))) {
                return kind.cast(seen.remove(i));
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                Object f = left > 0 ? listener.inbox.poll(left, TimeUnit.NANOSECONDS) : null;
                if (f == null) {
                    throw new AssertionError("no matching " + kind.getSimpleName() + " frame within " + wait
                            + "; unmatched frames: " + seen
                            + (listener.closed.getCount() == 0 ? "; closed: " + closeReason() : ""));
                }
                if (kind.isInstance(f) && match.test(kind.cast(f))) {
                    return kind.cast(f);
                }
                seen.add(f);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- closing ------------------------------------------------------------------------------

    /** Waits until the server ends the connection (a close frame, or the TCP connection closed). */
    boolean awaitClosed(Duration wait) {
        try {
            return listener.closed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean isClosed() {
        return listener.closed.getCount() == 0;
    }

    /** From the upgrade to the end of the connection (or to now while it is open). */
    Duration lifetime() {
        long end = isClosed() ? listener.closedAt : System.nanoTime();
        return Duration.ofNanos(end - listener.openedAt);
    }

    /** How the connection ended: "close <code> <reason>" or "error <exception>"; null while open. */
    String closeReason() {
        return listener.closeReason;
    }

    @Override
    public void close() {
        socket.abort();
    }

    /** Queues whole messages; the JDK may hand a message over in several parts. */
    private static final class Listener implements WebSocket.Listener {
        final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
        final CountDownLatch closed = new CountDownLatch(1);
        volatile String closeReason;
        volatile long openedAt;
        volatile long closedAt;
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

        @Override
        public void onOpen(WebSocket ws) {
            openedAt = System.nanoTime();
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String whole = text.toString();
                text.setLength(0);
                JsonNode json;
                try {
                    json = HttpApi.JSON.readTree(whole);
                } catch (IOException notJson) {
                    json = TextNode.valueOf(whole); // kept, so that a test sees it among the unmatched
                }
                inbox.add(json);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            binary.writeBytes(part);
            if (last) {
                byte[] whole = binary.toByteArray();
                binary.reset();
                try {
                    inbox.add(Envelope.parseFrom(whole));
                } catch (InvalidProtocolBufferException e) {
                    inbox.add(TextNode.valueOf("<not an Envelope: " + whole.length + " bytes>"));
                }
            }
            ws.request(1);
            return null;
        }

        private synchronized void ended(String how) {
            if (closed.getCount() > 0) {
                closedAt = System.nanoTime();
                closeReason = how;
                closed.countDown();
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            ended("close " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            ended("error " + error);
        }
    }
}
