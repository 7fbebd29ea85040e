package io.courier.store.message;

import io.courier.core.message.ConversationEntry;
import io.courier.core.message.MessageStore;
import io.courier.core.message.StoredMessage;
import io.courier.store.Jdbc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The embedded database's message store with a journal in front: a batch is committed to the
 * database (visible to readers at once) without storing its pages, then appended to the
 * {@link MessageJournal}, and only then is it acknowledged. The database's pages are stored by a
 * checkpoint thread (every second, and whenever a journal segment fills), so one page write serves
 * thousands of messages instead of one batch.
 *
 * <p>Why: storing the pages is what an embedded-database commit costs, whatever the size of the
 * batch (each index a batch touches rewrites a page per conversation), and it was most of the
 * message writer's time at small batches, which is to say at every rate below saturation. A journal
 * record is one sequential write.
 *
 * <p>After a crash, {@link #open} replays the journal: every batch whose messages the database did
 * not store is written again, in order, with everything the first write did (conversation lists,
 * group heads, mentions, the sender's read cursor), so the database ends as if it had stored
 * every acknowledged batch.
 */
public final class JournaledMessageStore implements MessageStore, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JournaledMessageStore.class);
    /** A full segment triggers a store: it bounds the journal on disk and what a restart replays. */
    public static final long SEGMENT_BYTES = 4L << 20;
    /** Between two stores of the database's pages when no segment fills. */
    public static final Duration STORE_INTERVAL = Duration.ofSeconds(1);

    private final JdbcMessageStore store;
    private final Jdbc jdbc;
    private final MessageJournal journal;
    private boolean journalBroken; // writer thread only
    private final ScheduledExecutorService checkpoints = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("courier-journal-checkpoint").daemon(true).factory());

    private JournaledMessageStore(JdbcMessageStore store, Jdbc jdbc, MessageJournal journal) {
        this.store = store;
        this.jdbc = jdbc;
        this.journal = journal;
    }

    /** {@link #open(Jdbc, Path, long, Duration)} with the segment size and store interval of a server. */
    public static JournaledMessageStore open(Jdbc jdbc, Path dir) {
        return open(jdbc, dir, SEGMENT_BYTES, STORE_INTERVAL);
    }

    /**
     * Opens the journal in {@code dir} over a database opened in journal mode, and first brings the
     * database up to date with what an earlier process acknowledged.
     */
    public static JournaledMessageStore open(Jdbc jdbc, Path dir, long segmentBytes, Duration storeInterval) {
        try {
            MessageJournal journal = MessageJournal.open(dir, segmentBytes);
            JournaledMessageStore journaled = new JournaledMessageStore(new JdbcMessageStore(jdbc), jdbc, journal);
            journaled.replay(journal.recover());
            journaled.checkpoints.scheduleWithFixedDelay(journaled::store, storeInterval.toMillis(), storeInterval.toMillis(),
                    TimeUnit.MILLISECONDS);
            return journaled;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the message journal in " + dir, e);
        }
    }

    private void replay(MessageJournal.Recovered recovered) throws IOException {
        int replayed = 0;
        for (List<StoredMessage> batch : recovered.batches()) {
            // The database stores a prefix of the commit order, so a batch is there whole or not at all;
            // looking each message up keeps the replay right even if that did not hold.
            List<StoredMessage> missing = batch.stream()
                    .filter(m -> store.find(m.conversationId(), m.seq()).isEmpty())
                    .toList();
            if (!missing.isEmpty()) {
                store.appendJournaled(missing);
                replayed += missing.size();
            }
        }
        jdbc.persist();
        journal.deleteUpTo(recovered.lastSegment());
        if (replayed > 0) {
            log.info("Replayed {} acknowledged messages from the message journal that the database had not stored", replayed);
        }
    }

    @Override
    public void append(List<StoredMessage> batch) {
        store.appendJournaled(batch);
        if (journalBroken) {
            jdbc.persist();
            return;
        }
        try {
            journal.append(batch);
            long full = journal.rotateIfFull();
            if (full >= 0) {
                checkpoints.execute(() -> checkpoint(full));
            }
        } catch (IOException | RuntimeException e) {
            // Committed but maybe not journaled: the database's own store makes it durable instead. If
            // that fails too, the batch fails, and a retry finds it by its client message id.
            log.error("The message journal failed ({}); storing the database's pages for this batch instead", e.toString());
            jdbc.persist();
            restartJournal();
        }
    }

    /**
     * After a failed append the segment may end in a torn record, and records behind it would not be
     * read back: everything is stored now, so it is deleted and a new segment started.
     */
    private void restartJournal() {
        try {
            journal.deleteUpTo(journal.rotate());
        } catch (IOException | RuntimeException e) {
            journalBroken = true;
            log.error("The message journal cannot start a new segment ({}); every batch now stores the database's pages",
                    e.toString());
        }
    }

    /** Stores the database's pages, after which the segments up to {@code full} hold nothing it lacks. */
    private void checkpoint(long full) {
        try {
            jdbc.persist();
            journal.deleteUpTo(full);
        } catch (IOException | RuntimeException e) {
            // The segments stay; the next checkpoint deletes them.
            log.warn("A message journal checkpoint failed: {}", e.toString());
        }
    }

    /** The periodic store: what the database holds unstored stays small, and so does a restart's replay. */
    private void store() {
        try {
            jdbc.persist();
        } catch (RuntimeException e) {
            log.warn("Storing the database's pages failed: {}", e.toString());
        }
    }

    /** Stores everything and empties the journal: a clean restart replays nothing. Call after the writer stopped. */
    @Override
    public void close() throws IOException, InterruptedException {
        checkpoints.shutdown();
        checkpoints.awaitTermination(10, TimeUnit.SECONDS);
        jdbc.persist();
        journal.close();
        journal.deleteUpTo(journal.currentSegment());
    }

    @Override
    public boolean isDuplicateKey(RuntimeException failure) {
        return store.isDuplicateKey(failure);
    }

    @Override
    public long lastSeq(String conversationId) {
        return store.lastSeq(conversationId);
    }

    @Override
    public Optional<StoredMessage> findByClientMsgId(long senderId, String clientMsgId) {
        return store.findByClientMsgId(senderId, clientMsgId);
    }

    @Override
    public Optional<StoredMessage> find(String conversationId, long seq) {
        return store.find(conversationId, seq);
    }

    @Override
    public List<StoredMessage> after(String conversationId, long afterSeq, int limit) {
        return store.after(conversationId, afterSeq, limit);
    }

    @Override
    public List<StoredMessage> before(String conversationId, long beforeSeq, int limit) {
        return store.before(conversationId, beforeSeq, limit);
    }

    @Override
    public List<StoredMessage> latest(Collection<String> conversationIds) {
        return store.latest(conversationIds);
    }

    @Override
    public boolean recall(String conversationId, long seq, long at) {
        return store.recall(conversationId, seq, at);
    }

    @Override
    public List<ConversationEntry> conversationsOf(long userId, int limit) {
        return store.conversationsOf(userId, limit);
    }
}
