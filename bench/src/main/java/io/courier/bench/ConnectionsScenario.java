package io.courier.bench;

import io.courier.client.ClientListener;
import io.courier.client.CourierClient;
import io.courier.client.http.Session;
import org.HdrHistogram.Histogram;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Opens {@code connections} authenticated connections at a given rate (one user each), holds them
 * for a while with the SDK's heartbeats, and reports how many stayed up, connect-time percentiles,
 * and — when it knows the server's pid — the server's RSS and live heap per connection.
 */
final class ConnectionsScenario {
    record Options(int connections, int rate, Duration hold, List<InetAddress> localAddresses, long serverPid) {
    }

    private final RunContext ctx;
    private final Options o;

    ConnectionsScenario(RunContext ctx, Options options) {
        this.ctx = ctx;
        this.o = options;
    }

    Result run() throws InterruptedException {
        Result result = new Result("connections", "every connection logged in and stayed up");
        result.parameters.put("connections", o.connections());
        result.parameters.put("rate_per_s", o.rate());
        result.parameters.put("hold_s", o.hold().toSeconds());
        result.parameters.put("transport", ctx.target().transport().name().toLowerCase());
        ServerProbe probe = o.serverPid() > 0 ? new ServerProbe(o.serverPid()) : null;

        List<Session> sessions = Population.create(ctx.http(), ctx.runId(), "c", o.connections(), 32,
                new Progress(ctx.log(), "users", o.connections()));
        // Live heap first: its full GC also gives back memory, so the RSS read after it is comparable.
        long heapBefore = probe == null ? -1 : probe.liveHeapBytes();
        long rssBefore = probe == null ? -1 : probe.rssBytes();

        LongAdder drops = new LongAdder();
        ClientListener listener = new ClientListener() {
            @Override
            public void onDisconnected(Throwable cause, boolean willReconnect) {
                drops.increment();
            }
        };
        Histogram connectMicros = new Histogram(60_000_000L, 3);
        List<CourierClient> clients = new ArrayList<>(o.connections());
        Semaphore inFlight = new Semaphore(256);
        List<CompletableFuture<?>> logins = new ArrayList<>(o.connections());
        Progress progress = new Progress(ctx.log(), "connected", o.connections());
        long interval = 1_000_000_000L / Math.max(1, o.rate());
        long start = System.nanoTime();
        try {
            for (int i = 0; i < o.connections(); i++) {
                long wait = start + i * interval - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                CourierClient.Builder b = ctx.target().clientBuilder(ctx.resources(), sessions.get(i), listener);
                if (!o.localAddresses().isEmpty()) {
                    b.localAddress(o.localAddresses().get(i % o.localAddresses().size()));
                }
                CourierClient c = b.build();
                clients.add(c);
                inFlight.acquireUninterruptibly();
                long began = System.nanoTime();
                logins.add(c.connect().whenComplete((ok, e) -> {
                    inFlight.release();
                    if (e == null) {
                        synchronized (connectMicros) {
                            connectMicros.recordValue(Math.min((System.nanoTime() - began) / 1000, 60_000_000L));
                        }
                    }
                    progress.tick();
                }));
            }
            List<String> failures = logins.stream()
                    .map(f -> f.handle((v, e) -> e == null ? null : String.valueOf(e.getCause() == null ? e : e.getCause())).join())
                    .filter(java.util.Objects::nonNull).toList();
            long failed = failures.size();
            List<String> reasons = failures.stream().distinct().limit(5).toList();
            double rampSeconds = (System.nanoTime() - start) / 1e9;
            long connected = clients.stream().filter(CourierClient::isConnected).count();
            ctx.log().printf("  %d connected in %.1f s; holding for %d s%n", connected, rampSeconds, o.hold().toSeconds());

            long heapConnected = probe == null ? -1 : probe.liveHeapBytes();
            long rssConnected = probe == null ? -1 : probe.rssBytes();
            long holdEnd = System.nanoTime() + o.hold().toNanos();
            while (System.nanoTime() < holdEnd) {
                Thread.sleep(Math.min(10_000, Math.max(1, (holdEnd - System.nanoTime()) / 1_000_000)));
                ctx.log().printf("  holding: %d connected, %d drops%n",
                        clients.stream().filter(CourierClient::isConnected).count(), drops.sum());
            }
            long stayed = clients.stream().filter(CourierClient::isConnected).count();

            result.metrics.put("connected", connected);
            result.metrics.put("failed_to_connect", failed);
            result.metrics.put("stayed_up", stayed);
            result.metrics.put("drops", drops.sum());
            result.metrics.put("ramp_s", Math.round(rampSeconds * 10) / 10.0);
            result.metrics.put("connect_ms", Sampler.percentiles(connectMicros));
            if (probe != null) {
                result.metrics.put("server_rss_mb_before", rssBefore / (1 << 20));
                result.metrics.put("server_rss_mb_connected", rssConnected / (1 << 20));
                result.metrics.put("server_rss_per_connection_kb", (rssConnected - rssBefore) / 1024.0 / Math.max(1, connected));
                result.metrics.put("server_live_heap_mb_before", heapBefore / (1 << 20));
                result.metrics.put("server_live_heap_mb_connected", heapConnected / (1 << 20));
                result.metrics.put("server_heap_per_connection_kb", (heapConnected - heapBefore) / 1024.0 / Math.max(1, connected));
            }
            if (failed > 0) {
                result.faults.add(failed + " connections failed to log in: " + reasons);
            }
            if (stayed != o.connections()) {
                result.faults.add((o.connections() - stayed) + " connections were not up at the end");
            }
            if (drops.sum() > 0) {
                result.faults.add(drops.sum() + " connections dropped while held");
            }
        } finally {
            clients.parallelStream().forEach(CourierClient::close);
        }
        return result;
    }
}
