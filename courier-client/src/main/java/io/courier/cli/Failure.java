package io.courier.cli;

import io.courier.client.CourierClientException;
import io.courier.client.NotConnectedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/** What a failed command tells people (the message) and scripts (the exit code). */
record Failure(int exitCode, String message) {
    /** Refusals that mean the saved session is over: the user has to log in again. */
    private static final Set<String> SESSION_ENDED = Set.of("TOKEN_REVOKED", "TOKEN_INVALID", "TOKEN_EXPIRED",
            "WRONG_TOKEN_TYPE", "UNAUTHENTICATED", "ACCOUNT_DISABLED");

    static Failure of(Throwable thrown, ServerAddress server) {
        Throwable t = Await.unwrap(thrown);
        if (t instanceof UsageException) {
            return new Failure(ExitCode.USAGE, t.getMessage());
        }
        if (t instanceof NotLoggedInException) {
            return new Failure(ExitCode.NOT_LOGGED_IN, t.getMessage());
        }
        if (t instanceof CourierClientException c) {
            if (endsSession(c)) {
                return new Failure(ExitCode.NOT_LOGGED_IN, "Your session has ended (" + c.name() + "): log in again");
            }
            if (c.name().equals("KICKED")) {
                return new Failure(ExitCode.UNREACHABLE, "The server closed the connection (" + c.getMessage() + ")");
            }
            return new Failure(ExitCode.REFUSED, c.name() + ": " + c.getMessage());
        }
        if (t instanceof UncheckedIOException local) {
            return new Failure(ExitCode.INTERNAL, local.getMessage() + ": " + local.getCause());
        }
        if (t instanceof IOException || t instanceof NotConnectedException || t instanceof TimeoutException) {
            return new Failure(ExitCode.UNREACHABLE, "Cannot reach the server at " + server.display() + reason(t));
        }
        return new Failure(ExitCode.INTERNAL, "Unexpected error: " + t);
    }

    static boolean endsSession(Throwable thrown) {
        return Await.unwrap(thrown) instanceof CourierClientException c && SESSION_ENDED.contains(c.name());
    }

    private static String reason(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? " (" + t.getClass().getSimpleName() + ")" : " (" + m + ")";
    }
}
