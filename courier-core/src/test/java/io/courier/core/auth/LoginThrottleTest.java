package io.courier.core.auth;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(clock,
            new AuthSettings(Duration.ofHours(1), Duration.ofDays(1), 2, 4, 10, Duration.ofMinutes(15), 1024, 1));

    @Test
    void failuresAreAnsweredLaterAndLaterPastTheSlowThreshold() {
        assertThat(throttle.recordFailure("eve", "10.0.0.1")).isZero();
        assertThat(throttle.recordFailure("eve", "10.0.0.1")).isZero();
        assertThat(throttle.recordFailure("eve", "10.0.0.1")).isEqualTo(Duration.ofMillis(250));
        assertThat(throttle.recordFailure("eve", "10.0.0.1")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void theLockLastsTheLockoutAndThenLifts() {
        for (int i = 0; i < 4; i++) {
            throttle.recordFailure("eve", "10.0.0.1");
        }
        assertThatThrownBy(() -> throttle.checkAllowed("eve", "10.0.0.2"))
                .isInstanceOfSatisfying(CourierException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.LOGIN_THROTTLED);
                    assertThat(e.retryAfterSeconds()).isEqualTo(15 * 60);
                });
        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(() -> throttle.checkAllowed("eve", null))
                .isInstanceOfSatisfying(CourierException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(5 * 60));
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        throttle.checkAllowed("eve", "10.0.0.1");
    }

    @Test
    void failuresOutsideTheWindowStartANewCount() {
        for (int i = 0; i < 3; i++) {
            throttle.recordFailure("slowpoke", "10.0.0.9");
        }
        clock.advance(Duration.ofMinutes(16));
        assertThat(throttle.recordFailure("slowpoke", "10.0.0.9")).isZero();
        throttle.checkAllowed("slowpoke", "10.0.0.9");
    }

    @Test
    void aSuccessClearsTheUsernameButNotTheAddress() {
        for (int i = 0; i < 9; i++) {
            throttle.recordFailure("user" + (i % 3), "10.0.0.5");
        }
        throttle.recordSuccess("user0");
        throttle.recordFailure("user0", "10.0.0.5"); // the 10th failure from this address
        assertThatThrownBy(() -> throttle.checkAllowed("someone-else", "10.0.0.5"))
                .isInstanceOf(CourierException.class);
        throttle.checkAllowed("someone-else", "10.0.0.6");
    }
}
