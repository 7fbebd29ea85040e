package io.courier.core.auth;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import org.junit.jupiter.api.Test;

import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;

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

    @Test
    void aTokenLivesAtLeastItsWholeTimeToLiveThoughExpiryHasWholeSeconds() {
        clock.advance(Duration.ofMillis(999)); // issued at .999 of a second: rounding down would cut it to 9:59.001
        String token = tokens.issueAccess(session);
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        tokens.parseAccess(token);
    }

    @Test
    void aTokenWithoutExpiryIsInvalidEvenWhenSignedWithTheKey() {
        String forever = Jwts.builder().issuer("courier").subject("42").claim("typ", "access").claim("sid", "s-1")
                .claim("did", "phone").issuedAt(new Date(clock.millis())).signWith(key(), Jwts.SIG.HS384).compact();
        assertInvalid(forever);
    }

    @Test
    void anAccessTokenThatOutlivesWhatTheServerIssuesIsInvalid() {
        String tenYears = Jwts.builder().issuer("courier").subject("42").claim("typ", "access").claim("sid", "s-1")
                .claim("did", "phone").issuedAt(new Date(clock.millis()))
                .expiration(new Date(clock.millis() + Duration.ofDays(3650).toMillis())).signWith(key(), Jwts.SIG.HS384).compact();
        assertInvalid(tenYears);
    }

    @Test
    void onlyTheAlgorithmTheServerSignsWithIsAccepted() {
        // The 48-byte test secret signs with HS384; HS256 with the same key verifies in a lax parser.
        String weaker = Jwts.builder().issuer("courier").subject("42").claim("typ", "access").claim("sid", "s-1")
                .claim("did", "phone").issuedAt(new Date(clock.millis()))
                .expiration(new Date(clock.millis() + 60_000)).signWith(key(), Jwts.SIG.HS256).compact();
        assertInvalid(weaker);
        assertThat(tokens.parseAccess(tokens.issueAccess(session)).userId()).isEqualTo(42);
    }

    @Test
    void keyHeadersChangeNothing() {
        String pointing = Jwts.builder().header().keyId("attacker").add("jku", "http://127.0.0.1:1/keys.json").and()
                .issuer("courier").subject("42").claim("typ", "access").claim("sid", "s-1").claim("did", "phone")
                .issuedAt(new Date(clock.millis())).expiration(new Date(clock.millis() + 60_000))
                .signWith(Keys.hmacShaKeyFor("attacker-secret-attacker-secret-attacker-secret!".getBytes(StandardCharsets.UTF_8)),
                        Jwts.SIG.HS384).compact();
        assertInvalid(pointing);
        // Signed with the server's key, the same headers neither help nor hurt.
        String harmless = Jwts.builder().header().keyId("anything").and().issuer("courier").subject("42")
                .claim("typ", "access").claim("sid", "s-1").claim("did", "phone").issuedAt(new Date(clock.millis()))
                .expiration(new Date(clock.millis() + 60_000)).signWith(key(), Jwts.SIG.HS384).compact();
        assertThat(tokens.parseAccess(harmless).sessionId()).isEqualTo("s-1");
    }

    private static SecretKey key() {
        return Keys.hmacShaKeyFor(SECRET);
    }

    private void assertInvalid(String token) {
        assertThatThrownBy(() -> tokens.parseAccess(token)).isInstanceOfSatisfying(CourierException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_INVALID));
    }
}
