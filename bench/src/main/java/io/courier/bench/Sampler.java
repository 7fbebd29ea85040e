package io.courier.bench;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Once a second: moves the latency recorders' interval into the totals and the logs, and prints a
 * progress line (deliveries and acks per second, end-to-end p50/p99 of that second).
 */
final class Sampler {
    private final Latencies latencies;
    private final PrintStream log;
    private final Thread thread;
    private volatile long measuredFrom = System.nanoTime();
    private volatile long stoppedAt;
    private volatile boolean running = true;

    private Sampler(Latencies latencies, PrintStream log) {
        this.latencies = latencies;
        this.log = log;
        this.thread = Thread.ofPlatform().daemon().name("bench-sampler").start(this::loop);
    }

    static Sampler start(Latencies latencies, PrintStream log) {
        return new Sampler(latencies, log);
    }

    private void loop() {
        long second = 0;
        while (running) {
            try {
                TimeUnit.SECONDS.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
            long[] p = latencies.sample(++second);
            log.printf("  t=%3ds  delivered %,8d/s  acked %,8d/s%n", second, p[1], p[2]);
        }
    }

    /** The warm-up is over: totals restart now. */
    void measureFromNow() {
        latencies.reset();
        measuredFrom = System.nanoTime();
    }

    void stop() throws InterruptedException {
        stoppedAt = System.nanoTime();
        running = false;
        thread.interrupt();
        thread.join();
        latencies.sample(-1); // what was recorded after the last full second
    }

    /** Throughput over the measured window and the latency percentiles, into the result. */
    void summarize(Result result, Latencies latencies) {
        double seconds = (stoppedAt - measuredFrom) / 1e9;
        result.endToEnd = latencies.endToEndTotal();
        result.ack = latencies.ackTotal();
        result.timeline = latencies.timeline();
        result.metrics.put("measured_s", Math.round(seconds * 100) / 100.0);
        result.metrics.put("delivered_per_s", Math.round(result.endToEnd.getTotalCount() / seconds));
        result.metrics.put("acked_per_s", Math.round(result.ack.getTotalCount() / seconds));
        result.metrics.put("e2e_ms", percentiles(result.endToEnd));
        result.metrics.put("ack_ms", percentiles(result.ack));
    }

    static Map<String, Double> percentiles(Histogram h) {
        Map<String, Double> p = new LinkedHashMap<>();
        for (double q : new double[]{50, 90, 99, 99.9}) {
            p.put("p" + (q == Math.rint(q) ? String.valueOf((int) q) : String.valueOf(q)), ms(h.getValueAtPercentile(q)));
        }
        p.put("max", ms(h.getMaxValue()));
        return p;
    }

    private static double ms(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
