package io.courier.bench;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.List;

/**
 * Whoever opens and holds the connections of a {@code connections} run: this JVM
 * ({@link ConnectionShare}) or worker processes ({@link Workers}), because one process runs out of
 * file descriptors near 20,000. The scenario drives both the same way — ramp, read the server, hold —
 * and reads one {@link Ramped} and one {@link Held}, summed over the processes.
 */
interface Holders extends AutoCloseable {
    /** Opens every connection at the run's rate and waits until each has logged in or given up. */
    Ramped ramp() throws InterruptedException;

    /** Holds the connections for {@code time}, heartbeats only, then counts what is still up. */
    Held hold(Duration time) throws InterruptedException;

    /** The processes that held connections (a worker that died or went silent no longer counts). */
    int processes();

    /** What went wrong with the processes themselves (not with the connections): faults of the run. */
    List<String> faults();

    @Override
    void close();

    /** The ramp: logins that succeeded and failed (with up to five distinct reasons), its length, connect times in µs. */
    record Ramped(long connected, long failed, List<String> reasons, double seconds, Histogram connectMicros) {
        static final long MAX_MICROS = 60_000_000L;

        /** Processes ramp side by side, so the run's ramp lasts as long as the slowest one's. */
        static Ramped sum(List<Ramped> all) {
            Histogram micros = new Histogram(MAX_MICROS, 3);
            all.forEach(r -> micros.add(r.connectMicros()));
            return new Ramped(all.stream().mapToLong(Ramped::connected).sum(), all.stream().mapToLong(Ramped::failed).sum(),
                    all.stream().flatMap(r -> r.reasons().stream()).distinct().limit(5).toList(),
                    all.stream().mapToDouble(Ramped::seconds).max().orElse(0), micros);
        }
    }

    /** The hold: connections up at its end, and disconnects seen while it lasted. */
    record Held(long stayedUp, long drops) {
        static Held sum(List<Held> all) {
            return new Held(all.stream().mapToLong(Held::stayedUp).sum(), all.stream().mapToLong(Held::drops).sum());
        }
    }
}
