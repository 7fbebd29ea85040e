package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.bench.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Short runs of the load generator's scenarios against a real server: they must find every message
 * delivered once and in order, and write their results. Speed is not checked here (docs/benchmarks.md).
 */
class BenchSmokeTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    @TempDir
    Path out;

    /** What the last run logged on stderr (progress, and the lines its worker processes forwarded). */
    private String log;

    private JsonNode run(String... scenarioArgs) throws IOException {
        List<String> args = new ArrayList<>(List.of(scenarioArgs));
        args.addAll(List.of("--http-port", String.valueOf(server.node().httpPort()),
                "--tcp-port", String.valueOf(server.node().tcpPort()), "--out", out.toString()));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = Main.run(args.toArray(String[]::new), new PrintStream(stdout, true, StandardCharsets.UTF_8),
                new PrintStream(stderr, true, StandardCharsets.UTF_8));
        String printed = stdout.toString(StandardCharsets.UTF_8);
        log = stderr.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed + log).isZero();
        assertThat(printed).contains("PASSED");
        Path dir;
        try (Stream<Path> dirs = Files.list(out)) {
            dir = dirs.filter(p -> p.getFileName().toString().startsWith(scenarioArgs[0] + "-"))
                    .max(java.util.Comparator.comparing(Path::toString)).orElseThrow();
        }
        JsonNode result = HttpApi.JSON.readTree(dir.resolve("result.json").toFile());
        assertThat(result.path("passed").asBoolean()).isTrue();
        assertThat(result.path("environment").path("command").asText()).startsWith("courier-bench " + scenarioArgs[0]);
        return result;
    }

    @Test
    void p2pClosedLoopDeliversEveryMessageOnceInOrder() throws IOException {
        JsonNode result = run("p2p", "--pairs", "3", "--window", "4", "--warmup", "0", "--duration", "1");
        assertThat(out.resolve(dirOf("p2p")).resolve("e2e.hgrm")).exists();
        assertThat(out.resolve(dirOf("p2p")).resolve("latency.png")).exists();
        assertThat(result.path("metrics").path("acked").asLong()).isPositive();
        assertThat(result.path("metrics").path("delivered").asLong()).isEqualTo(result.path("metrics").path("acked").asLong());
    }

    @Test
    void groupFanOutDeliversEveryMessageToEveryOtherMemberOnceInOrder() throws IOException {
        JsonNode result = run("group", "--members", "12", "--senders", "3", "--window", "2", "--warmup", "0", "--duration", "1");
        long acked = result.path("metrics").path("acked").asLong();
        assertThat(acked).isPositive();
        assertThat(result.path("metrics").path("delivered").asLong()).isEqualTo(acked * 11);
    }

    @Test
    void syncHandsAReturningUserEveryOfflineMessageOnceInOrder() throws IOException {
        // More than the login backlog (1,000), so the SDK's pulls after its sync are part of it.
        JsonNode result = run("sync", "--messages", "1500", "--senders", "3", "--rounds", "1");
        assertThat(result.path("metrics").path("delivered").asLong()).isEqualTo(1500);
    }

    @Test
    void connectionsAreOpenedAuthenticatedAndHeld() throws IOException {
        JsonNode result = run("connections", "--connections", "40", "--rate", "200", "--hold", "1", "--transport", "websocket",
                "--server-pid", String.valueOf(ProcessHandle.current().pid()));
        assertThat(result.path("metrics").path("stayed_up").asLong()).isEqualTo(40);
        assertThat(result.path("metrics").path("server_live_heap_mb_connected").asLong()).isPositive();
    }

    @Test
    void connectionsSpreadOverWorkerProcessesAreCountedAsOneRun() throws IOException {
        JsonNode result = run("connections", "--connections", "40", "--processes", "2", "--rate", "200", "--hold", "1",
                "--server-pid", String.valueOf(ProcessHandle.current().pid()));
        JsonNode metrics = result.path("metrics");
        assertThat(result.path("parameters").path("processes").asInt()).isEqualTo(2);
        assertThat(metrics.path("processes").asInt()).as("workers that reported done").isEqualTo(2);
        assertThat(metrics.path("connected").asLong()).isEqualTo(40);
        assertThat(metrics.path("failed_to_connect").asLong()).isZero();
        assertThat(metrics.path("stayed_up").asLong()).isEqualTo(40);
        assertThat(metrics.path("drops").asLong()).isZero();
        // The connect times are the workers' histograms, sent over and merged: 40 logins, none instant.
        assertThat(metrics.path("connect_ms").path("max").asDouble()).isPositive();
        assertThat(metrics.path("server_live_heap_mb_connected").asLong()).isPositive();
        // Each worker opened its own half, in its own process, and its stderr reached the run's log.
        assertThat(log).contains("[worker 1] connected: 20/20", "[worker 2] connected: 20/20");
        // They were processes of their own, and none outlives the run.
        List<Long> pids = Pattern.compile("worker \\d: pid (\\d+)").matcher(log).results()
                .map(m -> Long.parseLong(m.group(1))).toList();
        assertThat(pids).hasSize(2).doesNotHaveDuplicates().doesNotContain(ProcessHandle.current().pid());
        assertThat(pids).noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void mixedLoadWithReconnectsStillDeliversEveryMessageOnceInOrder() throws IOException {
        JsonNode result = run("mixed", "--users", "20", "--groups", "2", "--group-size", "6", "--group-senders", "2",
                "--rate", "300", "--reconnects", "10", "--warmup", "0", "--duration", "2");
        assertThat(result.path("metrics").path("reconnects").asLong()).isPositive();
        assertThat(result.path("metrics").path("delivered").asLong())
                .isEqualTo(result.path("metrics").path("expected_deliveries").asLong()).isPositive();
    }

    private String dirOf(String scenario) throws IOException {
        try (Stream<Path> dirs = Files.list(out)) {
            return dirs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(scenario + "-")).findFirst().orElseThrow();
        }
    }

    @Test
    void p2pOpenLoopOverWebSocketDeliversEveryMessageOnceInOrder() throws IOException {
        JsonNode result = run("p2p", "--pairs", "2", "--rate", "200", "--warmup", "0", "--duration", "1", "--transport", "websocket");
        assertThat(result.path("metrics").path("delivered").asLong()).isBetween(150L, 250L);
    }
}
