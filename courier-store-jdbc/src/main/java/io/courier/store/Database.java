package io.courier.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/** The connection pool to one database, migrated to the current schema when it opens. */
public final class Database implements AutoCloseable {
    /** The embedded database's file under the data directory. */
    public static final String EMBEDDED_FILE = "courier.sqlite";

    private final HikariDataSource dataSource;
    private final Dialect dialect;
    private final Jdbc jdbc;
    private final WalCheckpoints checkpoints;

    private Database(HikariDataSource dataSource, Dialect dialect, WalCheckpoints checkpoints) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.jdbc = new Jdbc(dataSource, dialect);
        this.checkpoints = checkpoints;
    }

    /** Opens the pool and applies pending migrations; fails fast when the database is unreachable. */
    public static Database open(DatabaseSettings settings) {
        Dialect dialect = Dialect.fromJdbcUrl(settings.url());
        if (dialect == Dialect.SQLITE) {
            createParentDirectory(settings.url());
            createSqliteFile(settings.url());
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("courier-db");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.poolSize());
        config.setMinimumIdle(Math.min(2, settings.poolSize()));
        config.setConnectionTimeout(5_000);
        if (dialect == Dialect.SQLITE) {
            config.setDataSourceProperties(sqliteProperties(settings.url()));
        }
        HikariDataSource dataSource = new HikariDataSource(config);
        WalCheckpoints checkpoints = null;
        try {
            Flyway.configure()
                    .dataSource(dataSource)
                    .locations("classpath:db/migration")
                    .placeholders(dialect.placeholders())
                    .load()
                    .migrate();
            if (dialect == Dialect.SQLITE) {
                checkpoints = WalCheckpoints.start(settings.url(), sqliteProperties(settings.url()));
            }
        } catch (RuntimeException | SQLException e) {
            dataSource.close();
            throw e instanceof RuntimeException r ? r : new DataAccessException("Cannot open " + settings.url(), (SQLException) e);
        }
        return new Database(dataSource, dialect, checkpoints);
    }

    /**
     * Every connection's settings. WAL: a commit appends its pages to the write-ahead log with one
     * write, readers never wait for the writer, and a crash of the process loses nothing committed
     * (what {@code synchronous} adds is in {@link Durability}). Checkpoints (copying the log back
     * into the database file, with its syncs) run on a thread of their own ({@link WalCheckpoints}),
     * never inside a commit that clients wait for.
     */
    private static Properties sqliteProperties(String url) {
        Map<String, String> params = urlParameters(url);
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(params.getOrDefault("synchronous", "NORMAL").toUpperCase()));
        sqlite.setWalAutocheckpoint(0);
        sqlite.setJournalSizeLimit(64 << 20);
        sqlite.setBusyTimeout(10_000);
        sqlite.setCacheSize(-8_000); // KiB: the page cache, outside the Java heap
        return sqlite.toProperties();
    }

    /**
     * SQLite's page size, for files created from now on (it is fixed when a file is created; an
     * export and import moves older data to it). A message dirties about two index pages that no
     * other message of its commit shares (its conversation's and its sender's), so each costs two
     * pages of write-ahead log: at 4 KiB that was 100 MB/s of log for 10,000 msg/s and about half of
     * the machine's CPU in the kernel. 1 KiB pages quartered the log and took the warm open-loop p50
     * from about 5 ms to about 2 ms (docs/benchmarks.md); 512 was slower again (deeper trees).
     */
    static final int SQLITE_PAGE_SIZE = 1024;

    private static void createSqliteFile(String url) {
        Path file = Path.of(url.substring("jdbc:sqlite:".length()).split("\\?", 2)[0]);
        if (Files.exists(file)) {
            return;
        }
        // Before any table and before WAL mode: the first write fixes the page size.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("PRAGMA page_size = " + SQLITE_PAGE_SIZE);
            st.execute("PRAGMA journal_mode = WAL");
        } catch (SQLException e) {
            throw new DataAccessException("Cannot create the database file " + file, e);
        }
    }

    private static void createParentDirectory(String url) {
        String file = url.substring("jdbc:sqlite:".length()).split("\\?", 2)[0];
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the database directory " + parent, e);
        }
    }

    private static Map<String, String> urlParameters(String url) {
        int q = url.indexOf('?');
        Map<String, String> params = new HashMap<>();
        if (q >= 0) {
            for (String pair : url.substring(q + 1).split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    params.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return params;
    }

    /** The embedded database under the data directory: SQLite in WAL mode. See docs/architecture.md for why. */
    public static String embeddedUrl(Path dataDir, Durability durability) {
        return sqliteUrl(embeddedPath(dataDir), durability);
    }

    /** A SQLite database in {@code file}, with Courier's settings. */
    public static String sqliteUrl(Path file, Durability durability) {
        return "jdbc:sqlite:" + file.toAbsolutePath() + "?synchronous=" + durability.sqliteSynchronous();
    }

    /**
     * An H2 database at {@code base} (H2 adds {@code .mv.db}) whose commits store its pages: how the
     * releases before SQLite ran it, kept for their upgrade ({@code H2Upgrade}) and the engine comparison.
     */
    public static String h2Url(Path base) {
        return "jdbc:h2:file:" + base.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    public static Path embeddedPath(Path dataDir) {
        return dataDir.resolve("db").resolve(EMBEDDED_FILE).toAbsolutePath();
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
        if (checkpoints != null) {
            checkpoints.close();
        }
        dataSource.close();
    }
}
