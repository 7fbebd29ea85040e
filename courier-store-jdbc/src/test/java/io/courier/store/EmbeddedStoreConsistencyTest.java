package io.courier.store;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded database in journal mode stores its pages while other threads write. H2 stores map
 * by map (a table and each of its indexes are separate maps), so a store that overlapped another
 * transaction's commit could keep a row without its index entry, or half of a transaction; after a
 * crash that database fails its next update of the row ("Row not found when trying to delete from
 * index"), which is what a restart's replay does. Here writers in journal mode and writers that
 * store at once race for a while, the process "crashes" (SHUTDOWN IMMEDIATELY: the file as the last
 * store left it), and the reopened database must be consistent: every transaction whole or absent,
 * and every row reachable through its index and updatable.
 */
class EmbeddedStoreConsistencyTest {
    private static final int PAIRS = 64;
    private static final int STORING_ROWS = 16;
    /** A round is one race and one crash; each round finds the race with some chance, not every time. */
    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    private boolean journaled;

    /** journaled false: the database stores its pages at every commit, the writes race all the same. */
    @ParameterizedTest(name = "journaled: {0}")
    @ValueSource(booleans = {true, false})
    void aCrashLeavesEveryTransactionWholeAndEveryIndexInStepWithItsTable(boolean journaled) throws Exception {
        this.journaled = journaled;
        try (Database database = Database.open(DatabaseSettings.embedded(dir, 2, journaled))) {
            Jdbc jdbc = database.jdbc();
            jdbc.update("CREATE TABLE pair_rows (id BIGINT PRIMARY KEY, v BIGINT NOT NULL)");
            jdbc.update("CREATE INDEX ix_pair_rows_v ON pair_rows (v)");
            for (int id = 0; id < 2 * PAIRS + STORING_ROWS; id++) {
                jdbc.update("INSERT INTO pair_rows (id, v) VALUES (?, 0)", id);
            }
        }
        for (int round = 0; round < ROUNDS; round++) {
            raceAndCrash();
            assertConsistent();
        }
    }

    private void raceAndCrash() throws Exception {
        Database first = Database.open(DatabaseSettings.embedded(dir, 8, journaled));
        Jdbc jdbc = first.jdbc();

        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService threads = Executors.newFixedThreadPool(5);
        List<Future<Integer>> writers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            int offset = w;
            // journal-mode transactions: both rows of a pair change together, never stored by the commit
            writers.add(threads.submit(() -> {
                int commits = 0;
                for (int i = offset; !stop.get(); i += 3) {
                    long pair = i % PAIRS;
                    jdbc.inJournaledTransaction(c -> {
                        Jdbc.update(c, "UPDATE pair_rows SET v = v + 1 WHERE id = ?", 2 * pair);
                        return Jdbc.update(c, "UPDATE pair_rows SET v = v + 1 WHERE id = ?", 2 * pair + 1);
                    });
                    commits++;
                }
                return commits;
            }));
        }
        for (int w = 0; w < 2; w++) {
            int offset = w;
            // writes that store the database's pages as they return, in between the transactions above
            writers.add(threads.submit(() -> {
                int stores = 0;
                for (int i = offset; !stop.get(); i += 2) {
                    jdbc.update("UPDATE pair_rows SET v = v + 1 WHERE id = ?", 2 * PAIRS + i % STORING_ROWS);
                    stores++;
                }
                return stores;
            }));
        }
        Thread.sleep(1_000);
        stop.set(true);
        for (Future<Integer> writer : writers) {
            assertThat(writer.get(10, TimeUnit.SECONDS)).isPositive();
        }
        threads.shutdown();
        EmbeddedCrash.crash(first);
    }

    private void assertConsistent() {
        try (Database reopened = Database.open(DatabaseSettings.embedded(dir, 2, journaled))) {
            Jdbc again = reopened.jdbc();
            List<String> table = again.query("SELECT id, v FROM pair_rows USE INDEX () ORDER BY id", EmbeddedStoreConsistencyTest::row);
            assertThat(table).hasSize(2 * PAIRS + STORING_ROWS);
            for (int pair = 0; pair < PAIRS; pair++) {
                assertThat(table.get(2 * pair + 1).split("=")[1]).as("pair %d stored whole", pair)
                        .isEqualTo(table.get(2 * pair).split("=")[1]);
            }
            // the index holds both columns, so this reads the index alone
            assertThat(again.query("SELECT id, v FROM pair_rows USE INDEX (ix_pair_rows_v) WHERE v >= 0 ORDER BY id",
                    EmbeddedStoreConsistencyTest::row)).as("the index, as the table").isEqualTo(table);
            assertThat(again.update("UPDATE pair_rows SET v = v + 1")).as("every row updatable").isEqualTo(table.size());
        }
    }

    private static String row(ResultSet rs) throws SQLException {
        return rs.getLong(1) + "=" + rs.getLong(2);
    }
}
