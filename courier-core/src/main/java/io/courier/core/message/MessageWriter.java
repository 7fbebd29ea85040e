package io.courier.core.message;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Group commit: the one thread that writes messages. Senders queue drafts; the thread takes what has
 * gathered (up to {@code maxBatch}), deduplicates each (sender, client message id), gives each the
 * next {@code seq} of its conversation, stores the whole batch in one transaction, and only then
 * completes the senders' futures and hands the batch to the {@link CommitListener} for delivery.
 *
 * @implNote One writer per node makes seq allocation a plain counter that needs no lock and no
 * database round trip: the counters are loaded from storage on first use and dropped whenever a
 * transaction fails, so a rolled-back batch leaves no gap. The acks and the fan-out of a batch run
 * on a second thread ({@code courier-delivery}), one batch after another in commit order (which is
 * what keeps pushes of one conversation in seq order), while this thread already commits the next:
 * building and writing the answers was half of this thread's time, and it is the one thread every
 * message goes through. At most {@link #DELIVERY_BACKLOG} batches wait for delivery; then the
 * writer waits too.
 */
public final class MessageWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MessageWriter.class);

    /** What a sender learns: the stored message, and whether it was already stored by an earlier try. */
    public record Outcome(StoredMessage message, boolean duplicate) {
    }

    /** A committed message and the device it came from (which gets an ack instead of a push). */
    public record Committed(StoredMessage message, String senderDeviceId) {
    }

    /** Told of each committed message, on the delivery thread, in commit order, right after its sender's ack. */
    @FunctionalInterface
    public interface CommitListener {
        void committed(Committed message);
    }

    private record Pending(StoredMessage draft, String senderDeviceId, CompletableFuture<Outcome> result) {
    }

    /**
     * What the dedup cache keeps of a stored message: what its ack needs. A retry carries the same
     * content under the same client message id, so the answer takes the content from the retry; the
     * whole message (content, strings) made the cache most of the live heap, which every young GC
     * copies as it fills.
     */
    private record Acked(String conversationId, long seq, long messageId, long createdAt) {
        static Acked of(StoredMessage m) {
            return new Acked(m.conversationId(), m.seq(), m.messageId(), m.createdAt());
        }

        StoredMessage asStored(StoredMessage retry) {
            return new StoredMessage(conversationId, seq, messageId, retry.senderId(), retry.toUserId(), retry.groupId(),
                    retry.clientMsgId(), retry.content(), createdAt, 0);
        }
    }

    private final MessageStore store;
    private final MessageIds ids;
    private final Clock clock;
    private final int maxBatch;
    private final BlockingQueue<Pending> queue;
    /**
     * Recent client message ids, so that a retry is answered without a lookup or a failed batch. A
     * retry is a send whose ack was lost, so it is recent: a few windows per sender. 200,000 entries
     * (20 s at 10,000 msg/s) were 50 MB that every young GC copied while the cache filled; an older
     * retry still finds its first copy through the database's unique key ({@link #write}).
     */
    static final int RECENT_IDS = 4_096;
    private final Cache<String, Acked> recent = Caffeine.newBuilder().maximumSize(RECENT_IDS).build();
    private final Map<String, Long> lastSeq = new HashMap<>(); // writer thread only
    /** The newest committed seq of recently written conversations, for readers on other threads. */
    private final Cache<String, Long> committedHeads = Caffeine.newBuilder().maximumSize(200_000).build();
    private final Thread thread;
    /** Batches committed but not yet acknowledged and delivered, bounded: see the class comment. */
    static final int DELIVERY_BACKLOG = 64;
    private final ThreadPoolExecutor delivery = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(DELIVERY_BACKLOG), Thread.ofPlatform().name("courier-delivery").daemon(true).factory(),
            (task, executor) -> {
                try {
                    executor.getQueue().put(task); // wait for room, in order: the writer slows down with its delivery
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RejectedExecutionException("Interrupted while delivery was full", e);
                }
            });
    private volatile CommitListener listener = message -> { };
    private final LongAdder batchesCommitted = new LongAdder();
    private final LongAdder messagesCommitted = new LongAdder();
    private volatile boolean running = true;

    public MessageWriter(MessageStore store, MessageIds ids, Clock clock, int maxBatch, int maxQueued) {
        this.store = store;
        this.ids = ids;
        this.clock = clock;
        this.maxBatch = maxBatch;
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        this.thread = Thread.ofPlatform().name("courier-message-writer").daemon(false).start(this::run);
    }

    /** Set once while wiring, before traffic. */
    public void listener(CommitListener listener) {
        this.listener = listener;
    }

    /**
     * Queues a draft (seq, id and time are assigned here); the future completes after the commit.
     * When the queue is full the caller waits for room (until the writer closes) rather than being
     * refused: a refused message is retried after the sender's later ones were accepted, and the
     * conversation would store them out of order (a bounded wait still did, under a 10-second
     * backlog). Callers are request threads, never an event loop; while they wait their connection
     * stops reading ({@code RequestQueue}), which slows the sender down and bounds the memory.
     */
    public CompletableFuture<Outcome> submit(StoredMessage draft, String senderDeviceId) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        Acked known = recent.getIfPresent(key(draft));
        if (known != null) {
            result.complete(new Outcome(known.asStored(draft), true));
        } else if (!running || !enqueue(new Pending(draft, senderDeviceId, result))) {
            result.completeExceptionally(CourierException.of(ErrorCode.OVERLOADED));
        }
        return result;
    }

    private boolean enqueue(Pending p) {
        try {
            while (!queue.offer(p, 100, TimeUnit.MILLISECONDS)) {
                if (!running) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(maxBatch);
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, maxBatch - 1);
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("Message writer failed on a batch", e);
                batch.forEach(p -> p.result().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
        for (Pending p; (p = queue.poll()) != null; ) {
            p.result().completeExceptionally(CourierException.of(ErrorCode.OVERLOADED));
        }
    }

    private void write(List<Pending> batch) {
        try {
            commit(batch, false);
        } catch (RuntimeException e) {
            forgetCounters(batch);
            if (!store.isDuplicateKey(e)) {
                log.warn("A batch of {} messages failed to commit: {}", batch.size(), e.getMessage());
                batch.forEach(p -> p.result().completeExceptionally(e));
                return;
            }
            // A client message id was stored before (a retry after a restart, or one the cache
            // forgot): redo the batch one message at a time, looking each id up first.
            for (Pending p : batch) {
                try {
                    commit(List.of(p), true);
                } catch (RuntimeException single) {
                    forgetCounters(List.of(p));
                    p.result().completeExceptionally(single);
                }
            }
        }
    }

    private void commit(List<Pending> batch, boolean lookUp) {
        long now = clock.millis();
        Map<String, StoredMessage> fresh = new LinkedHashMap<>();
        List<Pending> freshSenders = new ArrayList<>();
        List<Runnable> duplicates = new ArrayList<>();
        for (Pending p : batch) {
            String key = key(p.draft());
            StoredMessage sameBatch = fresh.get(key);
            if (sameBatch != null) {
                duplicates.add(() -> p.result().complete(new Outcome(sameBatch, true)));
                continue;
            }
            if (lookUp) {
                var stored = store.findByClientMsgId(p.draft().senderId(), p.draft().clientMsgId());
                if (stored.isPresent()) {
                    recent.put(key, Acked.of(stored.get()));
                    duplicates.add(() -> p.result().complete(new Outcome(stored.get(), true)));
                    continue;
                }
            }
            StoredMessage d = p.draft();
            long seq = lastSeq.computeIfAbsent(d.conversationId(), store::lastSeq) + 1;
            lastSeq.put(d.conversationId(), seq);
            fresh.put(key, new StoredMessage(d.conversationId(), seq, ids.next(now), d.senderId(), d.toUserId(), d.groupId(),
                    d.clientMsgId(), d.content(), now, 0));
            freshSenders.add(p);
        }
        List<StoredMessage> messages = new ArrayList<>(fresh.values());
        if (!messages.isEmpty()) {
            store.commit(CommitPlan.of(messages));
        }
        for (StoredMessage m : messages) {
            committedHeads.asMap().merge(m.conversationId(), m.seq(), Math::max);
        }
        if (!messages.isEmpty()) {
            batchesCommitted.increment();
            messagesCommitted.add(messages.size());
        }
        List<Committed> committed = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            StoredMessage m = messages.get(i);
            recent.put(key(m), Acked.of(m));
            committed.add(new Committed(m, freshSenders.get(i).senderDeviceId()));
        }
        delivery.execute(() -> deliver(committed, freshSenders, duplicates));
    }

    /**
     * On the delivery thread, batch after batch in commit order: each message's ack, then its pushes.
     * Message by message, so that a device gets a conversation's frames in seq order whether they are
     * its own acks or others' pushes (a push of seq 5 before the ack of its own seq 6); the frames of
     * one connection are still written and flushed together ({@code DeviceChannel}).
     */
    private void deliver(List<Committed> committed, List<Pending> senders, List<Runnable> duplicates) {
        for (int i = 0; i < committed.size(); i++) {
            senders.get(i).result().complete(new Outcome(committed.get(i).message(), false));
            try {
                listener.committed(committed.get(i));
            } catch (RuntimeException e) {
                // Delivery is a hint; the messages are stored and devices will sync them.
                log.warn("Delivery of a committed message failed: {}", e.toString());
            }
        }
        duplicates.forEach(Runnable::run);
    }

    /** Transactions committed so far (for the batch size: {@link #messagesCommitted} over this). */
    public long batchesCommitted() {
        return batchesCommitted.sum();
    }

    public long messagesCommitted() {
        return messagesCommitted.sum();
    }

    private void forgetCounters(List<Pending> batch) {
        batch.forEach(p -> lastSeq.remove(p.draft().conversationId()));
    }

    private static String key(StoredMessage m) {
        return m.senderId() + ":" + m.clientMsgId();
    }

    /**
     * The newest committed seq of a conversation: from memory when this writer wrote to it lately
     * (the single writer of a node is the only source of seqs), else from storage. Acknowledgements
     * check against it many times a second; the storage query is an aggregate.
     */
    public long lastSeq(String conversationId) {
        Long head = committedHeads.getIfPresent(conversationId);
        return head != null ? head : store.lastSeq(conversationId);
    }

    /** Stops taking messages, writes what is queued, delivers what is written, and waits for both threads. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
        delivery.shutdown();
        delivery.awaitTermination(10, TimeUnit.SECONDS);
    }
}
