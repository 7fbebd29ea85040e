package io.courier.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives streams in one of two ways. Closed loop: each stream keeps {@code window} messages in
 * flight and sends the next when one is acknowledged — the most the server can take. Open loop:
 * messages leave at a fixed total rate whatever happens, and latency counts from when each message
 * was due, so a stall is charged to every message it delayed (no coordinated omission).
 */
final class Load {
    private final Ledger ledger;
    private final Latencies latencies;
    private volatile boolean sending = true;

    Load(Ledger ledger, Latencies latencies) {
        this.ledger = ledger;
        this.latencies = latencies;
    }

    /** Runs the load for warm-up plus duration (the sampler starts measuring after the warm-up), then stops sending. */
    void run(List<Stream> streams, int window, int rate, Duration warmup, Duration duration, Sampler sampler)
            throws InterruptedException {
        if (rate == 0) {
            for (Stream s : streams) {
                for (int w = 0; w < window; w++) {
                    closedLoop(s);
                }
            }
            Thread.sleep(warmup.toMillis());
            sampler.measureFromNow();
            Thread.sleep(duration.toMillis());
        } else {
            openLoop(streams, rate, warmup, duration, sampler);
        }
        sending = false;
    }

    private void closedLoop(Stream s) {
        if (!sending) {
            return;
        }
        long sentAt = System.nanoTime();
        s.send(ledger, sentAt).whenComplete((ack, e) -> {
            if (e == null) {
                latencies.ack(System.nanoTime() - sentAt);
                ledger.acked(s.id);
                closedLoop(s);
            } else {
                ledger.sendError();
            }
        });
    }

    private void openLoop(List<Stream> streams, int rate, Duration warmup, Duration duration, Sampler sampler) {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long warmupEnd = start + warmup.toNanos();
        long end = warmupEnd + duration.toNanos();
        boolean measuring = false;
        for (long k = 0; ; k++) {
            long due = start + k * interval;
            if (due >= end) {
                return;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!measuring && due >= warmupEnd) {
                sampler.measureFromNow();
                measuring = true;
            }
            Stream s = streams.get((int) (k % streams.size()));
            s.send(ledger, due).whenComplete((ack, e) -> {
                if (e == null) {
                    latencies.ack(System.nanoTime() - due);
                    ledger.acked(s.id);
                } else {
                    ledger.sendError();
                }
            });
        }
    }
}
