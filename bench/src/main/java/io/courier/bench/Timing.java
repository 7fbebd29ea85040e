package io.courier.bench;

import picocli.CommandLine.Option;

import java.time.Duration;

/** The options of the scenarios that run for a while: a warm-up that is not measured, then the measured time. */
final class Timing {
    @Option(names = "--warmup", defaultValue = "5", description = "Seconds before measuring (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--duration", defaultValue = "20", description = "Seconds measured (default ${DEFAULT-VALUE})")
    int duration;

    Duration warmupTime() {
        return Duration.ofSeconds(warmup);
    }

    Duration measuredTime() {
        return Duration.ofSeconds(duration);
    }
}
