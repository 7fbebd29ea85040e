package io.courier.store;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Isolated databases for one test class. Each backend gets its own brand-new database the first
 * time a test asks for it: a SQLite file database under the class's temporary directory, or a
 * uniquely named database ({@code courier_t_<random>}) created on the MariaDB or PostgreSQL server
 * through a plain JDBC admin connection. {@link #close()} closes every pool and drops the server
 * databases again.
 *
 * <p>Service availability (project standard): when MariaDB or PostgreSQL cannot be reached, its
 * tests fail with a message naming the service and how to start it if the environment variable
 * {@code CI} is {@code true}, and are skipped with that message otherwise. SQLite never skips.
 *
 * <p>Typical use, one set of databases per test class:
 * <pre>{@code
 * @RegisterExtension static final TestDatabases.PerClass databases = TestDatabases.perClass();
 * ... Database db = databases.fresh(backend);
 * }</pre>
 */
public final class TestDatabases implements AutoCloseable {
    public static final int DEFAULT_POOL_SIZE = 4;

    /** Whether each server answered, probed once per JVM: empty when it did, else what went wrong. */
    private static final Map<Backend, Optional<String>> PROBES = new ConcurrentHashMap<>();

    private final Path embeddedRoot;
    private final int poolSize;
    private final AtomicInteger embeddedCounter = new AtomicInteger();
    private final Map<Backend, Database> shared = new EnumMap<>(Backend.class);
    private final List<Created> created = new ArrayList<>();

    private record Created(Backend backend, String name) {
    }

    /** The databases of one test class, created before its first test and dropped after its last. */
    public static PerClass perClass() {
        return new PerClass(DEFAULT_POOL_SIZE);
    }

    public static PerClass perClass(int poolSize) {
        return new PerClass(poolSize);
    }

    /** A JUnit extension that owns a {@link TestDatabases} and its temporary SQLite directory. */
    public static final class PerClass implements BeforeAllCallback, AfterAllCallback {
        private final int poolSize;
        private Path dir;
        private TestDatabases databases;

        private PerClass(int poolSize) {
            this.poolSize = poolSize;
        }

        public Database fresh(Backend backend) {
            return databases.fresh(backend);
        }

        public DatabaseSettings createEmpty(Backend backend) {
            return databases.createEmpty(backend);
        }

        @Override
        public void beforeAll(ExtensionContext context) throws IOException {
            dir = Files.createTempDirectory("courier-store-test");
            databases = new TestDatabases(dir, poolSize);
        }

        @Override
        public void afterAll(ExtensionContext context) throws IOException {
            databases.close();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    public TestDatabases(Path embeddedRoot) {
        this(embeddedRoot, DEFAULT_POOL_SIZE);
    }

    public TestDatabases(Path embeddedRoot, int poolSize) {
        this.embeddedRoot = embeddedRoot;
        this.poolSize = poolSize;
    }

    /**
     * This class's database on {@code backend}, migrated and with every table emptied, so that
     * each test starts from nothing. Created and migrated on the first call.
     */
    public synchronized Database fresh(Backend backend) {
        Database db = shared.get(backend);
        if (db == null) {
            db = Database.open(createEmpty(backend));
            shared.put(backend, db);
        } else {
            emptyAllTables(db);
        }
        return db;
    }

    /**
     * Creates one more brand-new, empty database (no tables at all) and returns the settings to open
     * it with. The caller closes what it opens; the database itself is dropped by {@link #close()}.
     */
    public synchronized DatabaseSettings createEmpty(Backend backend) {
        if (!backend.isServer()) {
            Path dir = embeddedRoot.resolve("sqlite-" + embeddedCounter.incrementAndGet());
            return DatabaseSettings.embedded(dir, poolSize, Durability.PROCESS);
        }
        requireReachable(backend);
        String name = "courier_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection admin = adminConnection(backend); Statement st = admin.createStatement()) {
            st.execute(backend.createDatabaseSql(name));
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create test database " + name + " on " + backend.displayName()
                    + ": " + e.getMessage(), e);
        }
        created.add(new Created(backend, name));
        return new DatabaseSettings(backend.url(name), backend.user(), backend.password(), poolSize);
    }

    /** Closes the pools and drops every server database this fixture created. */
    @Override
    public synchronized void close() {
        List<Exception> failures = new ArrayList<>();
        for (Database db : shared.values()) {
            try {
                db.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        shared.clear();
        for (Created c : created) {
            try (Connection admin = adminConnection(c.backend()); Statement st = admin.createStatement()) {
                st.execute(c.backend().dropDatabaseSql(c.name()));
            } catch (SQLException e) {
                failures.add(new IllegalStateException("Could not drop test database " + c.name() + " on "
                        + c.backend().displayName() + ": " + e.getMessage(), e));
            }
        }
        created.clear();
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("Cleaning up the test databases failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    /** Fails (CI=true) or skips the calling test when the backend's server cannot be reached. */
    public static void requireReachable(Backend backend) {
        if (!backend.isServer()) {
            return;
        }
        PROBES.computeIfAbsent(backend, TestDatabases::probe)
                .ifPresent(problem -> reportUnavailable(backend, problem, System.getenv("CI")));
    }

    /** The availability rule itself, apart from the environment so it can be tested. */
    static void reportUnavailable(Backend backend, String problem, String ciVariable) {
        String message = backend.displayName() + " is not available at " + backend.address() + " as user '"
                + backend.user() + "' (" + problem + "). Start it with: " + backend.startCommand() + ".";
        if ("true".equalsIgnoreCase(ciVariable)) {
            Assertions.fail(message + " CI=true, so the " + backend + " tests fail instead of being skipped.");
        }
        Assumptions.abort(message + " Skipping the " + backend + " tests (they fail instead when CI=true).");
    }

    private static Optional<String> probe(Backend backend) {
        try (Connection c = adminConnection(backend)) {
            return c.isValid(2) ? Optional.empty() : Optional.of("the connection is not valid");
        } catch (SQLException e) {
            return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Connection adminConnection(Backend backend) throws SQLException {
        return DriverManager.getConnection(backend.adminUrl(), backend.user(), backend.password());
    }

    /** DELETEs every row of every table but Flyway's history, wherever later migrations add tables. */
    private static void emptyAllTables(Database db) {
        try (Connection c = db.dataSource().getConnection()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    String table = rs.getString("TABLE_NAME");
                    if (!table.equalsIgnoreCase("flyway_schema_history")) {
                        tables.add(table);
                    }
                }
            }
            if (tables.stream().noneMatch("users"::equalsIgnoreCase)) {
                throw new IllegalStateException("Found no Courier tables to empty, only " + tables);
            }
            try (Statement st = c.createStatement()) {
                for (String table : tables) {
                    st.executeUpdate("DELETE FROM " + table);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not empty the test database: " + e.getMessage(), e);
        }
    }
}
