package io.courier.bench;

import io.courier.client.ClientListener;
import io.courier.client.ClientResources;
import io.courier.client.CourierClient;
import io.courier.client.CourierClientBuilder;
import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The connections one process opens and holds, one per access token: the whole run when it has one
 * process, a worker's part of it otherwise ({@link Worker}). Both paths measure the same way here.
 */
final class ConnectionShare implements Holders {
    private final Target target;
    private final ClientResources resources;
    private final List<String> tokens;
    private final double rate;
    private final List<InetAddress> localAddresses;
    private final PrintStream log;
    private final List<CourierClient> clients = new ArrayList<>();
    private final LongAdder drops = new LongAdder();

    /** {@code rate}: new connections per second (above 0); {@code localAddresses}: source addresses taken in turn (none: the OS picks). */
    ConnectionShare(Target target, ClientResources resources, List<String> tokens, double rate,
                    List<InetAddress> localAddresses, PrintStream log) {
        this.target = target;
        this.resources = resources;
        this.tokens = tokens;
        this.rate = rate;
        this.localAddresses = localAddresses;
        this.log = log;
    }

    @Override
    public Ramped ramp() {
        ClientListener listener = new ClientListener() {
            @Override
            public void onDisconnected(Throwable cause, boolean willReconnect) {
                drops.increment();
            }
        };
        Histogram connectMicros = new Histogram(Ramped.MAX_MICROS, 3);
        // Bounded so that a stalled server does not pile up thousands of half-open logins.
        Semaphore inFlight = new Semaphore(256);
        List<CompletableFuture<?>> logins = new ArrayList<>(tokens.size());
        Progress progress = new Progress(log, "connected", tokens.size());
        long interval = (long) (1e9 / rate);
        long start = System.nanoTime();
        for (int i = 0; i < tokens.size(); i++) {
            long wait = start + i * interval - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            CourierClientBuilder b = target.clientBuilder(resources, tokens.get(i), listener);
            if (!localAddresses.isEmpty()) {
                b.localAddress(localAddresses.get(i % localAddresses.size()));
            }
            CourierClient c = b.build();
            clients.add(c);
            inFlight.acquireUninterruptibly();
            long began = System.nanoTime();
            logins.add(c.connect().whenComplete((ok, e) -> {
                inFlight.release();
                if (e == null) {
                    synchronized (connectMicros) {
                        connectMicros.recordValue(Math.min((System.nanoTime() - began) / 1000, Ramped.MAX_MICROS));
                    }
                }
                progress.tick();
            }));
        }
        // No timeout here: every attempt of the SDK's connect is bounded (connect and login timeouts, three attempts).
        List<String> failures = logins.stream()
                .map(f -> f.handle((v, e) -> e == null ? null : String.valueOf(e.getCause() == null ? e : e.getCause())).join())
                .filter(Objects::nonNull).toList();
        double seconds = (System.nanoTime() - start) / 1e9;
        synchronized (connectMicros) {
            return new Ramped(connected(), failures.size(), failures.stream().distinct().limit(5).toList(), seconds,
                    connectMicros.copy());
        }
    }

    @Override
    public Held hold(Duration time) throws InterruptedException {
        long end = System.nanoTime() + time.toNanos();
        while (System.nanoTime() < end) {
            Thread.sleep(Math.min(10_000, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            log.printf("  holding: %d connected, %d drops%n", connected(), drops.sum());
        }
        return new Held(connected(), drops.sum());
    }

    private long connected() {
        return clients.stream().filter(CourierClient::isConnected).count();
    }

    @Override
    public int processes() {
        return 1;
    }

    @Override
    public List<String> faults() {
        return List.of();
    }

    @Override
    public void close() {
        clients.parallelStream().forEach(CourierClient::close);
    }
}
