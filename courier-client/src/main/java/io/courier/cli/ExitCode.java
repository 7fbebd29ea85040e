package io.courier.cli;

/** The exit codes of non-interactive runs; {@code --help} and docs/cli.md list them. */
final class ExitCode {
    static final int OK = 0;
    /** The server refused the request; stderr has its error code name and message. */
    static final int REFUSED = 1;
    /** The command line is wrong (picocli uses the same number). */
    static final int USAGE = 2;
    /** The server could not be reached, or did not answer in time. */
    static final int UNREACHABLE = 3;
    /** The command needs a session and there is none saved (or the saved one has ended). */
    static final int NOT_LOGGED_IN = 4;
    /** Anything else: a bug in courier-cli. */
    static final int INTERNAL = 5;

    private ExitCode() {
    }
}
