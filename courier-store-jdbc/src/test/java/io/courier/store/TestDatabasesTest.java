package io.courier.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The fixture itself: the service availability rule, and that it leaves no databases behind. */
class TestDatabasesTest {
    @TempDir
    Path tempDir;

    @Test
    void anUnreachableServiceFailsTheTestUnderCi() {
        Throwable t = catchThrowable(() -> TestDatabases.reportUnavailable(Backend.MARIADB, "Connection refused", "true"));

        assertThat(t).isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("MariaDB is not available at 127.0.0.1:3306")
                .hasMessageContaining("Connection refused")
                .hasMessageContaining("Start it with: bash .ci/services.sh")
                .hasMessageContaining("sudo service mariadb start")
                .hasMessageContaining("CI=true");
    }

    @Test
    void anUnreachableServiceSkipsTheTestOutsideCi() {
        Throwable unset = catchThrowable(() -> TestDatabases.reportUnavailable(Backend.POSTGRESQL, "Connection refused", null));
        Throwable other = catchThrowable(() -> TestDatabases.reportUnavailable(Backend.POSTGRESQL, "Connection refused", "false"));

        assertThat(unset).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("PostgreSQL is not available at 127.0.0.1:5432")
                .hasMessageContaining("sudo service postgresql start")
                .hasMessageContaining("Skipping the POSTGRESQL tests");
        assertThat(other).isInstanceOf(TestAbortedException.class);
    }

    @Test
    void embeddedIsNeverSkipped() {
        TestDatabases.requireReachable(Backend.SQLITE); // returns: there is no server to be missing
        try (TestDatabases databases = new TestDatabases(tempDir)) {
            assertThat(databases.fresh(Backend.SQLITE).isHealthy()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Backend.class, names = {"MARIADB", "POSTGRESQL"})
    void eachFixtureGetsItsOwnServerDatabaseAndDropsItOnClose(Backend backend) throws SQLException {
        String first;
        String second;
        try (TestDatabases a = new TestDatabases(tempDir); TestDatabases b = new TestDatabases(tempDir)) {
            first = databaseName(a.createEmpty(backend));
            second = databaseName(b.createEmpty(backend));
            assertThat(first).startsWith("courier_t_").isNotEqualTo(second);
            assertThat(exists(backend, first)).isTrue();
            assertThat(exists(backend, second)).isTrue();
        }
        assertThat(exists(backend, first)).isFalse();
        assertThat(exists(backend, second)).isFalse();
    }

    private static String databaseName(DatabaseSettings settings) {
        return settings.url().substring(settings.url().lastIndexOf('/') + 1);
    }

    private static boolean exists(Backend backend, String name) throws SQLException {
        String sql = backend == Backend.MARIADB
                ? "SELECT 1 FROM information_schema.schemata WHERE schema_name = ?"
                : "SELECT 1 FROM pg_database WHERE datname = ?";
        try (Connection c = DriverManager.getConnection(backend.adminUrl(), backend.user(), backend.password());
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
