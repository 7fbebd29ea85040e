package io.courier.client;

/**
 * A request needed the connection and there was none (or it was lost before the answer came).
 * Sends never fail this way: they wait for the next connection and are retried on it.
 */
public class NotConnectedException extends RuntimeException {
    public NotConnectedException(String message) {
        super(message);
    }
}
