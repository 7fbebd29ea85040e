package io.courier.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Courier server in a child process, started from the test classpath exactly as {@code ./courier}
 * starts it, so that a test can kill it with SIGKILL and start it again on the same data.
 */
final class ProcessNode implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("Courier ready in \\d+ ms: node \\S+ http://[^:]+:(\\d+) tcp (\\d+) mpim (\\d+)");

    private final Process process;
    private final int httpPort;
    private final int tcpPort;
    private final int mpimPort;
    private final ConcurrentLinkedQueue<String> output;

    private final Thread reader;

    private ProcessNode(Process process, int[] ports, ConcurrentLinkedQueue<String> output, Thread reader) {
        this.process = process;
        this.reader = reader;
        this.httpPort = ports[0];
        this.tcpPort = ports[1];
        this.mpimPort = ports[2];
        this.output = output;
    }

    static ProcessNode start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    /** {@code settings}: more flags, over the test defaults (a database URL, a durability). */
    static ProcessNode start(Path dataDir, Map<String, String> settings) {
        List<String> command = command(dataDir, settings);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            ConcurrentLinkedQueue<String> output = new ConcurrentLinkedQueue<>();
            CompletableFuture<int[]> port = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        output.add(line);
                        Matcher m = READY.matcher(line);
                        if (m.find()) {
                            port.complete(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))});
                        }
                    }
                } catch (IOException ignored) {
                    // the process died; the port future says so below
                }
                port.completeExceptionally(new IllegalStateException("the server exited before it was ready"));
            }, "process-node-output");
            reader.setDaemon(true);
            reader.start();
            try {
                return new ProcessNode(process, port.get(60, TimeUnit.SECONDS), output, reader);
            } catch (Exception e) {
                process.destroyForcibly();
                throw new IllegalStateException("Courier did not start: " + e.getMessage() + "\n" + String.join("\n", output), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a start that fails ended: the exit code and what went to stdout and stderr. */
    record Exit(int code, String stdout, String stderr) {
    }

    /** Runs a server that is expected not to start, until it exits (at most a minute). */
    static Exit runToExit(Path dataDir, Map<String, String> settings) throws IOException, InterruptedException {
        Path out = Files.createTempFile("courier-out", ".txt");
        Path err = Files.createTempFile("courier-err", ".txt");
        try {
            Process process = new ProcessBuilder(command(dataDir, settings))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the server did not exit; it was expected to fail: " + Files.readString(out));
            }
            return new Exit(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static List<String> command(Path dataDir, Map<String, String> settings) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        Map<String, String> all = new java.util.TreeMap<>(TestNode.fastSettings(dataDir));
        all.putAll(settings);
        for (Map.Entry<String, String> e : all.entrySet()) {
            command.add("--" + e.getKey() + "=" + e.getValue());
        }
        return command;
    }

    long pid() {
        return process.pid();
    }

    int httpPort() {
        return httpPort;
    }

    int tcpPort() {
        return tcpPort;
    }

    int mpimPort() {
        return mpimPort;
    }

    HttpApi api() {
        return new HttpApi("http://127.0.0.1:" + httpPort);
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. Returns the exit code (137). */
    int killDashNine() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    /** SIGTERM, as an init system stops a service: the shutdown hook runs. Returns the exit code (143). */
    int terminate() throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of the output pipe at once,
        // and every line the shutdown logs would be lost.
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not stop within a minute of SIGTERM:\n" + output());
        }
        reader.join(10_000); // every line it printed is in output() once the pipe is read to its end
        return process.exitValue();
    }

    String output() {
        return String.join("\n", output);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
