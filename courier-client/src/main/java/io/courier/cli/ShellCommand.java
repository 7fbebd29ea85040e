package io.courier.cli;

/** What only the interactive shell knows: its help and leaving it. */
sealed interface ShellCommand extends Command {
    record Help(String topic) implements ShellCommand {
        @Override
        public boolean needsSession() {
            return false;
        }
    }

    /** Leaves the shell; the session stays saved (unlike {@code logout}). */
    record Quit() implements ShellCommand {
        @Override
        public boolean needsSession() {
            return false;
        }
    }
}
