package io.courier.microbench;

import io.courier.core.message.ConversationId;
import io.courier.core.message.StoredMessage;
import io.courier.store.Database;
import io.courier.store.message.JdbcMessageStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a million stored messages cost an embedded engine on disk, and how long a node then takes to
 * open its database: the two rows of the engine comparison (docs/architecture.md) that are not
 * rates. Writes {@code count} messages (batches of 500 over 1,000 conversations, as a busy writer
 * commits them) with the real store, closes the database, reports the files' size, then reopens it
 * (Flyway's check included) and times that and the first history read.
 *
 * <p>{@code java -cp courier-microbench/target/courier-microbench.jar io.courier.microbench.EngineFootprint
 * [count] [engine ...]} with engines from {@link CommitPathBench#settings}.
 */
public final class EngineFootprint {
    private EngineFootprint() {
    }

    public static void main(String[] args) throws IOException {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        List<String> engines = args.length > 1 ? List.of(args).subList(1, args.length) : List.of("sqlite-process", "h2");
        for (String engine : engines) {
            Path dir = Files.createTempDirectory("courier-footprint-");
            try {
                long start = System.nanoTime();
                try (Database db = Database.open(CommitPathBench.settings(engine, dir))) {
                    write(new JdbcMessageStore(db.jdbc()), count);
                }
                double writeSeconds = (System.nanoTime() - start) / 1e9;
                long bytes = size(dir);
                long open = System.nanoTime();
                long firstRead;
                try (Database db = Database.open(CommitPathBench.settings(engine, dir))) {
                    new JdbcMessageStore(db.jdbc()).before(ConversationId.ofUsers(1_000, 1_001).value(), Long.MAX_VALUE, 50);
                    firstRead = System.nanoTime();
                }
                System.out.printf("%s: %,d messages written in %.1f s (%,.0f/s); files %,d MB (%,.0f bytes a message);"
                                + " reopened and first page read in %d ms%n", engine, count, writeSeconds, count / writeSeconds,
                        bytes >> 20, bytes / (double) count, (firstRead - open) / 1_000_000);
            } finally {
                delete(dir);
            }
        }
    }

    private static void write(JdbcMessageStore store, int count) {
        int conversations = 1_000;
        long[] seqs = new long[conversations];
        long now = System.currentTimeMillis();
        List<StoredMessage> batch = new ArrayList<>(500);
        for (long n = 0; n < count; n++) {
            int c = (int) (n % conversations);
            long sender = 1_000 + 2L * c + (n / conversations) % 2;
            long peer = sender % 2 == 0 ? sender + 1 : sender - 1;
            batch.add(new StoredMessage(ConversationId.ofUsers(sender, peer).value(), ++seqs[c], n + 1, sender, peer, 0,
                    "3f2b8c1e-7a4d-4e0b-9a61-" + n, Samples.directContent(), now + n / 10, 0));
            if (batch.size() == 500) {
                store.append(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.append(batch);
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
