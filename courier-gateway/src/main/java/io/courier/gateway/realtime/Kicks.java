package io.courier.gateway.realtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts the connections the server cut off, by reason ({@code slow_consumer}, {@code idle},
 * {@code replaced}, {@code password_changed}, {@code logged_out}, …), as {@code courier.kicks}:
 * a rising {@code slow_consumer} count is the first sign of clients that cannot keep up.
 */
public final class Kicks {
    private final MeterRegistry metrics;

    public Kicks(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    public void count(String reason) {
        Counter.builder("courier.kicks")
                .description("Client connections the server cut off, by reason")
                .tag("reason", reason)
                .register(metrics) // the registry keeps one counter per reason
                .increment();
    }
}
