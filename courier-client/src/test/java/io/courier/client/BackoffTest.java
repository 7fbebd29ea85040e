package io.courier.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    @Test
    void delaysStayUnderACeilingThatDoublesUpToTheMaximum() {
        for (int attempt = 0; attempt < 40; attempt++) {
            long ceiling = Math.min(100L << Math.min(attempt, 20), 5_000);
            for (int i = 0; i < 50; i++) {
                assertThat(backoff.delay(attempt).toMillis()).isBetween(0L, ceiling);
            }
        }
    }

    @Test
    void delaysAreSpreadOutNotAllTheSame() {
        long distinct = java.util.stream.IntStream.range(0, 200).mapToLong(i -> backoff.delay(6).toMillis()).distinct().count();
        assertThat(distinct).isGreaterThan(50);
    }

    @Test
    void aMaximumBelowTheInitialDelayIsRefused() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
