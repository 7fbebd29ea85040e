package io.courier.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** The account subcommands. */
final class AccountScripts {
    static final List<Class<? extends Script>> ALL = List.of(Register.class, Login.class, Logout.class, WhoAmI.class);

    private AccountScripts() {
    }

    @Command(name = "register", description = "Create an account and log in as it (the session is saved).")
    static final class Register extends Script {
        @Parameters(index = "0", paramLabel = "USER")
        String user;
        @Parameters(index = "1", arity = "0..1", paramLabel = "PASSWORD", description = "read from stdin when left out")
        String password;

        @Override
        io.courier.cli.Command command() {
            return new AccountCommand.Register(user, password);
        }
    }

    @Command(name = "login", description = "Log in; the session is saved for later runs until logout.")
    static final class Login extends Script {
        @Parameters(index = "0", paramLabel = "USER")
        String user;
        @Parameters(index = "1", arity = "0..1", paramLabel = "PASSWORD", description = "read from stdin when left out")
        String password;

        @Override
        io.courier.cli.Command command() {
            return new AccountCommand.Login(user, password);
        }
    }

    @Command(name = "logout", description = "Log out and delete the saved session.")
    static final class Logout extends Script {
        @Override
        io.courier.cli.Command command() {
            return new AccountCommand.Logout();
        }
    }

    @Command(name = "whoami", description = "Who is logged in, on which server and device.")
    static final class WhoAmI extends Script {
        @Override
        io.courier.cli.Command command() {
            return new AccountCommand.WhoAmI();
        }
    }
}
