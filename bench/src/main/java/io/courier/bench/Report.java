package io.courier.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's outputs in its directory: {@code result.json}, the HdrHistogram percentile distributions
 * ({@code e2e.hgrm}, {@code ack.hgrm}; the interval logs {@code *.hlog} are written while it runs),
 * the charts, and a summary on stdout.
 */
final class Report {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Report() {
    }

    static void write(Path dir, Map<String, Object> environment, Result result, PrintStream out) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("scenario", result.scenario);
        doc.put("passed", result.passed());
        doc.put("faults", result.faults);
        doc.put("parameters", result.parameters);
        doc.put("metrics", result.metrics);
        doc.put("environment", environment);
        doc.put("timeline", result.timeline.stream().filter(p -> p[0] >= 0)
                .map(p -> List.of(p[0], p[1], p[2])).toList());
        JSON.writeValue(dir.resolve("result.json").toFile(), doc);
        if (result.endToEnd != null && result.endToEnd.getTotalCount() > 0) {
            try (PrintStream hgrm = new PrintStream(dir.resolve("e2e.hgrm").toFile())) {
                result.endToEnd.outputPercentileDistribution(hgrm, 1000.0);
            }
            Charts.latency(dir.resolve("latency.png"), result.scenario + ": latency by percentile", result.endToEnd, result.ack);
        }
        if (result.ack != null && result.ack.getTotalCount() > 0) {
            try (PrintStream hgrm = new PrintStream(dir.resolve("ack.hgrm").toFile())) {
                result.ack.outputPercentileDistribution(hgrm, 1000.0);
            }
        }
        if (!result.timeline.isEmpty()) {
            Charts.throughput(dir.resolve("throughput.png"), result.scenario + ": throughput", result.timeline);
        }

        out.println();
        out.println("== " + result.scenario + " " + result.parameters);
        result.metrics.forEach((k, v) -> out.println("  " + k + ": " + v));
        out.println("  machine: " + environment.get("machine"));
        out.println("  commit: " + environment.get("commit") + "   command: " + environment.get("command"));
        out.println("  output: " + dir.toAbsolutePath());
        if (result.passed()) {
            out.println("PASSED: " + result.passMessage);
        } else {
            out.println("FAILED:");
            result.faults.forEach(f -> out.println("  - " + f));
        }
    }

    static Path directory(Path base, String scenario, String runId) throws IOException {
        return Files.createDirectories(base.resolve(scenario + "-" + runId));
    }
}
