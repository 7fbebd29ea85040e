package io.courier.microbench;

import io.courier.core.message.ConversationId;
import io.courier.core.message.StoredMessage;
import io.courier.store.Database;
import io.courier.store.message.JdbcMessageStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What one stored message costs the embedded database, by the indexes of the {@code messages}
 * table: {@link JdbcMessageStore#append} of a batch spread over 50 conversations of 100 users (what a
 * busy writer commits), in an H2 file database storing its pages at every commit: the embedded
 * engine before SQLite, kept for the comparison in docs/architecture.md (SQLite cannot drop the
 * constraints of a table, so the variants exist on H2 only). Scores are per message.
 *
 * <p>Why: the cost of an H2 commit is mostly the pages it changed, and an index whose keys a batch
 * scatters (one place per conversation or per sender) changes one page per place, whatever the
 * number of messages. {@code courier} is the real schema; {@code no-client-id-index} drops the
 * unique (sender_id, client_msg_id) index that deduplicates retries; {@code primary-key-only} also
 * drops the unique message_id. Only {@code courier} is correct: the others show what each index costs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(MessageIndexBench.BATCH)
public class MessageIndexBench {
    static final int BATCH = 200;
    static final int CONVERSATIONS = 50;

    @State(Scope.Benchmark)
    public static class Store {
        @Param({"courier", "no-client-id-index", "primary-key-only"})
        public String indexes;

        Path dataDir;
        Database database;
        JdbcMessageStore store;
        final long[] seqs = new long[CONVERSATIONS];
        long next;

        @Setup(Level.Trial)
        public void open() throws IOException {
            dataDir = Files.createTempDirectory("courier-microbench-");
            database = Database.open(CommitPathBench.settings("h2", dataDir));
            if (!indexes.equals("courier")) {
                database.jdbc().update("ALTER TABLE messages DROP CONSTRAINT uq_messages_client");
            }
            if (indexes.equals("primary-key-only")) {
                database.jdbc().update("ALTER TABLE messages DROP CONSTRAINT uq_messages_id");
            }
            store = new JdbcMessageStore(database.jdbc());
        }

        /** The next batch: messages of every conversation in turn, each from one of its two users. */
        List<StoredMessage> batch() {
            List<StoredMessage> batch = new ArrayList<>(BATCH);
            long now = System.currentTimeMillis();
            for (int i = 0; i < BATCH; i++, next++) {
                int c = (int) (next % CONVERSATIONS);
                long sender = 1_000 + 2L * c + (next / CONVERSATIONS) % 2;
                long peer = sender % 2 == 0 ? sender + 1 : sender - 1;
                batch.add(new StoredMessage(ConversationId.ofUsers(sender, peer).value(), ++seqs[c], next + 1, sender, peer, 0,
                        "3f2b8c1e-7a4d-4e0b-9a61-" + next, Samples.directContent(), now, 0));
            }
            return batch;
        }

        @TearDown(Level.Trial)
        public void close() throws IOException {
            database.close();
            CommitPathBench.deleteTree(dataDir);
        }
    }

    @Benchmark
    public int appendBatch(Store s) {
        List<StoredMessage> batch = s.batch();
        s.store.append(batch);
        return batch.size();
    }
}
