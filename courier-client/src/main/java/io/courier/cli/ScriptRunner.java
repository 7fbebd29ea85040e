package io.courier.cli;

import io.courier.client.http.CourierHttp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import java.util.function.Supplier;

/**
 * Runs one command for a script: results on stdout, the error on stderr, and an exit code that
 * tells what happened ({@link ExitCode}). Nothing is printed but the command's own output, and
 * never in colour.
 */
final class ScriptRunner {
    private final ServerAddress server;
    private final CliEnvironment env;

    ScriptRunner(ServerAddress server, CliEnvironment env) {
        this.server = server;
        this.env = env;
    }

    int run(Supplier<Command> parse) {
        Output out = Output.script(env.out(), env.err());
        try (CourierHttp http = new CourierHttp(server.httpBase());
             Account account = new Account(server, new SessionStore(env.configDir()), http, Clock.systemUTC(),
                     LiveConnection.Setup.quiet())) {
            Command command = parse.get();
            NameResolver names = new NameResolver(http, account::token);
            CommandRunner.create(account, names, out, this::passwordFromStdin, new TimeText(ZoneId.systemDefault()), false)
                    .run(command);
            return ExitCode.OK;
        } catch (RuntimeException e) {
            Failure failure = Failure.of(e, server);
            out.error("courier-cli: " + failure.message());
            return failure.exitCode();
        }
    }

    /** A script gives a password as an argument, or on stdin: {@code echo "$PW" | courier-cli login alice}. */
    private String passwordFromStdin(String prompt) {
        try {
            String line = new BufferedReader(new InputStreamReader(env.in(), StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new UsageException("No password: give it as an argument or as a line on standard input");
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the password from standard input", e);
        }
    }
}
