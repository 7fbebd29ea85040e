package io.courier.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The run's account of every message: sent and acknowledged per stream, delivered, and each kind of
 * fault. A run with any fault fails, whatever its speed.
 */
final class Ledger {
    private final AtomicLongArray acked;
    private final LongAdder sent = new LongAdder();
    private final LongAdder ackedTotal = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder gaps = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    private final LongAdder foreign = new LongAdder();

    Ledger(int streams) {
        this.acked = new AtomicLongArray(streams);
    }

    void recordSent() {
        sent.increment();
    }

    void acked(int stream) {
        acked.incrementAndGet(stream);
        ackedTotal.increment();
    }

    void sendError() {
        sendErrors.increment();
    }

    void delivered(int stream) {
        delivered.increment();
    }

    void duplicate() {
        duplicates.increment();
    }

    void gap(long missing) {
        gaps.add(missing);
    }

    void recordForeign() {
        foreign.increment();
    }

    long ackedOf(int stream) {
        return acked.get(stream);
    }

    long sent() {
        return sent.sum();
    }

    long acked() {
        return ackedTotal.sum();
    }

    long delivered() {
        return delivered.sum();
    }

    long duplicates() {
        return duplicates.sum();
    }

    long gaps() {
        return gaps.sum();
    }

    long sendErrors() {
        return sendErrors.sum();
    }

    long foreign() {
        return foreign.sum();
    }
}
