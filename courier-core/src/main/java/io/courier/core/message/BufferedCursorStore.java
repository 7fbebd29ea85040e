package io.courier.core.message;

import io.courier.core.error.BackendException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Delivered cursors, group-committed: a device acknowledges delivery many times a second per busy
 * conversation, and each acknowledgement used to cost a transaction of its own. Here every
 * acknowledgement that arrives while one transaction is being written joins the next, merged (the
 * highest seq per device and conversation wins); each caller returns only once its cursor is
 * stored, so an acknowledged delivery survives a crash. Under load, hundreds of acknowledgements
 * share one commit; when idle, one waits for nobody.
 *
 * @implNote Read cursors go straight through: they are rarer, and produce receipts.
 */
public final class BufferedCursorStore implements CursorStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BufferedCursorStore.class);

    private record Key(long userId, String deviceId, String conversationId) {
    }

    private final CursorStore store;
    private final Object lock = new Object();
    private Map<Key, Long> pending = new HashMap<>();              // guarded by lock
    private List<CompletableFuture<Void>> waiting = new ArrayList<>(); // guarded by lock
    private volatile Map<Key, Long> writing = Map.of();              // the batch in its transaction
    private boolean running = true;                                 // guarded by lock
    private final long lingerMillis;
    private final Thread writer;

    /**
     * {@code linger}: the pause after each transaction, so that acknowledgements gather into fewer,
     * larger ones. The database commits one transaction at a time, and every cursor commit is one
     * the message writer waits behind; acknowledgements are answered asynchronously, so the pause
     * costs no device a request's turn.
     */
    public BufferedCursorStore(CursorStore store, java.time.Duration linger) {
        this.store = store;
        this.lingerMillis = linger.toMillis();
        this.writer = Thread.ofPlatform().name("courier-cursor-writer").daemon(true).start(this::run);
    }

    @Override
    public void advanceDelivered(long userId, String deviceId, String conversationId, long seq) {
        await(advanceDeliveredLater(userId, deviceId, conversationId, seq));
    }

    /** Joins the next transaction without waiting for it: a device's later requests need not queue behind it. */
    @Override
    public CompletableFuture<Void> advanceDeliveredLater(long userId, String deviceId, String conversationId, long seq) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        synchronized (lock) {
            if (!running) {
                throw new IllegalStateException("The cursor writer is closed");
            }
            pending.merge(new Key(userId, deviceId, conversationId), seq, Math::max);
            waiting.add(stored);
            lock.notifyAll();
        }
        return stored;
    }

    @Override
    public void advanceDeliveredAll(List<DeliveredCursor> cursors) {
        CompletableFuture<Void> stored = new CompletableFuture<>();
        synchronized (lock) {
            if (!running) {
                throw new IllegalStateException("The cursor writer is closed");
            }
            cursors.forEach(c -> pending.merge(new Key(c.userId(), c.deviceId(), c.conversationId()), c.seq(), Math::max));
            waiting.add(stored);
            lock.notifyAll();
        }
        await(stored);
    }

    private static void await(CompletableFuture<Void> stored) {
        try {
            stored.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new BackendException("Storing a delivered cursor failed", e.getCause());
        }
    }

    @Override
    public Map<String, Long> deliveredOf(long userId, String deviceId) {
        Map<String, Long> merged = new HashMap<>(store.deliveredOf(userId, deviceId));
        List<Map<Key, Long>> unstored = new ArrayList<>(2);
        unstored.add(writing);
        synchronized (lock) {
            unstored.add(new HashMap<>(pending));
        }
        for (Map<Key, Long> batch : unstored) {
            batch.forEach((k, seq) -> {
                if (k.userId() == userId && k.deviceId().equals(deviceId)) {
                    merged.merge(k.conversationId(), seq, Math::max);
                }
            });
        }
        return merged;
    }

    private void run() {
        while (true) {
            Map<Key, Long> batch;
            List<CompletableFuture<Void>> callers;
            synchronized (lock) {
                while (pending.isEmpty() && running) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                if (pending.isEmpty()) {
                    return; // closed and drained
                }
                batch = pending;
                callers = waiting;
                pending = new HashMap<>();
                waiting = new ArrayList<>();
                writing = batch;
            }
            try {
                List<DeliveredCursor> cursors = new ArrayList<>(batch.size());
                batch.forEach((k, seq) -> cursors.add(new DeliveredCursor(k.userId(), k.deviceId(), k.conversationId(), seq)));
                store.advanceDeliveredAll(cursors);
                callers.forEach(c -> c.complete(null));
            } catch (RuntimeException e) {
                log.warn("Storing {} delivered cursors failed: {}", batch.size(), e.toString());
                callers.forEach(c -> c.completeExceptionally(e));
            } finally {
                writing = Map.of();
            }
            if (lingerMillis > 0) {
                try {
                    Thread.sleep(lingerMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
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

    /** Stores what is pending, then stops the writer. */
    @Override
    public void close() throws InterruptedException {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        writer.join(10_000);
    }
}
