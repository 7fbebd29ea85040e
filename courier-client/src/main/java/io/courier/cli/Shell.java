package io.courier.cli;

import io.courier.client.ClientListener;
import io.courier.client.CourierClient;
import io.courier.client.http.CourierHttp;
import io.courier.client.http.Session;
import io.courier.protocol.v1.SyncResponse;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.completer.ArgumentCompleter;
import org.jline.reader.impl.completer.NullCompleter;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The interactive shell: reads commands with JLine (history, tab completion of command names) and
 * prints incoming messages, receipts and kicks above the line being typed. It runs on any JLine
 * {@link Terminal}: the user's, or a dumb one over pipes in a test.
 */
public final class Shell implements AutoCloseable {
    private final ServerAddress server;
    private final Terminal terminal;
    private final boolean color;
    private final CommandParser parser;
    private final LineReader reader;
    private final Output out;
    private final ShellHelp help;
    private final CourierHttp http;
    private final Account account;
    private final NameResolver names;
    private final TimeText times;
    private final CommandRunner runner;

    /**
     * @param configDir where the session and the history live ({@code ~/.config/courier} and so on)
     * @param color     whether to print in colour; see {@link #colorWanted}
     */
    public Shell(Terminal terminal, ServerAddress server, Path configDir, boolean color, ZoneId zone) {
        this.server = server;
        this.terminal = terminal;
        this.color = color;
        CommandCatalog catalog = CommandCatalog.standard();
        this.parser = new CommandParser(catalog);
        this.reader = lineReader(terminal, catalog, configDir);
        this.out = Output.shell(reader, color);
        this.help = new ShellHelp(catalog, out);
        this.times = new TimeText(zone);
        this.http = new CourierHttp(server.httpBase());
        // printer() needs names (below); it is first called when a connection is made, after this constructor.
        this.account = new Account(server, new SessionStore(configDir), http, Clock.systemUTC(),
                new LiveConnection.Setup(this::printer, notice -> out.print(Tone.NOTICE, notice), true));
        this.names = new NameResolver(http, account::token);
        this.runner = CommandRunner.create(account, names, out, this::askPassword, times, true);
    }

    /** Colour only on a real terminal, and not when the user said no ({@code --no-color}, {@code NO_COLOR}). */
    public static boolean colorWanted(Terminal terminal, boolean refused) {
        Integer colors = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
        return !refused && !terminal.getType().startsWith(Terminal.TYPE_DUMB) && colors != null && colors >= 8;
    }

    /** Reads and runs commands until {@code quit} or end of input; returns the exit code (0). */
    public int run() {
        out.print(Tone.DIM, "Courier at " + server.display() + ". Type help for the commands, quit to leave.");
        resume();
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt());
            } catch (UserInterruptException e) {
                continue; // Ctrl-C drops the line being typed, as a Unix shell does
            } catch (EndOfFileException e) {
                break;
            }
            if (!line.isBlank() && !handle(line)) {
                break;
            }
        }
        return ExitCode.OK;
    }

    /** Runs one line; false when it asks to leave. The shell never stops on a failed command. */
    private boolean handle(String line) {
        try {
            Command command = parser.parse(line);
            if (command instanceof ShellCommand.Quit) {
                return false;
            }
            if (command instanceof ShellCommand.Help h) {
                help.print(h.topic());
            } else {
                runner.run(command);
            }
        } catch (RuntimeException e) {
            out.error(Failure.of(e, server).message());
        }
        return true;
    }

    /** A session saved by an earlier run: connect with it, then say who is logged in and what waits. */
    private void resume() {
        account.session().ifPresent(s -> {
            names.remember(s.userId(), s.username());
            try {
                Optional<SyncResponse> sync = account.connect();
                out.print("Logged in as " + s.username() + " (id " + s.userId() + ", saved session).");
                sync.flatMap(Unread::summary).ifPresent(summary -> out.print(Tone.NOTICE, summary));
            } catch (RuntimeException e) {
                if (Failure.endsSession(e)) {
                    account.sessionEnded();
                } else {
                    out.print("Logged in as " + s.username() + " (id " + s.userId() + ", saved session), but:");
                }
                out.error(Failure.of(e, server).message());
            }
        });
    }

    private ClientListener printer(Session session, CourierClient client) {
        return new EventPrinter(out, new MessageText(names, session.userId(), times), session.userId(), client);
    }

    private String askPassword(String prompt) {
        return reader.readLine(prompt, '*');
    }

    private String prompt() {
        Line prompt = Line.of(Tone.PROMPT, account.session().map(Session::username).orElse("courier")).add("> ");
        return color ? prompt.styled().toAnsi(terminal) : prompt.plain();
    }

    private static LineReader lineReader(Terminal terminal, CommandCatalog catalog, Path configDir) {
        Path historyFile = configDir.resolve("history");
        try {
            PrivateFiles.file(historyFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + historyFile, e);
        }
        // Messages are free text: no quoting, escaping or !history expansion may change them.
        DefaultParser words = new DefaultParser().quoteChars(new char[0]).escapeChars(new char[0]);
        words.setEofOnUnclosedQuote(false);
        return LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("courier-cli")
                .parser(words)
                .completer(new ArgumentCompleter(new StringsCompleter(catalog.names()), NullCompleter.INSTANCE))
                .history(new ShellHistory())
                .variable(LineReader.HISTORY_FILE, historyFile)
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .build();
    }

    /** Closes the connection; the session stays saved for the next run. */
    @Override
    public void close() {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            out.error("Could not save the history: " + e.getMessage());
        }
        account.close();
        http.close();
    }
}
