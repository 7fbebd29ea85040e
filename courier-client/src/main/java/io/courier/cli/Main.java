package io.courier.cli;

import io.courier.client.Transport;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * {@code courier-cli}: without a command, the interactive {@link Shell}; with one, that command run
 * once for a script ({@link Script}), ending with an exit code that tells success from failure.
 */
@Command(name = "courier-cli", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"The Courier command-line client.",
                "Without a command it starts an interactive shell (type help there); with one it runs that command "
                        + "and exits, for scripts."},
        synopsisSubcommandLabel = "[COMMAND]",
        commandListHeading = "%nCommands (each has --help):%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:the server refused the request (its error code name and message go to stderr)",
                "2:usage error (a wrong command line)",
                "3:cannot reach the server",
                "4:not logged in (no saved session, or the saved one has ended)",
                "5:unexpected error (a bug in courier-cli)"},
        footer = {"%nThe session is saved per server in $COURIER_CLI_HOME, else $XDG_CONFIG_HOME/courier, else "
                + "~/.config/courier (mode 0600) and used by later runs until logout. Reference: docs/cli.md"})
public final class Main implements Callable<Integer> {
    @Option(names = "--server", paramLabel = "HOST", defaultValue = "localhost", scope = ScopeType.INHERIT,
            description = "the server's host (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "8080", scope = ScopeType.INHERIT,
            description = "its HTTP port (default: ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--tcp-port", paramLabel = "PORT", defaultValue = "9100", scope = ScopeType.INHERIT,
            description = "its native TCP port (default: ${DEFAULT-VALUE})")
    int tcpPort;

    @Option(names = "--transport", paramLabel = "tcp|ws", defaultValue = "tcp", scope = ScopeType.INHERIT,
            description = "how to connect for messages: native TCP or WebSocket (default: ${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--device", paramLabel = "ID", scope = ScopeType.INHERIT,
            description = "the device id to log in as (default: cli-<hostname>)")
    String device;

    @Option(names = "--no-color", scope = ScopeType.INHERIT,
            description = "no colour in the shell (also when NO_COLOR is set, or output is not a terminal)")
    boolean noColor;

    private final CliEnvironment env;

    private Main(CliEnvironment env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(run(args, CliEnvironment.system()));
    }

    /** Runs the CLI as {@code main} would, but returns the exit code instead of exiting. */
    public static int run(String[] args, CliEnvironment env) {
        return commandLine(env).execute(args);
    }

    /** The root command with every subcommand, writing to the environment's streams. */
    static CommandLine commandLine(CliEnvironment env) {
        CommandLine cli = new CommandLine(new Main(env));
        Stream.of(AccountScripts.ALL, FriendScripts.ALL, ChatScripts.ALL, GroupScripts.ALL)
                .flatMap(java.util.List::stream)
                .forEach(cli::addSubcommand);
        cli.setOut(new PrintWriter(env.out(), true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(env.err(), true, StandardCharsets.UTF_8));
        // Scripts report their own failures (ScriptRunner); what gets here failed the shell's start.
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("courier-cli: " + e.getMessage());
            return e instanceof UsageException ? ExitCode.USAGE : ExitCode.INTERNAL;
        });
        return cli;
    }

    /** No command: the interactive shell. */
    @Override
    public Integer call() throws Exception {
        ServerAddress server = server();
        // The shell's output is stdout: redirected to a file it lands there, through a dumb terminal, without colour.
        try (Terminal terminal = TerminalBuilder.builder().system(true).systemOutput(TerminalBuilder.SystemOutput.SysOut)
                .dumb(true).build();
             Shell shell = new Shell(terminal, server, env.configDir(),
                     Shell.colorWanted(terminal, noColor || env.noColorRequested()), ZoneId.systemDefault())) {
            return shell.run();
        }
    }

    int runOnce(Supplier<io.courier.cli.Command> command) {
        ServerAddress server;
        try {
            server = server();
        } catch (UsageException e) {
            env.err().println("courier-cli: " + e.getMessage());
            return ExitCode.USAGE;
        }
        return new ScriptRunner(server, env).run(command);
    }

    ServerAddress server() {
        Transport t = switch (transport.toLowerCase(Locale.ROOT)) {
            case "tcp" -> Transport.TCP;
            case "ws", "websocket" -> Transport.WEBSOCKET;
            default -> throw new UsageException("--transport is tcp or ws: " + transport);
        };
        for (int port : new int[] {httpPort, tcpPort}) {
            if (port < 1 || port > 65535) {
                throw new UsageException("A port is a number from 1 to 65535: " + port);
            }
        }
        return new ServerAddress(host, httpPort, tcpPort, t, device != null ? device : defaultDevice());
    }

    /** {@code cli-<hostname>}, in the characters a device id may have (1-64 of letters, digits, '_', '.', ':', '-'). */
    static String defaultDevice() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "";
        }
        String id = ("cli-" + host).replaceAll("[^A-Za-z0-9_.:-]", "-");
        return id.length() > 64 ? id.substring(0, 64) : id.equals("cli-") ? "cli" : id;
    }

    /** The version from the jar's manifest (a build from the sources has none). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"courier-cli " + (v != null ? v : "(development build)")};
        }
    }
}
