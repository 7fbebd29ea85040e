package io.courier.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A start that cannot succeed says why in one line naming what to change, and leaves nothing behind. */
class StartupFailureTest {
    @TempDir
    Path dir;

    @Test
    void aPortInUseIsNamedWithItsSettingAndNothingIsCreated() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = taken.getLocalPort();
            Path data = dir.resolve("never-created");

            ProcessNode.Exit exit = ProcessNode.runToExit(data, Map.of("tcp.port", Integer.toString(port)));

            assertThat(exit.code()).isEqualTo(1);
            assertThat(courierLines(exit.stderr())).singleElement().asString()
                    .startsWith("courier: cannot listen on 127.0.0.1:" + port + " (tcp.port)")
                    .contains("already in use").contains("--tcp.port=PORT");
            assertThat(exit.stdout()).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(data).doesNotExist();
        }
    }

    @Test
    void aSecondServerOnTheSameDataDirectoryIsRefusedUntilTheFirstIsGoneEvenByKillDashNine() throws Exception {
        Path data = dir.resolve("data");
        try (ProcessNode first = ProcessNode.start(data)) {
            first.api().register("keeper", "secret1");

            ProcessNode.Exit second = ProcessNode.runToExit(data, Map.of());

            assertThat(second.code()).isEqualTo(1);
            assertThat(courierLines(second.stderr())).singleElement().asString()
                    .isEqualTo("courier: the data directory " + data.toAbsolutePath().normalize()
                            + " is in use by another Courier server (pid " + first.pid()
                            + "); stop it, or give this one another --data.dir");
            assertThat(second.stdout()).doesNotContain("Exception");
            // The first one is untouched.
            assertThat(first.api().login("keeper", "secret1", "d").get("token").asText()).isNotEmpty();

            first.killDashNine();
        }
        // The operating system dropped the lock with the process: no stale lock to clean up.
        try (ProcessNode third = ProcessNode.start(data)) {
            assertThat(third.api().login("keeper", "secret1", "d").get("token").asText()).isNotEmpty();
        }
        assertThat(Files.exists(data.resolve("courier.lock"))).isTrue();
    }

    /**
     * Standard error without SLF4J's own warnings: the test classpath holds the load generator's
     * shaded jar, whose slf4j-nop makes SLF4J report two providers (the server's lib/ has one).
     */
    private static java.util.List<String> courierLines(String stderr) {
        return stderr.strip().lines().filter(l -> !l.startsWith("SLF4J(")).toList();
    }
}
