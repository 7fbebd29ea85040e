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
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * courier-cli for scripts: one command per run, in this JVM through {@link Main#run}, against a
 * real server. What matters to a script: the exit code, stdout, stderr, and the saved session.
 */
class CliScriptTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    @TempDir
    Path homes;

    record Run(int exit, String out, String err) {
    }

    @Test
    void registerLoginSendAndHistorySucceedWithExitCodeZero() {
        Path frank = homes.resolve("frank");
        Path grace = homes.resolve("grace");
        assertThat(cli(frank, "register", "frank", "secret1").exit()).isZero();
        assertThat(cli(grace, "register", "grace", "secret2").exit()).isZero();

        Run login = cli(frank, "login", "frank", "secret1");
        assertThat(login.exit()).isZero();
        assertThat(login.out()).startsWith("Logged in as frank (id ");
        assertThat(login.err()).isEmpty();

        Run sent = cli(frank, "send", "--to", "grace", "Hello Grace:", "from a script");
        assertThat(sent.exit()).isZero();
        assertThat(sent.out()).isEqualTo("Sent to grace (#1).\n");

        Run history = cli(frank, "history", "grace", "--limit", "5");
        assertThat(history.exit()).isZero();
        assertThat(history.out()).matches("#1 \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\[you → grace] Hello Grace: from a script\n");

        Run pulled = cli(grace, "pull");
        assertThat(pulled.exit()).isZero();
        assertThat(pulled.out()).endsWith("[frank] Hello Grace: from a script\n");
        assertThat(cli(grace, "pull").out()).isEqualTo("No unread messages.\n");
        assertThat(cli(grace, "conversations").out()).startsWith("frank  0 unread");
    }

    @Test
    void theServerRefusingExitsWithOneAndSaysWhy() {
        Path heidi = homes.resolve("heidi");
        assertThat(cli(heidi, "register", "heidi", "secret1").exit()).isZero();

        Run wrongPassword = cli(heidi, "login", "heidi", "not-the-password");
        assertThat(wrongPassword.exit()).isEqualTo(1);
        assertThat(wrongPassword.err()).isEqualTo("courier-cli: BAD_CREDENTIALS: Wrong username or password\n");
        assertThat(wrongPassword.out()).isEmpty();

        Run unknownUser = cli(heidi, "send", "--to", "nobody-at-all", "hi");
        assertThat(unknownUser.exit()).isEqualTo(1);
        assertThat(unknownUser.err()).startsWith("courier-cli: USER_NOT_FOUND: ");

        Run taken = cli(homes.resolve("other"), "register", "heidi", "secret1");
        assertThat(taken.exit()).isEqualTo(1);
        assertThat(taken.err()).contains("USERNAME_TAKEN");
    }

    @Test
    void aWrongCommandLineExitsWithTwo() {
        Path home = homes.resolve("usage");
        assertThat(cli(home, "send", "hi").exit()).isEqualTo(2);                       // neither --to nor --group
        assertThat(cli(home, "send", "--to", "a", "--group", "5", "hi").exit()).isEqualTo(2);
        assertThat(cli(home, "frobnicate").exit()).isEqualTo(2);
        assertThat(cli(home, "history", "bob", "--limit", "500").exit()).isEqualTo(2);
        assertThat(cli(home, "members", "five").exit()).isEqualTo(2);
        assertThat(cli(home, "--transport", "carrier-pigeon", "whoami").exit()).isEqualTo(2);
        Run run = cli(home, "kick", "5");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required parameter");
    }

    @Test
    void anUnreachableServerExitsWithThree() throws IOException {
        int closed = closedPort();
        Run http = run(homes.resolve("nowhere"), "", List.of("--server", "127.0.0.1", "--http-port", "" + closed,
                "login", "ivan", "secret1"));
        assertThat(http.exit()).isEqualTo(3);
        assertThat(http.err()).startsWith("courier-cli: Cannot reach the server at 127.0.0.1:" + closed);

        Path judy = homes.resolve("judy");
        assertThat(cli(judy, "register", "judy", "secret1").exit()).isZero();
        Run tcp = run(judy, "", List.of("--server", "127.0.0.1", "--http-port", "" + server.node().httpPort(),
                "--tcp-port", "" + closed, "send", "--to", "judy", "hi"));
        assertThat(tcp.exit()).isEqualTo(3);
        assertThat(tcp.err()).startsWith("courier-cli: Cannot reach the server");
    }

    @Test
    void aCommandThatNeedsASessionExitsWithFourWithoutOne() {
        Path nobody = homes.resolve("nobody");
        for (String[] command : List.of(new String[] {"whoami"}, new String[] {"send", "--to", "bob", "hi"},
                new String[] {"pull"}, new String[] {"friends"}, new String[] {"logout"})) {
            Run run = cli(nobody, command);
            assertThat(run.exit()).as(String.join(" ", command)).isEqualTo(4);
            assertThat(run.err()).startsWith("courier-cli: Not logged in to 127.0.0.1:");
        }
    }

    @Test
    void theSessionFileIsPrivateFromTheStartReusedByLaterRunsAndDeletedByLogout() throws IOException {
        Path kim = homes.resolve("kim");
        assertThat(cli(kim, "register", "kim", "secret1").exit()).isZero();
        Path sessions = kim.resolve("sessions");
        List<Path> files;
        try (var list = Files.list(sessions)) {
            files = list.filter(p -> p.toString().endsWith(".json")).toList();
        }
        assertThat(files).hasSize(1);
        Path file = files.getFirst();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(sessions))).isEqualTo("rwx------");
        String token = HttpApi.JSON.readTree(Files.readString(file)).get("access_token").asText();
        assertThat(server.api.get("/api/user/info", token).status()).isEqualTo(200);

        Run whoami = cli(kim, "whoami");
        assertThat(whoami.exit()).isZero();
        assertThat(whoami.out()).startsWith("kim (id ").contains(", device cli-script");

        Run logout = cli(kim, "logout");
        assertThat(logout.exit()).isZero();
        assertThat(logout.out()).isEqualTo("Logged out kim.\n");
        assertThat(file).doesNotExist();
        assertThat(server.api.get("/api/user/info", token).status()).isEqualTo(401);
        assertThat(cli(kim, "whoami").exit()).isEqualTo(4);
    }

    @Test
    void aPasswordCanComeOnStandardInput() {
        Path leo = homes.resolve("leo");
        assertThat(run(leo, "secret1\n", args("register", "leo")).exit()).isZero();
        assertThat(cli(leo, "logout").exit()).isZero();
        Run login = run(leo, "secret1\n", args("login", "leo"));
        assertThat(login.exit()).isZero();
        assertThat(login.out()).startsWith("Logged in as leo");
        assertThat(run(leo, "", args("login", "leo")).exit()).isEqualTo(2);
    }

    @Test
    void helpListsTheExitCodes() {
        Run help = cli(homes.resolve("help"), "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Exit codes:", "4   not logged in", "send", "history");
    }

    private Run cli(Path home, String... command) {
        return run(home, "", args(command));
    }

    private static List<String> args(String... command) {
        List<String> all = new ArrayList<>(List.of("--server", "127.0.0.1",
                "--http-port", "" + server.node().httpPort(), "--tcp-port", "" + server.node().tcpPort(),
                "--device", "cli-script"));
        all.addAll(List.of(command));
        return all;
    }

    private static Run run(Path home, String stdin, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliEnvironment env = new CliEnvironment(home, Map.of(),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit = Main.run(args.toArray(String[]::new), env);
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
