package io.courier.core.auth;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenServiceTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private final MutableClock clock = new MutableClock();
    private final TokenService tokens = new TokenService(SECRET, clock, Duration.ofMinutes(10));
    private final Session session = new Session("s-1", 42, "phone", "hash", clock.millis(), clock.millis() + 86_400_000L, 0);

    @Test
    void anAccessTokenCarriesTheUserSessionAndDevice() {
        TokenService.AccessClaims claims = tokens.parseAccess(tokens.issueAccess(session));
        assertThat(claims).isEqualTo(new TokenService.AccessClaims(42, "s-1", "phone"));
    }

    @Test
    void accessTokensExpireOnTime() {
        String token = tokens.issueAccess(session);
        clock.advance(Duration.ofMinutes(9));
        tokens.parseAccess(token);
        clock.advance(Duration.ofMinutes(2));
        assertThatThrownBy(() -> tokens.parseAccess(token)).isInstanceOfSatisfying(CourierException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED));
    }

    @Test
    void eachKindIsAcceptedOnlyWhereItBelongs() {
        String refresh = tokens.issueRefresh(42, "s-1", "jti-1", clock.millis() + 60_000);
        assertThat(tokens.parseRefresh(refresh)).isEqualTo(new TokenService.RefreshClaims(42, "s-1", "jti-1"));
        assertThatThrownBy(() -> tokens.parseAccess(refresh)).isInstanceOfSatisfying(CourierException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.WRONG_TOKEN_TYPE));
        assertThatThrownBy(() -> tokens.parseRefresh(tokens.issueAccess(session))).isInstanceOfSatisfying(CourierException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.WRONG_TOKEN_TYPE));
    }

    @Test
    void aTokenFromAnotherSecretIsInvalid() {
        byte[] other = "another-secret-another-secret-another-secret!!".getBytes(StandardCharsets.UTF_8);
        String foreign = new TokenService(other, clock, Duration.ofMinutes(10)).issueAccess(session);
        assertThatThrownBy(() -> tokens.parseAccess(foreign)).isInstanceOfSatisfying(CourierException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_INVALID));
        assertThatThrownBy(() -> tokens.parseAccess("")).isInstanceOfSatisfying(CourierException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }
}
