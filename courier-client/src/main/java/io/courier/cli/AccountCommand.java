package io.courier.cli;

/** Accounts and sessions. A null password is asked for. */
sealed interface AccountCommand extends Command {
    record Register(String username, String password) implements AccountCommand {
        @Override
        public boolean needsSession() {
            return false;
        }
    }

    record Login(String username, String password) implements AccountCommand {
        @Override
        public boolean needsSession() {
            return false;
        }
    }

    record Logout() implements AccountCommand {
    }

    record WhoAmI() implements AccountCommand {
    }
}
