package io.courier.core.message;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Delivered cursors written behind: a device acknowledges delivery many times a second per busy
 * conversation, and each acknowledgement used to cost a database transaction. Here they are merged in
 * memory (the highest seq per device and conversation wins) and stored in one transaction every
 * {@code interval}. Reads see the merged view, so a login right after an acknowledgement already
 * starts after it.
 *
 * @implNote What a crash loses is at most {@code interval} of cursor movement: those devices are
 * sent some messages again at their next login, which clients drop by seq. Messages themselves are
 * never buffered here. Read cursors go straight through: they produce receipts and unread counts.
 */
public final class BufferedCursorStore implements CursorStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BufferedCursorStore.class);

    private final CursorStore store;
    private final Map<DeliveredCursor, Long> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService flusher;

    public BufferedCursorStore(CursorStore store, Duration interval) {
        this.store = store;
        this.flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "courier-cursor-writer");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(this::flushQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void advanceDelivered(long userId, String deviceId, String conversationId, long seq) {
        pending.merge(new DeliveredCursor(userId, deviceId, conversationId, 0), seq, Math::max);
    }

    @Override
    public void advanceDeliveredAll(List<DeliveredCursor> cursors) {
        cursors.forEach(c -> advanceDelivered(c.userId(), c.deviceId(), c.conversationId(), c.seq()));
    }

    @Override
    public Map<String, Long> deliveredOf(long userId, String deviceId) {
        Map<String, Long> merged = new HashMap<>(store.deliveredOf(userId, deviceId));
        pending.forEach((k, seq) -> {
            if (k.userId() == userId && k.deviceId().equals(deviceId)) {
                merged.merge(k.conversationId(), seq, Math::max);
            }
        });
        return merged;
    }

    /** Stores what is pending in one transaction; entries that moved on meanwhile stay for the next round. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<DeliveredCursor> batch = new ArrayList<>(pending.size());
        Map<DeliveredCursor, Long> taken = new HashMap<>();
        pending.forEach((k, seq) -> {
            batch.add(new DeliveredCursor(k.userId(), k.deviceId(), k.conversationId(), seq));
            taken.put(k, seq);
        });
        store.advanceDeliveredAll(batch);
        taken.forEach(pending::remove); // remove(key, value): a newer seq that came in meanwhile stays
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn("Storing {} delivered cursors failed; retrying: {}", pending.size(), e.toString());
        }
    }

    @Override
    public boolean advanceRead(long userId, String conversationId, long seq) {
        return store.advanceRead(userId, conversationId, seq);
    }

    @Override
    public Map<String, Long> readOf(long userId) {
        return store.readOf(userId);
    }

    @Override
    public Set<Long> readersOf(String conversationId, long seq) {
        return store.readersOf(conversationId, seq);
    }

    /** Stops the timer and stores what is left. */
    @Override
    public void close() {
        flusher.shutdown();
        try {
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flushQuietly();
    }
}
