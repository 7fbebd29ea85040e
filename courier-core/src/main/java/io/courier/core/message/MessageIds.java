package io.courier.core.message;

/**
 * Server-wide message ids: milliseconds since 2025-01-01 in the high bits, the node number (10 bits)
 * and a per-millisecond counter (12 bits) below, so ids grow with time, never repeat on one node,
 * and differ between nodes. If the clock steps back, ids keep counting from the last time used.
 */
public final class MessageIds {
    private static final long EPOCH = 1_735_689_600_000L;
    private final long node;
    private long lastMillis;
    private long counter;

    public MessageIds(int node) {
        if (node < 0 || node > 1023) {
            throw new IllegalArgumentException("node number must be 0..1023");
        }
        this.node = node;
    }

    public synchronized long next(long nowMillis) {
        long millis = Math.max(nowMillis - EPOCH, lastMillis);
        if (millis == lastMillis) {
            counter++;
            if (counter == 4096) {
                millis++;
                counter = 0;
            }
        } else {
            counter = 0;
        }
        lastMillis = millis;
        return (millis << 22) | (node << 12) | counter;
    }
}
