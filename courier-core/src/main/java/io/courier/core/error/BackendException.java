package io.courier.core.error;

/**
 * A backing service (database, cache, another node) failed or is out of reach. Not the client's
 * fault: adapters answer {@link ErrorCode#UNAVAILABLE} and log it, and the client may retry.
 */
public class BackendException extends RuntimeException {
    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
