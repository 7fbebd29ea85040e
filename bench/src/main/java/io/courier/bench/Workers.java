package io.courier.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.DataFormatException;

/**
 * A {@code connections} run spread over worker JVMs ({@code --processes}), because one process
 * cannot hold more connections than its open-file limit. Each worker gets a slice of the users'
 * tokens, the rate divided by their number (so the run ramps at {@code --rate} in all) and its own
 * source addresses. A worker that dies or goes silent is a fault of the run and is left out; the
 * others go on, so the run still says what they measured.
 */
final class Workers implements Holders {
    /** Once a worker has reported done, or was given up on, this is how long it gets to exit. */
    private static final Duration EXIT = Duration.ofSeconds(30);

    private final List<WorkerProcess> all;
    private final Duration rampAllowance;
    private final long launched = System.nanoTime();
    private final List<String> faults = new ArrayList<>();
    private List<WorkerProcess> live;

    private Workers(List<WorkerProcess> all, Duration rampAllowance) {
        this.all = all;
        this.live = all;
        this.rampAllowance = rampAllowance;
    }

    /** What a connections run tells its workers: where the server is, and how to ramp. */
    record Plan(Target target, int ioThreads, int processes, int rate, List<InetAddress> localAddresses) {
    }

    /** Starts the workers and hands each its tokens; they begin to ramp at once. */
    static Workers launch(Plan plan, List<String> tokens, PrintStream log) throws IOException {
        int p = plan.processes();
        // The ramp, then a JVM start and the last logins' retries (each SDK attempt is bounded, three at most).
        Duration rampAllowance = Duration.ofSeconds(tokens.size() / Math.max(1, plan.rate()) + 120);
        // A ready worker waits for every other to be ready and for the parent to read the server (two jcmd calls).
        Duration patience = rampAllowance.plusMinutes(3);
        List<WorkerProcess> started = new ArrayList<>(p);
        try {
            for (int k = 0; k < p; k++) {
                List<String> command = command(plan, Math.max(1, plan.rate()) / (double) p,
                        addressesOf(k, p, plan.localAddresses()), patience);
                WorkerProcess w = WorkerProcess.start("worker " + (k + 1), command, log);
                log.printf("  worker %d: pid %d%n", k + 1, w.pid());
                started.add(w);
            }
        } catch (IOException e) {
            started.forEach(WorkerProcess::closeStdin);
            throw e;
        }
        for (int k = 0; k < p; k++) {
            started.get(k).send(new WorkerMessage.Assignment(
                    tokens.subList(k * tokens.size() / p, (k + 1) * tokens.size() / p)));
        }
        return new Workers(started, rampAllowance);
    }

    /**
     * Worker k's source addresses: every p-th one from k, so that no two workers share an address's
     * ephemeral ports; with fewer addresses than workers, they take turns at the addresses.
     */
    static List<InetAddress> addressesOf(int k, int p, List<InetAddress> all) {
        if (all.isEmpty()) {
            return List.of();
        }
        List<InetAddress> mine = new ArrayList<>();
        for (int i = k; i < all.size(); i += p) {
            mine.add(all.get(i));
        }
        return mine.isEmpty() ? List.of(all.get(k % all.size())) : mine;
    }

    /** The same java, class path and main class as this process, the worker command, and no secrets. */
    private static List<String> command(Plan plan, double rate, List<InetAddress> addresses, Duration patience) {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        c.add("--enable-native-access=ALL-UNNAMED"); // the launcher's jar manifest says so; -cp does not read it
        // Heap and GC settings (COURIER_BENCH_JAVA_OPTS) apply to the workers too; agents and debuggers do not.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-Xss") || a.startsWith("-XX:"))
                .forEach(c::add);
        Target t = plan.target();
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "connections-worker",
                "--host", t.host(), "--http-port", String.valueOf(t.httpPort()), "--tcp-port", String.valueOf(t.tcpPort()),
                "--transport", t.transport().name(), "--io-threads", String.valueOf(plan.ioThreads()),
                "--rate", String.valueOf(rate), "--patience", String.valueOf(patience.toSeconds())));
        if (!addresses.isEmpty()) {
            c.add("--local-addresses");
            c.add(addresses.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(",")));
        }
        return c;
    }

    @Override
    public Ramped ramp() throws InterruptedException {
        return Ramped.sum(collect(WorkerMessage.Ready.class, launched + rampAllowance.toNanos(), rampAllowance,
                WorkerMessage.Ready::ramped));
    }

    @Override
    public Held hold(Duration time) throws InterruptedException {
        live.forEach(w -> w.send(new WorkerMessage.Hold(time.toSeconds())));
        Duration allowed = time.plusSeconds(60);
        return Held.sum(collect(WorkerMessage.Done.class, System.nanoTime() + allowed.toNanos(), allowed,
                WorkerMessage.Done::held));
    }

    /** How a worker's answer becomes its part of the result (a histogram may fail to decode). */
    @FunctionalInterface
    private interface Reading<M, R> {
        R read(M message) throws DataFormatException;
    }

    /**
     * One {@code type} answer from each live worker by {@code deadline}, read into its part of the
     * result; a worker that fails, goes silent or answers garbage is given up and no longer live.
     */
    private <M extends WorkerMessage, R> List<R> collect(Class<M> type, long deadline, Duration allowance,
                                                        Reading<M, R> reading) throws InterruptedException {
        List<R> parts = new ArrayList<>();
        List<WorkerProcess> answered = new ArrayList<>();
        for (WorkerProcess w : live) {
            try {
                parts.add(reading.read(w.await(type, deadline, allowance)));
                answered.add(w);
            } catch (WorkerProcess.Failed | DataFormatException e) {
                giveUp(w, e);
            }
        }
        live = answered;
        return parts;
    }

    private void giveUp(WorkerProcess w, Exception why) throws InterruptedException {
        String message = why instanceof WorkerProcess.Failed ? why.getMessage() : w.name + " sent an unreadable histogram: " + why;
        faults.add(message);
        w.kill();
    }

    @Override
    public int processes() {
        return live.size();
    }

    @Override
    public List<String> faults() {
        return faults;
    }

    /** Closing stdin ends a worker that is still at work; one that reported done is already closing its clients. */
    @Override
    public void close() {
        all.forEach(WorkerProcess::closeStdin);
        long deadline = System.nanoTime() + EXIT.toNanos();
        try {
            for (WorkerProcess w : all) {
                w.awaitExit(deadline);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
