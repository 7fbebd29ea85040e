package io.courier.server;

import io.courier.cli.CliEnvironment;
import io.courier.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One saved session shared by a shell and scripts of the same user. Access tokens here live 5 s,
 * less than the 30 s before expiry at which the CLI refreshes, so every run refreshes: the session
 * survives only if no run ever presents a refresh token another run has already spent.
 */
class CliSessionTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension(Map.of("auth.access-token-ttl", "5s"));

    @TempDir
    Path homes;

    @Test
    void runsThatRefreshTheSharedSessionSaveItAndTheShellAdoptsIt() throws IOException {
        Path mia = homes.resolve("mia");
        assertThat(script(mia, "register", "mia", "secret1")).isZero();
        try (CliShellDriver shell = new CliShellDriver("mia", server, mia)) {
            shell.expectEventually("Logged in as mia (id ");
            String before = refreshToken(mia);
            assertThat(script(mia, "whoami")).isZero();
            String afterScript = refreshToken(mia);
            assertThat(afterScript).isNotEqualTo(before);

            shell.type("whoami");
            shell.expect("mia (id ");
            assertThat(script(mia, "whoami")).isZero();
            shell.type("friends");
            shell.expect("No friends yet");
            assertThat(shell.output()).doesNotContain("session has ended");
            shell.quit();
        }
        assertThat(script(mia, "whoami")).isZero();
    }

    @Test
    void theShellTakesItsConnectionBackAfterAScriptOfTheSameDeviceUsedIt() throws IOException {
        Path nina = homes.resolve("nina");
        Path otto = homes.resolve("otto");
        assertThat(script(nina, "register", "nina", "secret1")).isZero();
        assertThat(script(otto, "register", "otto", "secret1")).isZero();
        try (CliShellDriver shell = new CliShellDriver("nina", server, nina)) {
            shell.expectEventually("Logged in as nina (id ");
            assertThat(script(nina, "send", "--to", "otto", "sent by a script")).isZero();
            shell.expectEventually("Another program connected as this device; reconnecting in 3 s.");
            shell.expectEventually("Connected again.");
            assertThat(script(otto, "send", "--to", "nina", "the shell still hears me")).isZero();
            shell.expectEventually("[otto] the shell still hears me");
            shell.quit();
        }
    }

    @Test
    void loggingOutElsewhereEndsTheShellsSession() throws IOException {
        Path pia = homes.resolve("pia");
        assertThat(script(pia, "register", "pia", "secret1")).isZero();
        try (CliShellDriver shell = new CliShellDriver("pia", server, pia)) {
            shell.expectEventually("Logged in as pia (id ");
            assertThat(script(pia, "logout")).isZero();
            shell.expectEventually("Logged out: this device's session was ended");
            shell.type("whoami");
            shell.expect("Not logged in to 127.0.0.1:");
            shell.quit();
        }
    }

    private static String refreshToken(Path home) throws IOException {
        try (var files = Files.list(home.resolve("sessions"))) {
            Path file = files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
            return HttpApi.JSON.readTree(Files.readString(file)).get("refresh_token").asText();
        }
    }

    /** Runs courier-cli once with the same device as the shell ({@code cli-<name>}); returns its exit code. */
    private static int script(Path home, String... command) {
        List<String> args = new ArrayList<>(List.of("--server", "127.0.0.1",
                "--http-port", "" + server.node().httpPort(), "--tcp-port", "" + server.node().tcpPort(),
                "--device", "cli-" + home.getFileName()));
        args.addAll(List.of(command));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args.toArray(String[]::new), new CliEnvironment(home, Map.of(),
                new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        assertThat(err.toString(StandardCharsets.UTF_8)).as("stderr of " + String.join(" ", command))
                .isEqualTo(exit == 0 ? "" : err.toString(StandardCharsets.UTF_8));
        return exit;
    }
}
