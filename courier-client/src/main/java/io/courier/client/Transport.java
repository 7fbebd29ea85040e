package io.courier.client;

/** Which wire a client speaks: both carry the same protobuf Envelope. */
public enum Transport {
    /** The native TCP port (9100): 4-byte length, then an Envelope. */
    TCP,
    /** WebSocket {@code /ws} on the HTTP port, binary frames. */
    WEBSOCKET
}
