package io.courier.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where and how a run happened: the machine, the commit, the server, the exact command. */
final class Environment {
    private Environment() {
    }

    /** {@code target} null: the run has no Courier server (the baseline router runs in this process). */
    static Map<String, Object> describe(Target target, String command, String serverNote) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("date", Instant.now().toString());
        env.put("command", command);
        env.put("commit", commit());
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memory_mb", memoryMb());
        machine.put("cpu", cpuModel());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        env.put("machine", machine);
        if (target == null) {
            env.put("server", Map.of("config", serverNote == null ? "none" : serverNote));
            return env;
        }
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("address", target.host() + " http " + target.httpPort() + " tcp " + target.tcpPort());
        server.put("transport", target.transport().name().toLowerCase());
        server.put("stats", stats(target));
        if (serverNote != null) {
            server.put("config", serverNote);
        }
        env.put("server", server);
        return env;
    }

    private static String commit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? out : "unknown";
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static long memoryMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux
        }
        return -1;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux
        }
        return "unknown";
    }

    /** The server's own /stats (connections, users, uptime) at the start of the run. */
    private static JsonNode stats(Target target) {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                    URI.create("http://" + target.host() + ":" + target.httpPort() + "/stats")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(r.body());
        } catch (IOException | InterruptedException e) {
            return new ObjectMapper().createObjectNode().put("error", e.toString());
        }
    }
}
