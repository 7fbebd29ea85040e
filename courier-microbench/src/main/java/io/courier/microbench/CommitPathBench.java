package io.courier.microbench;

import io.courier.core.message.ConversationId;
import io.courier.core.message.MessageIds;
import io.courier.core.message.MessageStore;
import io.courier.core.message.MessageWriter;
import io.courier.core.message.MessageWriter.Outcome;
import io.courier.core.message.StoredMessage;
import io.courier.store.Database;
import io.courier.store.DatabaseSettings;
import io.courier.store.Durability;
import io.courier.store.message.JdbcMessageStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.ThreadParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The sequence/commit path: {@link MessageWriter#submit} until the future completes, i.e. until the
 * message is stored with its seq in an embedded file database. One sender
 * waits for each of its messages alone; many senders (32 threads) keep the writer's queue full, so
 * batches form and one transaction acknowledges many messages.
 *
 * <p>The engines compared ({@code docs/architecture.md}, "The embedded database"): SQLite in WAL
 * mode, the default, with each durability ({@code db.durability}), and H2 storing its pages at every
 * commit, the durable H2 configuration. Run with {@code -prof gc} for the heap allocated per message.
 *
 * @implNote Built as CourierNode builds it (Database.open with Flyway, the JDBC store, MessageWriter
 * with the default max-batch and max-queued), in a temporary data directory deleted after the trial.
 * The commit listener only counts batches: fan-out to connections is not part of this path.
 */
@BenchmarkMode({Mode.Throughput, Mode.AverageTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CommitPathBench {
    static final int MAX_BATCH = 512;
    static final int MAX_QUEUED = 65_536;
    static final int POOL_SIZE = 10;

    /** One node's storage and writer, shared by every sender thread of the trial. */
    @State(Scope.Benchmark)
    public static class Node {
        /** {@code sqlite-process}: the default node; {@code sqlite-power}: {@code db.durability=power}; {@code h2}: H2, WRITE_DELAY=0. */
        @Param({"sqlite-process", "sqlite-power", "h2"})
        public String engine;

        Path dataDir;
        Database database;
        MessageStore store;
        MessageWriter writer;
        final LongAdder committed = new LongAdder();

        @Setup(Level.Trial)
        public void open() throws IOException {
            dataDir = Files.createTempDirectory("courier-microbench-");
            database = Database.open(settings(engine, dataDir));
            store = new JdbcMessageStore(database.jdbc());
            writer = new MessageWriter(store, new MessageIds(0), Clock.systemUTC(), MAX_BATCH, MAX_QUEUED);
            writer.listener(message -> committed.increment());
        }

        @TearDown(Level.Trial)
        public void close() throws Exception {
            try {
                writer.close();
                database.close();
                long batches = writer.batchesCommitted();
                if (batches > 0) {
                    // The batch size is what explains the many-senders numbers; JMH shows this line in its log.
                    System.out.printf("%n[commit path] %d messages in %d batches, %.1f messages per transaction%n",
                            writer.messagesCommitted(), batches, writer.messagesCommitted() / (double) batches);
                }
            } finally {
                deleteTree(dataDir);
            }
        }
    }

    /** The database of an engine in {@code dataDir}; shared with the other benchmarks of the store. */
    static DatabaseSettings settings(String engine, Path dataDir) {
        return switch (engine) {
            case "sqlite-process" -> DatabaseSettings.embedded(dataDir, POOL_SIZE, Durability.PROCESS);
            case "sqlite-power" -> DatabaseSettings.embedded(dataDir, POOL_SIZE, Durability.POWER);
            case "h2" -> new DatabaseSettings(Database.h2Url(dataDir.resolve("h2")), "", "", POOL_SIZE);
            default -> throw new IllegalArgumentException("Unknown engine " + engine);
        };
    }

    /** One user sending to one friend: each thread is its own conversation, as independent senders are. */
    @State(Scope.Thread)
    public static class Sender {
        private static final String ID_PREFIX = "3f2b8c1e-7a4d-4e0b-9a61-";
        long userId;
        long peerId;
        String conversationId;
        long sent;

        @Setup(Level.Trial)
        public void setUp(ThreadParams thread) {
            userId = 100_000 + 2L * thread.getThreadIndex();
            peerId = userId + 1;
            conversationId = ConversationId.ofUsers(userId, peerId).value();
        }

        /** A draft as MessageService hands it to the writer: seq, id and time are the writer's to fill in. */
        StoredMessage next() {
            return draft(ID_PREFIX + sent++);
        }

        StoredMessage draft(String clientMsgId) {
            return new StoredMessage(conversationId, 0, 0, userId, peerId, 0, clientMsgId, Samples.directContent(), 0, 0);
        }
    }

    /** A client's retry of a message the writer stored a moment ago (the dedup cache answers it). */
    @State(Scope.Thread)
    public static class Retry {
        StoredMessage stored;

        @Setup(Level.Trial)
        public void setUp(Node node, Sender sender) {
            stored = sender.draft("retried-" + sender.userId);
            node.writer.submit(stored, "bench").join();
        }
    }

    /** A conversation of {@code length} messages whose seq counter is not in memory yet. */
    @State(Scope.Benchmark)
    public static class ColdConversation {
        @Param({"100", "100000"})
        public int length;
        String conversationId;

        @Setup(Level.Trial)
        public void fill(Node node) {
            conversationId = ConversationId.ofUsers(900_001, 900_002).value();
            List<StoredMessage> batch = new ArrayList<>(1_000);
            for (long seq = 1; seq <= length; seq++) {
                batch.add(new StoredMessage(conversationId, seq, seq, 900_001, 900_002, 0, "cold-" + seq,
                        Samples.directContent(), Samples.NOW, 0));
                if (batch.size() == 1_000 || seq == length) {
                    node.store.append(batch);
                    batch.clear();
                }
            }
        }
    }

    /** One message alone: every submit is a transaction of one. */
    @Benchmark
    @Threads(1)
    public Outcome submitOneSender(Node node, Sender sender) {
        return node.writer.submit(sender.next(), "bench").join();
    }

    /** 32 senders at once: batches form while the previous one commits. */
    @Benchmark
    @Threads(32)
    public Outcome submitManySenders(Node node, Sender sender) {
        return node.writer.submit(sender.next(), "bench").join();
    }

    /** A retry answered from the writer's dedup cache, without reaching the writer thread or the database. */
    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Outcome submitRetry(Node node, Retry retry) {
        return node.writer.submit(retry.stored, "bench").join();
    }

    /**
     * The one part of seq allocation that is not a HashMap increment on the writer thread: loading a
     * conversation's counter from storage, on its first message after a start or after a failed batch.
     * (The increment itself is private to the writer and not separable.)
     */
    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public long coldSeqLoad(Node node, ColdConversation cold) {
        return node.store.lastSeq(cold.conversationId);
    }

    /** The server-wide message id every stored message gets (synchronized, called by the writer thread only). */
    @State(Scope.Thread)
    public static class Ids {
        final MessageIds ids = new MessageIds(0);
    }

    @Benchmark
    @Threads(1)
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long nextMessageId(Ids ids) {
        return ids.ids.next(System.currentTimeMillis());
    }

    static void deleteTree(Path root) throws IOException {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
