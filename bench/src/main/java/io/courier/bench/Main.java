package io.courier.bench;

import io.courier.client.ClientResources;
import io.courier.client.http.CourierHttp;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code courier-bench <scenario> [options]}: runs one scenario against a running server, prints
 * progress and a summary, writes the results, and exits 0 only when every message was delivered
 * once and in order (1 when the run found a fault, 2 for a usage error).
 */
@Command(name = "courier-bench", mixinStandardHelpOptions = true, version = "courier-bench 0.1",
        description = "Load generator for Courier: every scenario checks that each message arrives once, in order.",
        subcommands = {Main.Connections.class, Main.P2p.class, Main.Group.class, Main.Sync.class, Main.Mixed.class,
                Main.ConnectionsWorker.class, Main.Baseline.class})
public final class Main implements Runnable {
    private final PrintStream out;
    private final PrintStream err;
    private final String[] args;

    Main(PrintStream out, PrintStream err, String[] args) {
        this.out = out;
        this.err = err;
        this.args = args;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line and returns the exit code (tests call this instead of main). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        System.setProperty("java.awt.headless", "true"); // charts are drawn off screen
        CommandLine cli = new CommandLine(new Main(out, err, args));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli.execute(args);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(out);
    }

    private int execute(Common common, String scenario, ScenarioBody body) throws Exception {
        String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"));
        Path dir = Report.directory(common.out, scenario, runId);
        Target target = common.target();
        String command = "courier-bench " + String.join(" ", args);
        Map<String, Object> environment = Environment.describe(target, command, common.serverConfig);
        out.println("courier-bench " + scenario + " against " + target.host() + " (" + target.transport() + "), run " + runId);
        try (ClientResources resources = ClientResources.create(common.ioThreads);
             CourierHttp http = target.http();
             Latencies latencies = new Latencies(dir)) {
            RunContext ctx = new RunContext(target, resources, http, dir, err, runId);
            Result result = body.run(ctx, latencies);
            Report.write(dir, environment, result, out);
            return result.passed() ? 0 : 1;
        }
    }

    @FunctionalInterface
    private interface ScenarioBody {
        Result run(RunContext ctx, Latencies latencies) throws Exception;
    }

    @Command(name = "p2p", mixinStandardHelpOptions = true,
            description = "Pairs of users messaging each other: closed loop (--rate 0, the maximum) or open loop at a fixed rate.")
    static final class P2p implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;
        @Mixin
        Common common;
        @Option(names = "--pairs", defaultValue = "50", description = "Pairs of users (default ${DEFAULT-VALUE})")
        int pairs;
        @Option(names = "--window", defaultValue = "16", description = "Closed loop: messages in flight per sender (default ${DEFAULT-VALUE})")
        int window;
        @Option(names = "--rate", defaultValue = "0", description = "Open loop: messages per second in all (0: closed loop)")
        int rate;
        @Mixin
        Timing timing;

        @Override
        public Integer call() throws Exception {
            return main.execute(common, "p2p", (ctx, latencies) -> new P2pScenario(ctx, new P2pScenario.Options(pairs, window, rate,
                    timing.warmupTime(), timing.measuredTime()), latencies).run());
        }
    }

    @Command(name = "baseline", mixinStandardHelpOptions = true,
            description = "The p2p closed loop through a bare Netty router in this process (no server, no storage, no acks):"
                    + " the ceiling that p2p numbers are read against.")
    static final class Baseline implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;
        @Option(names = "--pairs", defaultValue = "50", description = "Pairs of connections (default ${DEFAULT-VALUE})")
        int pairs;
        @Option(names = "--window", defaultValue = "16", description = "Frames in flight per sender (default ${DEFAULT-VALUE})")
        int window;
        @Option(names = "--frame-bytes", defaultValue = "64", description = "Bytes per frame after its length (default ${DEFAULT-VALUE})")
        int frameBytes;
        @Option(names = "--io-threads", defaultValue = "2", description = "Client event loop threads (default ${DEFAULT-VALUE})")
        int ioThreads;
        @Option(names = "--out", defaultValue = "bench-results", description = "Directory for results (default ${DEFAULT-VALUE})")
        Path out;
        @Mixin
        Timing timing;

        @Override
        public Integer call() throws Exception {
            String runId = LocalDateTime.now().format(DateTimeFormatter.ofPattern("MMddHHmmss"));
            Path dir = Report.directory(out, "baseline", runId);
            main.out.println("courier-bench baseline, run " + runId);
            Result result = new BaselineScenario(new BaselineScenario.Options(pairs, window, frameBytes, ioThreads,
                    timing.warmupTime(), timing.measuredTime()), main.err).run();
            Report.write(dir, Environment.describe(null, "courier-bench " + String.join(" ", main.args),
                    "bare Netty router in the load generator's process"), result, main.out);
            return result.passed() ? 0 : 1;
        }
    }

    @Command(name = "group", mixinStandardHelpOptions = true,
            description = "Messages into groups whose members are all online; reports deliveries per second and fan-out latency.")
    static final class Group implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;
        @Mixin
        Common common;
        @Option(names = "--groups", defaultValue = "1", description = "Groups (default ${DEFAULT-VALUE})")
        int groups;
        @Option(names = "--members", defaultValue = "500", description = "Members per group, all online (default ${DEFAULT-VALUE})")
        int members;
        @Option(names = "--senders", defaultValue = "10", description = "Members of each group who send (default ${DEFAULT-VALUE})")
        int senders;
        @Option(names = "--window", defaultValue = "4", description = "Closed loop: messages in flight per sender (default ${DEFAULT-VALUE})")
        int window;
        @Option(names = "--rate", defaultValue = "0", description = "Open loop: messages per second in all (0: closed loop)")
        int rate;
        @Mixin
        Timing timing;

        @Override
        public Integer call() throws Exception {
            return main.execute(common, "group", (ctx, latencies) -> new GroupScenario(ctx, new GroupScenario.Options(groups,
                    members, senders, window, rate, timing.warmupTime(), timing.measuredTime()), latencies).run());
        }
    }

    @Command(name = "sync", mixinStandardHelpOptions = true,
            description = "A user with many offline messages logs in; reports the time until all of them arrived.")
    static final class Sync implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;
        @Mixin
        Common common;
        @Option(names = "--messages", defaultValue = "10000", description = "Offline messages (default ${DEFAULT-VALUE})")
        int messages;
        @Option(names = "--senders", defaultValue = "10", description = "Friends they come from (default ${DEFAULT-VALUE})")
        int senders;
        @Option(names = "--rounds", defaultValue = "3", description = "Rounds, each with new users (default ${DEFAULT-VALUE})")
        int rounds;

        @Override
        public Integer call() throws Exception {
            return main.execute(common, "sync", (ctx, latencies) -> new SyncScenario(ctx,
                    new SyncScenario.Options(messages, senders, rounds)).run());
        }
    }

    @Command(name = "connections", mixinStandardHelpOptions = true,
            description = "Opens many authenticated connections, holds them with heartbeats, reports how many stayed up and what they cost the server.")
    static final class Connections implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;
        @Mixin
        Common common;
        @Option(names = "--connections", defaultValue = "1000", description = "Connections, one user each (default ${DEFAULT-VALUE})")
        int connections;
        @Option(names = "--rate", defaultValue = "500", description = "New connections per second (default ${DEFAULT-VALUE})")
        int rate;
        @Option(names = "--hold", defaultValue = "60", description = "Seconds to hold them (default ${DEFAULT-VALUE})")
        int hold;
        @Option(names = "--local-addresses", split = ",", description = "Source addresses to spread connections over, e.g. 127.0.0.2,127.0.0.3")
        List<InetAddress> localAddresses = new ArrayList<>();
        @Option(names = "--server-pid", defaultValue = "0", description = "The server's pid (same machine): RSS and live heap per connection")
        long serverPid;
        @Option(names = "--processes", defaultValue = "1",
                description = "Load-generator JVMs that open the connections, each at rate/processes with its share of --local-addresses: "
                        + "beyond one process's open-file limit (default ${DEFAULT-VALUE})")
        int processes;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            if (processes < 1 || processes > connections) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--processes must be between 1 and --connections (" + connections + "), not " + processes);
            }
            return main.execute(common, "connections", (ctx, latencies) -> new ConnectionsScenario(ctx,
                    new ConnectionsScenario.Options(connections, rate, Duration.ofSeconds(hold), localAddresses, serverPid,
                            processes, common.ioThreads)).run());
        }
    }

    /** One worker process of {@code connections --processes}: started by that run, not by hand (see {@link Workers}). */
    @Command(name = "connections-worker", hidden = true,
            description = "Opens the connections a connections run hands it on stdin and reports on stdout (internal).")
    static final class ConnectionsWorker implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;
        @Mixin
        Common common;
        @Option(names = "--rate", required = true, description = "New connections per second")
        double rate;
        @Option(names = "--local-addresses", split = ",", description = "Source addresses, taken in turn")
        List<InetAddress> localAddresses = new ArrayList<>();
        @Option(names = "--patience", required = true, description = "Seconds to wait for each word from the parent")
        long patience;

        @Override
        public Integer call() throws Exception {
            return Worker.run(new Worker.Options(common.target(), common.ioThreads, rate, localAddresses, Duration.ofSeconds(patience)),
                    System.in, main.out, main.err);
        }
    }

    @Command(name = "mixed", mixinStandardHelpOptions = true,
            description = "1:1 and group messages at a fixed rate while clients keep reconnecting; every message must still arrive once, in order.")
    static final class Mixed implements Callable<Integer> {
        @CommandLine.ParentCommand
        Main main;
        @Mixin
        Common common;
        @Option(names = "--users", defaultValue = "200", description = "Users, in pairs (default ${DEFAULT-VALUE})")
        int users;
        @Option(names = "--groups", defaultValue = "4", description = "Groups (default ${DEFAULT-VALUE})")
        int groups;
        @Option(names = "--group-size", defaultValue = "25", description = "Members per group (default ${DEFAULT-VALUE})")
        int groupSize;
        @Option(names = "--group-senders", defaultValue = "5", description = "Members of each group who send (default ${DEFAULT-VALUE})")
        int groupSenders;
        @Option(names = "--rate", defaultValue = "2000", description = "Messages per second in all (default ${DEFAULT-VALUE})")
        int rate;
        @Option(names = "--reconnects", defaultValue = "5", description = "Client reconnects per second (default ${DEFAULT-VALUE})")
        double reconnects;
        @Mixin
        Timing timing;

        @Override
        public Integer call() throws Exception {
            return main.execute(common, "mixed", (ctx, latencies) -> new MixedScenario(ctx, new MixedScenario.Options(users, groups,
                    groupSize, groupSenders, rate, reconnects, timing.warmupTime(), timing.measuredTime()), latencies).run());
        }
    }
}
