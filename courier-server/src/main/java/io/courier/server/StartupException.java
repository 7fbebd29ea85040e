package io.courier.server;

/**
 * A start-up failure an operator can fix, told in one line that names what to change (a port in
 * use and its setting, a data directory another server holds): no stack trace.
 */
public final class StartupException extends RuntimeException {
    public StartupException(String message) {
        super(message);
    }

    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
