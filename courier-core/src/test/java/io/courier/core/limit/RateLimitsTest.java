package io.courier.core.limit;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitsTest {
    @Test
    void ratesAreWrittenCountSlashPeriod() {
        assertThat(Rate.parse("200/10s")).isEqualTo(new Rate(200, Duration.ofSeconds(10)));
        assertThat(Rate.parse(" 5/1m ")).isEqualTo(new Rate(5, Duration.ofMinutes(1)));
        assertThat(Rate.parse("100/250ms")).isEqualTo(new Rate(100, Duration.ofMillis(250)));
        assertThat(Rate.parse("3/2h")).isEqualTo(new Rate(3, Duration.ofHours(2)));
        assertThat(Rate.parse("OFF").isOff()).isTrue();
        for (String bad : new String[] {"200", "/10s", "x/10s", "10/s", "10/10", "10/10d", "-1/1s", "5/0s"}) {
            assertThatThrownBy(() -> Rate.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void eachKeyHasItsOwnBucketAndARefusalSaysWhenToRetry() {
        RateLimits limits = new RateLimits(Map.of(RateLimits.Kind.MESSAGES, new Rate(2, Duration.ofHours(1))));
        limits.acquire(RateLimits.Kind.MESSAGES, 1L);
        limits.acquire(RateLimits.Kind.MESSAGES, 1L);
        assertThatThrownBy(() -> limits.acquire(RateLimits.Kind.MESSAGES, 1L)).isInstanceOfSatisfying(CourierException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
            // one token comes back every half hour
            assertThat(e.retryAfterMillis()).isBetween(Duration.ofMinutes(29).toMillis(), Duration.ofMinutes(30).toMillis());
            assertThat(e.retryAfterSeconds()).isEqualTo(Math.ceilDiv(e.retryAfterMillis(), 1000L));
        });
        limits.acquire(RateLimits.Kind.MESSAGES, 2L); // another user
        limits.acquire(RateLimits.Kind.FRIEND_REQUESTS, 1L); // a kind without a rate is not limited
        limits.acquire(RateLimits.Kind.MESSAGES, null); // nor is a request without a key
        assertThat(limits.refused(RateLimits.Kind.MESSAGES)).isEqualTo(1);
    }
}
