package io.courier.client;

/**
 * The server refused a request: {@code code} and {@code name} are the stable error codes of
 * docs/protocol.md (the same numbers on every protocol), {@code getMessage()} the server's words.
 */
public class CourierClientException extends RuntimeException {
    private final int code;
    private final String name;

    public CourierClientException(int code, String name, String message) {
        super(message);
        this.code = code;
        this.name = name;
    }

    public int code() {
        return code;
    }

    /** The error code's name, e.g. {@code NOT_FRIENDS}. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + " (" + code + "): " + getMessage();
    }
}
