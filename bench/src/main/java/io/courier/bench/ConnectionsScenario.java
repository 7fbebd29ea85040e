package io.courier.bench;

import io.courier.client.http.Session;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * Opens {@code connections} authenticated connections at a given rate (one user each), holds them
 * for a while with the SDK's heartbeats, and reports how many stayed up, connect-time percentiles,
 * and — when it knows the server's pid — the server's RSS and live heap per connection. With more
 * than one process the connections are opened by worker JVMs ({@link Workers}), each within its own
 * open-file limit; the users are still created here, and the numbers are the same either way.
 */
final class ConnectionsScenario {
    record Options(int connections, int rate, Duration hold, List<InetAddress> localAddresses, long serverPid,
                   int processes, int ioThreads) {
    }

    private final RunContext ctx;
    private final Options o;

    ConnectionsScenario(RunContext ctx, Options options) {
        this.ctx = ctx;
        this.o = options;
    }

    Result run() throws InterruptedException, IOException {
        Result result = new Result("connections", "every connection logged in and stayed up");
        result.parameters.put("connections", o.connections());
        result.parameters.put("rate_per_s", o.rate());
        result.parameters.put("hold_s", o.hold().toSeconds());
        result.parameters.put("transport", ctx.target().transport().name().toLowerCase());
        result.parameters.put("processes", o.processes());
        ServerProbe probe = o.serverPid() > 0 ? new ServerProbe(o.serverPid()) : null;

        List<String> tokens = Population.create(ctx.http(), ctx.runId(), "c", o.connections(), 32,
                new Progress(ctx.log(), "users", o.connections())).stream().map(Session::accessToken).toList();
        // Live heap first: its full GC also gives back memory, so the RSS read after it is comparable.
        long heapBefore = probe == null ? -1 : probe.liveHeapBytes();
        long rssBefore = probe == null ? -1 : probe.rssBytes();

        try (Holders holders = holders(tokens)) {
            Holders.Ramped ramped = holders.ramp();
            ctx.log().printf("  %d connected in %.1f s; holding for %d s%n", ramped.connected(), ramped.seconds(),
                    o.hold().toSeconds());
            long heapConnected = probe == null ? -1 : probe.liveHeapBytes();
            long rssConnected = probe == null ? -1 : probe.rssBytes();
            Holders.Held held = holders.hold(o.hold());

            long connected = ramped.connected();
            result.metrics.put("processes", holders.processes());
            result.metrics.put("connected", connected);
            result.metrics.put("failed_to_connect", ramped.failed());
            result.metrics.put("stayed_up", held.stayedUp());
            result.metrics.put("drops", held.drops());
            result.metrics.put("ramp_s", Math.round(ramped.seconds() * 10) / 10.0);
            result.metrics.put("connect_ms", Sampler.percentiles(ramped.connectMicros()));
            if (probe != null) {
                result.metrics.put("server_rss_mb_before", rssBefore / (1 << 20));
                result.metrics.put("server_rss_mb_connected", rssConnected / (1 << 20));
                result.metrics.put("server_rss_per_connection_kb", (rssConnected - rssBefore) / 1024.0 / Math.max(1, connected));
                result.metrics.put("server_live_heap_mb_before", heapBefore / (1 << 20));
                result.metrics.put("server_live_heap_mb_connected", heapConnected / (1 << 20));
                result.metrics.put("server_heap_per_connection_kb", (heapConnected - heapBefore) / 1024.0 / Math.max(1, connected));
            }
            result.faults.addAll(holders.faults());
            if (ramped.failed() > 0) {
                result.faults.add(ramped.failed() + " connections failed to log in: " + ramped.reasons());
            }
            if (held.stayedUp() != o.connections()) {
                result.faults.add((o.connections() - held.stayedUp()) + " connections were not up at the end");
            }
            if (held.drops() > 0) {
                result.faults.add(held.drops() + " connections dropped while held");
            }
        }
        return result;
    }

    /** This JVM opens the connections, or {@code processes} worker JVMs do. */
    private Holders holders(List<String> tokens) throws IOException {
        if (o.processes() <= 1) {
            return new ConnectionShare(ctx.target(), ctx.resources(), tokens, Math.max(1, o.rate()), o.localAddresses(), ctx.log());
        }
        return Workers.launch(new Workers.Plan(ctx.target(), o.ioThreads(), o.processes(), o.rate(), o.localAddresses()),
                tokens, ctx.log());
    }
}
