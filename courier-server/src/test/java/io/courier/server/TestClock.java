package io.courier.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The wall clock plus an offset that a test moves forward: a recall window or a mute runs out the
 * moment the test says so, however loaded the machine, and time never runs backwards for the node.
 */
public final class TestClock extends Clock {
    private final AtomicLong offsetMillis = new AtomicLong();

    /** Moves the node's time forward by {@code by} (the wall clock keeps running beside it). */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("time only moves forward");
        }
        offsetMillis.addAndGet(by.toMillis());
    }

    @Override
    public long millis() {
        return System.currentTimeMillis() + offsetMillis.get();
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (!ZoneOffset.UTC.equals(zone)) {
            throw new UnsupportedOperationException("the node reads UTC only");
        }
        return this;
    }
}
