package io.courier.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/** The connection pool to one database, migrated to the current schema when it opens. */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final Jdbc jdbc;

    /**
     * H2's own background writer in journal mode: never (24 days). It would store the pages while a
     * transaction commits, which can store half of it ({@link Jdbc}); the message journal's checkpoint
     * thread stores them instead, between writes.
     */
    private static final int NO_BACKGROUND_STORES_MS = Integer.MAX_VALUE;

    private Database(HikariDataSource dataSource, Dialect dialect, Jdbc.Persistence persistence) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbc = new Jdbc(dataSource, persistence, dialect == Dialect.H2);
    }

    /** Opens the pool and applies pending migrations; fails fast when the database is unreachable. */
    public static Database open(DatabaseSettings settings) {
        Dialect dialect = Dialect.fromJdbcUrl(settings.url());
        if (settings.journaled() && dialect != Dialect.H2) {
            throw new IllegalArgumentException("Only the embedded database has a journal mode: " + settings.url());
        }
        Jdbc.Persistence persistence = settings.journaled() ? Database::storeEmbeddedPages : Jdbc.Persistence.BY_COMMIT;
        HikariConfig config = new HikariConfig();
        config.setPoolName("courier-db");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(5_000);
        HikariDataSource dataSource = new HikariDataSource(config);
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .placeholders(dialect.placeholders())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        Database database = new Database(dataSource, dialect, persistence);
        if (settings.journaled()) {
            database.jdbc.persist(); // the migrations' commits were not stored
        }
        return database;
    }

    /**
     * Writes every change the embedded database has committed (and not yet stored) to its file, as
     * its own commit does when WRITE_DELAY is 0: after this returns, they survive a kill -9. Reached
     * through H2's engine classes because SQL offers only CHECKPOINT, which also forces the file to
     * the disk, a cost the per-commit store never had.
     */
    private static void storeEmbeddedPages(Connection c) throws SQLException {
        SessionLocal session = (SessionLocal) c.unwrap(JdbcConnection.class).getSession();
        MVStore store = session.getDatabase().getStore().getMvStore();
        store.commit();
        // commit() returns at once when a store H2 started by itself (asynchronous: when its unsaved
        // pages pile up inside a write) already took the changes; this waits until that one is written.
        store.executeFilestoreOperation(() -> { });
    }

    /**
     * The embedded database under the data directory. See docs/architecture.md for why H2 and why
     * these settings: they are what survives a kill -9 with every acknowledged write.
     */
    public static String embeddedUrl(Path dataDir) {
        return embeddedFile(dataDir) + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    /**
     * The embedded database whose commits do not store its pages: only with {@code
     * DatabaseSettings.journaled}, which stores them at every write but the journaled ones, and
     * whose message journal stores them for those.
     */
    public static String journaledEmbeddedUrl(Path dataDir) {
        return embeddedFile(dataDir) + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=" + NO_BACKGROUND_STORES_MS;
    }

    private static String embeddedFile(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("courier").toAbsolutePath();
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    public Dialect dialect() {
        return dialect;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** Readiness: a connection can be had and answers within two seconds. */
    public boolean isHealthy() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
