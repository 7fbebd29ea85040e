package io.courier.bench;

import io.courier.client.ClientResources;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A worker process of a {@code connections} run (the hidden {@code connections-worker} command):
 * opens the connections its parent assigns over stdin, reports, holds when told, reports, and exits.
 * Its stdout carries the protocol ({@link WorkerMessage}) and nothing else; what it logs goes to
 * stderr, which the parent forwards. Every wait for the parent is bounded by {@code patience}, and
 * a stdin closed before the end means the parent is gone: the worker stops at once.
 */
final class Worker {
    record Options(Target target, int ioThreads, double rate, List<InetAddress> localAddresses, Duration patience) {
    }

    private final Options o;
    private final PrintStream protocol;
    private final PrintStream log;
    private final BlockingQueue<WorkerMessage> inbox = new LinkedBlockingQueue<>();
    private volatile boolean finished;

    private Worker(Options o, PrintStream protocol, PrintStream log) {
        this.o = o;
        this.protocol = protocol;
        this.log = log;
    }

    /** Runs the worker on the process's stdin and stdout; returns its exit code. */
    static int run(Options o, InputStream in, PrintStream out, PrintStream log) throws InterruptedException {
        System.setOut(log); // a stray print anywhere in the process must not land in the protocol
        Worker w = new Worker(o, out, log);
        Thread.ofPlatform().daemon().name("worker-stdin").start(() -> w.read(in));
        try {
            return w.work();
        } catch (RuntimeException e) {
            e.printStackTrace(log);
            log.println("failed: " + e); // last, because the parent quotes a dead worker's last line
            return 1;
        }
    }

    private int work() throws InterruptedException {
        WorkerMessage.Assignment assignment = next(WorkerMessage.Assignment.class);
        if (assignment == null) {
            return 2;
        }
        try (ClientResources resources = ClientResources.create(o.ioThreads());
             ConnectionShare share = new ConnectionShare(o.target(), resources, assignment.tokens(), o.rate(),
                     o.localAddresses(), log)) {
            send(WorkerMessage.Ready.of(share.ramp()));
            WorkerMessage.Hold hold = next(WorkerMessage.Hold.class);
            if (hold == null) {
                return 2;
            }
            Holders.Held held = share.hold(Duration.ofSeconds(hold.seconds()));
            finished = true; // from here on the parent may close stdin: it has what it needs
            send(WorkerMessage.Done.of(held));
        }
        return 0;
    }

    /** The parent's next message, or null (logged) when it is not of that type or none came within the patience. */
    private <T extends WorkerMessage> T next(Class<T> type) throws InterruptedException {
        WorkerMessage m = inbox.poll(o.patience().toMillis(), TimeUnit.MILLISECONDS);
        if (m == null) {
            log.println("no " + type.getSimpleName() + " from the parent in " + o.patience().toSeconds() + " s: stopping");
        } else if (!type.isInstance(m)) {
            log.println("expected " + type.getSimpleName() + " from the parent, got " + m.getClass().getSimpleName() + ": stopping");
        }
        return type.isInstance(m) ? type.cast(m) : null;
    }

    private void send(WorkerMessage m) {
        protocol.println(WorkerMessage.line(m));
        protocol.flush();
        if (protocol.checkError()) {
            stop("the parent no longer reads stdout");
        }
    }

    private void read(InputStream in) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                try {
                    inbox.add(WorkerMessage.parse(line));
                } catch (IOException e) {
                    log.println("not a protocol line from the parent, ignored: " + e.getMessage());
                }
            }
        } catch (IOException e) {
            log.println("reading stdin failed: " + e);
        }
        if (!finished) {
            stop("the parent closed stdin");
        }
    }

    /**
     * The parent is gone (killed, or it gave up on this worker): nobody will read a result, and
     * connections left open would only burden the server. This runs only in a worker's own JVM.
     */
    private void stop(String why) {
        log.println(why + ": stopping");
        System.exit(3);
    }
}
