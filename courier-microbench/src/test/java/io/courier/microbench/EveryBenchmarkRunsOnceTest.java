package io.courier.microbench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every benchmark runs through JMH's generated harness once (set-up, one call per thread, tear-down), in
 * this JVM. It proves the harness and the states work; it measures nothing, and asserts no speed.
 */
class EveryBenchmarkRunsOnceTest {

    @Test
    void everyBenchmarkRunsAndTheCommitPathLeavesNoDatabaseBehind() throws Exception {
        Set<Path> tempBefore = benchmarkDataDirs();

        Collection<RunResult> results = new Runner(new OptionsBuilder()
                .include("io\\.courier\\.microbench\\..*")
                .forks(0)
                .warmupIterations(0)
                .measurementIterations(1)
                .mode(Mode.SingleShotTime)
                .param("length", "100") // the cold conversation: long enough to have a seq, short to fill
                .shouldFailOnError(true)
                .output("target/every-benchmark-runs-once.log")
                .build()).run();

        Set<String> ran = results.stream().map(r -> r.getParams().getBenchmark()).collect(Collectors.toSet());
        assertThat(ran).containsExactlyInAnyOrderElementsOf(benchmarkMethods());
        assertThat(benchmarkDataDirs()).isSubsetOf(tempBefore);
    }

    private static Set<String> benchmarkMethods() {
        return Stream.of(EnvelopeCodecBench.class, JsonFramesBench.class, MpimLineBench.class, CommitPathBench.class,
                        MessageIndexBench.class)
                .flatMap(c -> Arrays.stream(c.getDeclaredMethods())
                        .filter(m -> m.isAnnotationPresent(Benchmark.class))
                        .map(m -> c.getName() + "." + m.getName()))
                .collect(Collectors.toSet());
    }

    /** The temporary data directories CommitPathBench creates (another run on the machine may have its own). */
    private static Set<Path> benchmarkDataDirs() throws IOException {
        Set<Path> dirs = new HashSet<>();
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")), "courier-microbench-*")) {
            tmp.forEach(dirs::add);
        }
        return dirs;
    }
}
