package io.courier.core.delivery;

import io.courier.protocol.v1.Envelope;

/**
 * One logged-in device connection, whatever its protocol. Implementations encode for their wire
 * (native TCP, WebSocket binary or JSON), never block, and protect themselves from slow readers.
 */
public interface ClientConnection {
    long userId();

    String deviceId();

    /** The device session (login) this connection was opened with. */
    String sessionId();

    /** Queues a frame for the device; safe from any thread; never blocks. */
    void push(Envelope envelope);

    /** Queues several frames, written together and flushed once. */
    default void pushAll(java.util.List<Envelope> envelopes) {
        envelopes.forEach(this::push);
    }

    /** Sends a kick frame, flushes it, then closes the connection. */
    void kick(String reason);
}
