package io.courier.cli;

/** The user typed something the CLI cannot make sense of; the message says what it expected. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
