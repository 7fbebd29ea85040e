package io.courier.bench;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.HdrHistogram.Recorder;

import java.io.FileNotFoundException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Latency recorders (microseconds, 3 significant digits, up to a minute): end to end (send to the
 * recipient's listener) and ack (send to {@code SendAck}). {@link #sample} is called once a second:
 * it moves the interval into the totals, appends it to the HdrHistogram logs, and returns how many
 * deliveries the second saw (the throughput timeline).
 */
final class Latencies implements AutoCloseable {
    private static final long MAX_MICROS = 60_000_000L;

    private final Recorder endToEnd = new Recorder(MAX_MICROS, 3);
    private final Recorder ack = new Recorder(MAX_MICROS, 3);
    private final Histogram endToEndTotal = new Histogram(MAX_MICROS, 3);
    private final Histogram ackTotal = new Histogram(MAX_MICROS, 3);
    private Histogram endToEndInterval;
    private Histogram ackInterval;
    private final List<long[]> timeline = new ArrayList<>(); // {second, deliveries, acks}
    private final HistogramLogWriter endToEndLog;
    private final HistogramLogWriter ackLog;
    private final PrintStream[] files;
    private final long startMillis = System.currentTimeMillis();
    private volatile boolean recording = true;

    Latencies(Path outDir) throws FileNotFoundException {
        PrintStream e2e = new PrintStream(outDir.resolve("e2e.hlog").toFile());
        PrintStream acks = new PrintStream(outDir.resolve("ack.hlog").toFile());
        files = new PrintStream[]{e2e, acks};
        endToEndLog = start(e2e);
        ackLog = start(acks);
    }

    private HistogramLogWriter start(PrintStream out) {
        HistogramLogWriter w = new HistogramLogWriter(out);
        w.outputLogFormatVersion();
        w.outputStartTime(startMillis);
        w.setBaseTime(startMillis);
        w.outputLegend();
        return w;
    }

    void endToEnd(long nanos) {
        if (recording) {
            endToEnd.recordValue(Math.min(Math.max(nanos / 1000, 0), MAX_MICROS));
        }
    }

    void ack(long nanos) {
        if (recording) {
            ack.recordValue(Math.min(Math.max(nanos / 1000, 0), MAX_MICROS));
        }
    }

    /** Warm-up is over: what was recorded so far is thrown away. */
    synchronized void reset() {
        endToEndInterval = endToEnd.getIntervalHistogram(endToEndInterval);
        ackInterval = ack.getIntervalHistogram(ackInterval);
        endToEndTotal.reset();
        ackTotal.reset();
        timeline.clear();
    }

    synchronized long[] sample(long second) {
        endToEndInterval = endToEnd.getIntervalHistogram(endToEndInterval);
        ackInterval = ack.getIntervalHistogram(ackInterval);
        endToEndTotal.add(endToEndInterval);
        ackTotal.add(ackInterval);
        endToEndLog.outputIntervalHistogram(endToEndInterval);
        ackLog.outputIntervalHistogram(ackInterval);
        long[] point = {second, endToEndInterval.getTotalCount(), ackInterval.getTotalCount()};
        timeline.add(point);
        return point;
    }

    /** Stops recording: deliveries after the measured window no longer count. */
    void stop() {
        recording = false;
    }

    synchronized Histogram endToEndTotal() {
        return endToEndTotal;
    }

    synchronized Histogram ackTotal() {
        return ackTotal;
    }

    synchronized List<long[]> timeline() {
        return List.copyOf(timeline);
    }

    @Override
    public void close() {
        for (PrintStream f : files) {
            f.close();
        }
    }
}
