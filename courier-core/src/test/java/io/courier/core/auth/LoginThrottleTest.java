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
        assertThatThrownBy(() -> throttle.checkAllowed("eve", "10.0.0.1"))
                .isInstanceOfSatisfying(CourierException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.LOGIN_THROTTLED);
                    assertThat(e.retryAfterSeconds()).isEqualTo(15 * 60);
                });
        clock.advance(Duration.ofMinutes(10));
        assertThatThrownBy(() -> throttle.checkAllowed("eve", "10.0.0.1"))
                .isInstanceOfSatisfying(CourierException.class, e -> assertThat(e.retryAfterSeconds()).isEqualTo(5 * 60));
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        throttle.checkAllowed("eve", "10.0.0.1");
    }

    @Test
    void failuresFromOneAddressNeverLockTheUserOutFromAnother() {
        for (int i = 0; i < 40; i++) {
            throttle.recordFailure("victim", "10.6.6." + (i % 4)); // four attackers, ten failures each
        }
        throttle.checkAllowed("victim", "10.0.0.1");
        throttle.checkAllowed("victim", null); // a change of password, with the user's own token
        assertThatThrownBy(() -> throttle.checkAllowed("victim", "10.6.6.0")).isInstanceOf(CourierException.class);
    }

    @Test
    void guessingOneAccountFromManyAddressesStaysSlow() {
        for (int i = 0; i < 6; i++) {
            throttle.recordFailure("target", "10.7.0." + i); // each address fails once: none is locked
        }
        // The username's count from everywhere is what delays the next failure, wherever it comes from.
        assertThat(throttle.recordFailure("target", "10.7.1.1")).isEqualTo(Duration.ofMillis(2_000));
        throttle.checkAllowed("target", "10.7.1.2");
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
    void aSuccessClearsItsPairButNotTheAddress() {
        for (int i = 0; i < 9; i++) {
            throttle.recordFailure("user" + (i % 3), "10.0.0.5");
        }
        throttle.recordSuccess("user0", "10.0.0.5");
        throttle.recordFailure("user0", "10.0.0.5"); // the 10th failure from this address
        assertThatThrownBy(() -> throttle.checkAllowed("someone-else", "10.0.0.5"))
                .isInstanceOf(CourierException.class);
        throttle.checkAllowed("someone-else", "10.0.0.6");
    }
}
