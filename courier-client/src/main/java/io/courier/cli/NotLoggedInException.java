package io.courier.cli;

/** A command needs a session and there is none: never logged in, logged out, or the session ended. */
final class NotLoggedInException extends RuntimeException {
    NotLoggedInException(String message) {
        super(message);
    }
}
