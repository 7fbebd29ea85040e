package io.courier.store;

import io.courier.core.error.BackendException;
import io.courier.core.error.CourierException;
import io.courier.core.user.NewUser;
import io.courier.store.user.JdbcUserStore;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Opening a database: the Flyway migration, dialect detection, transactions and failures. */
class DatabaseTest {
    /** Every migration version in db/migration, in order; a new migration is added here too. */
    private static final String[] MIGRATIONS = {"1", "2", "3", "4"};
    private static final Set<String> SCHEMA_TABLES = Set.of("users", "user_sessions", "friend_requests", "friendships",
            "user_blocks", "chat_groups", "group_members", "messages", "delivery_cursors", "read_cursors",
            "user_conversations");

    @RegisterExtension
    static final TestDatabases.PerClass databases = TestDatabases.perClass();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void migrationCreatesTheWholeSchemaOnAnEmptyDatabase(Backend backend) throws SQLException {
        DatabaseSettings settings = databases.createEmpty(backend);
        try (Database db = Database.open(settings)) {
            assertThat(db.dialect()).isEqualTo(backend.dialect());
            assertThat(tableNames(db)).containsAll(SCHEMA_TABLES);

            MigrationInfoService info = flywayInfo(db);
            assertThat(info.pending()).isEmpty();
            assertThat(info.applied()).extracting(m -> m.getVersion().getVersion()).containsExactly(MIGRATIONS);
            assertThat(info.applied()).allSatisfy(m -> assertThat(m.getState()).isEqualTo(MigrationState.SUCCESS));
            assertThat(db.isHealthy()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void reopeningAMigratedDatabaseChangesNothing(Backend backend) {
        DatabaseSettings settings = databases.createEmpty(backend);
        MigrationInfo firstRun;
        long id;
        try (Database db = Database.open(settings)) {
            firstRun = flywayInfo(db).current();
            id = new JdbcUserStore(db.jdbc()).create(new NewUser("keeper", "h", "Keeper", null, 1));
        }
        try (Database db = Database.open(settings)) {
            MigrationInfoService info = flywayInfo(db);
            assertThat(info.applied()).hasSize(MIGRATIONS.length);
            assertThat(info.current().getVersion()).isEqualTo(firstRun.getVersion());
            assertThat(info.current().getInstalledRank()).isEqualTo(firstRun.getInstalledRank());
            assertThat(info.current().getInstalledOn()).isEqualTo(firstRun.getInstalledOn());
            // The data written before survives: the schema was not created again.
            assertThat(new JdbcUserStore(db.jdbc()).findById(id)).hasValueSatisfying(u ->
                    assertThat(u.username()).isEqualTo("keeper"));
        }
    }

    @org.junit.jupiter.api.Test
    void aNewEmbeddedFileHasSmallPagesAndAWriteAheadLog() {
        try (Database db = Database.open(databases.createEmpty(Backend.SQLITE))) {
            // Both fixed when the file was created: they hold for every connection opened later.
            assertThat(db.jdbc().query("PRAGMA page_size", rs -> rs.getInt(1))).containsExactly(Database.SQLITE_PAGE_SIZE);
            assertThat(db.jdbc().query("PRAGMA journal_mode", rs -> rs.getString(1))).containsExactly("wal");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void usernamesCompareExactlyOnEveryDatabase(Backend backend) {
        // MariaDB's default collation is case-insensitive; the migration's utf8mb4_bin must win.
        JdbcUserStore users = new JdbcUserStore(databases.fresh(backend).jdbc());
        users.create(new NewUser("alice", "h", "Alice", null, 1));

        assertThat(users.findByUsername("ALICE")).isEmpty();
        assertThat(users.findByUsername("Alice")).isEmpty();
        assertThat(users.findByUsername("alice")).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aTransactionCommitsWhenItsWorkReturns(Backend backend) {
        Database db = databases.fresh(backend);
        int inserted = db.jdbc().inTransaction(c -> Jdbc.update(c,
                "INSERT INTO user_blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)", 1L, 2L, 3L)
                + Jdbc.update(c, "INSERT INTO user_blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)", 1L, 3L, 3L));

        assertThat(inserted).isEqualTo(2);
        assertThat(countRows(db, "user_blocks")).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aTransactionRollsBackWhenItsWorkThrows(Backend backend) {
        Database db = databases.fresh(backend);
        assertThatThrownBy(() -> db.jdbc().inTransaction(c -> {
            Jdbc.update(c, "INSERT INTO user_blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)", 1L, 2L, 3L);
            throw new IllegalStateException("boom");
        })).isInstanceOf(IllegalStateException.class).hasMessage("boom");

        assertThat(countRows(db, "user_blocks")).isZero();
        // The connection went back to the pool in auto-commit mode: a plain update sticks.
        db.jdbc().update("INSERT INTO user_blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)", 5L, 6L, 7L);
        assertThat(countRows(db, "user_blocks")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aDuplicateKeyIsReportedAsAUniqueViolation(Backend backend) {
        Database db = databases.fresh(backend);
        String insert = "INSERT INTO user_blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)";
        db.jdbc().update(insert, 1L, 2L, 3L);

        DataAccessException e = catchThrowableOfType(DataAccessException.class, () -> db.jdbc().update(insert, 1L, 2L, 4L));

        assertThat(e).isInstanceOf(BackendException.class).hasCauseInstanceOf(SQLException.class);
        assertThat(e.isUniqueViolation()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aBadStatementSurfacesAsABackendFailure(Backend backend) {
        Database db = databases.fresh(backend);

        DataAccessException e = catchThrowableOfType(DataAccessException.class,
                () -> db.jdbc().query("SELECT no_such_column FROM users", rs -> 1));

        assertThat(e).isInstanceOf(BackendException.class).hasCauseInstanceOf(SQLException.class);
        assertThat(e.isUniqueViolation()).isFalse();
        assertThat(e.getMessage()).startsWith("Database operation failed: ");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aMissingRequiredValueIsABackendFailureNotATakenUsername(Backend backend) {
        JdbcUserStore users = new JdbcUserStore(databases.fresh(backend).jdbc());

        // A NOT NULL violation is a bug in the caller, not a client's taken username.
        Throwable thrown = catchThrowableOfType(RuntimeException.class,
                () -> users.create(new NewUser("nonick", "h", null, null, 1)));

        assertThat(thrown).isNotInstanceOf(CourierException.class).isInstanceOf(DataAccessException.class);
        assertThat(((DataAccessException) thrown).isUniqueViolation()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void storesFailWithABackendExceptionOnceTheDatabaseIsClosed(Backend backend) {
        Database db = Database.open(databases.createEmpty(backend));
        JdbcUserStore users = new JdbcUserStore(db.jdbc());
        users.create(new NewUser("before", "h", "Before", null, 1));
        db.close();

        assertThat(db.isHealthy()).isFalse();
        DataAccessException e = catchThrowableOfType(DataAccessException.class, users::count);
        assertThat(e).isInstanceOf(BackendException.class).hasCauseInstanceOf(SQLException.class);
        assertThat(e.isUniqueViolation()).isFalse();
        assertThatThrownBy(() -> users.create(new NewUser("after", "h", "After", null, 2)))
                .isInstanceOf(DataAccessException.class);
    }

    private static MigrationInfoService flywayInfo(Database db) {
        return Flyway.configure()
                .dataSource(db.dataSource())
                .locations("classpath:db/migration")
                .placeholders(db.dialect().placeholders())
                .load()
                .info();
    }

    private static Set<String> tableNames(Database db) throws SQLException {
        Set<String> names = new TreeSet<>();
        try (Connection c = db.dataSource().getConnection();
             ResultSet rs = c.getMetaData().getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                names.add(rs.getString("TABLE_NAME").toLowerCase(java.util.Locale.ROOT));
            }
        }
        return names;
    }

    private static long countRows(Database db, String table) {
        List<Long> counts = db.jdbc().query("SELECT COUNT(*) FROM " + table, rs -> rs.getLong(1));
        return counts.getFirst();
    }
}
