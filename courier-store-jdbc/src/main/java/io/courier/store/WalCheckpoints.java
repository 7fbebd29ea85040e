package io.courier.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Copies SQLite's write-ahead log back into the database file, on a thread and a connection of its
 * own. SQLite would otherwise do it inside the commit that fills the log past 1,000 pages, with two
 * syncs, and the senders of that batch would wait for them. A PASSIVE checkpoint does not take the
 * write lock: the writer goes on appending to the log while the checkpoint copies.
 *
 * <p>Nothing here is needed for durability: a commit is durable once it is in the log. The log is
 * only kept short (the next commit after a complete checkpoint starts it again from the top), so
 * that a restart has little to read and the file stays small.
 */
final class WalCheckpoints implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WalCheckpoints.class);
    static final long INTERVAL_MS = 200;

    private final Connection connection;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("courier-wal-checkpoint").daemon(true).factory());

    private WalCheckpoints(Connection connection) {
        this.connection = connection;
    }

    static WalCheckpoints start(String url, Properties properties) throws SQLException {
        WalCheckpoints checkpoints = new WalCheckpoints(DriverManager.getConnection(url, properties));
        checkpoints.thread.scheduleWithFixedDelay(() -> checkpoints.run("PASSIVE"), INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
        return checkpoints;
    }

    private synchronized void run(String mode) {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            if (rs.next() && rs.getInt(1) != 0) {
                log.debug("A WAL checkpoint was blocked; the next one continues");
            }
        } catch (SQLException e) {
            log.warn("WAL checkpoint failed: {}", e.getMessage());
        }
    }

    /** A last complete checkpoint, which also empties the log: a clean stop leaves one file. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        run("TRUNCATE");
        try {
            connection.close();
        } catch (SQLException e) {
            log.warn("Closing the checkpoint connection failed: {}", e.getMessage());
        }
    }
}
