package io.courier.core.error;

/**
 * A failure that a client caused or must know about. It carries an {@link ErrorCode}; adapters turn
 * it into their error frame. It has no stack trace: it is expected control flow, never logged as a
 * crash.
 */
public final class CourierException extends RuntimeException {
    private final ErrorCode code;
    private final String field;
    private final long retryAfterMillis;

    private CourierException(ErrorCode code, String message, String field, long retryAfterMillis) {
        super(message, null, false, false);
        this.code = code;
        this.field = field;
        this.retryAfterMillis = retryAfterMillis;
    }

    public static CourierException of(ErrorCode code) {
        return new CourierException(code, code.message(), null, 0);
    }

    public static CourierException of(ErrorCode code, String message) {
        return new CourierException(code, message, null, 0);
    }

    /** A problem with one named field of the request. */
    public static CourierException field(ErrorCode code, String field, String message) {
        return new CourierException(code, message, field, 0);
    }

    public static CourierException retryAfter(ErrorCode code, long seconds) {
        return new CourierException(code, code.message(), null, Math.max(1, seconds) * 1000);
    }

    public static CourierException retryAfterMillis(ErrorCode code, String message, long millis) {
        return new CourierException(code, message, null, Math.max(1, millis));
    }

    public ErrorCode code() { return code; }

    /** The request field at fault, or null. */
    public String field() { return field; }

    /** Whole seconds (rounded up) a client should wait before trying again, or 0: HTTP's Retry-After. */
    public long retryAfterSeconds() { return Math.ceilDiv(retryAfterMillis, 1000L); }

    /** Milliseconds a client should wait before trying again, or 0. */
    public long retryAfterMillis() { return retryAfterMillis; }
}
