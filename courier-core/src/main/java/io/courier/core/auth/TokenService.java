package io.courier.core.auth;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import io.jsonwebtoken.security.MacAlgorithm;

import javax.crypto.SecretKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;

/**
 * Signs and verifies Courier's JWTs with HMAC-SHA: HS512 with the generated 64-byte secret, the
 * strongest the key allows for a configured one, and only that algorithm is accepted (a lax parser
 * takes HS256 and HS384 with the same key too). Every token must expire, and an access token no
 * later than this server issues them; {@code kid}/{@code jku} headers are ignored, as the one key
 * is configured, never looked up. Access and refresh tokens differ in their
 * {@code typ} claim, and each parse demands one type, so a refresh token is never accepted as an
 * access token or the other way round. Both name the device session ({@code sid}) they belong to,
 * which is what makes logout and password changes able to revoke them before they expire.
 */
public final class TokenService {
    private static final String ISSUER = "courier";
    private static final String TYPE = "typ";
    private static final String ACCESS = "access";
    private static final String REFRESH = "refresh";
    private static final String SESSION = "sid";
    private static final String DEVICE = "did";

    /** Tokens are issued with an expiry this much later at most; covers the clocks of a cluster's nodes. */
    private static final long CLOCK_SKEW_MS = 60_000;

    private final SecretKey key;
    private final MacAlgorithm algorithm;
    private final Clock clock;
    private final Duration accessTtl;
    private final JwtParser parser;

    public TokenService(byte[] secret, Clock clock, Duration accessTtl) {
        this.key = Keys.hmacShaKeyFor(secret);
        this.algorithm = strongestFor(secret.length);
        this.clock = clock;
        this.accessTtl = accessTtl;
        this.parser = Jwts.parser()
                .verifyWith(key)
                .requireIssuer(ISSUER)
                .clock(() -> Date.from(clock.instant()))
                .build();
    }

    /** Access claims of a verified access token. */
    public record AccessClaims(long userId, String sessionId, String deviceId) {
    }

    /** Claims of a verified refresh token; {@code tokenId} is what the session stores a hash of. */
    public record RefreshClaims(long userId, String sessionId, String tokenId) {
    }

    public String issueAccess(Session session) {
        long now = clock.millis();
        return Jwts.builder()
                .issuer(ISSUER)
                .subject(Long.toString(session.userId()))
                .claim(TYPE, ACCESS)
                .claim(SESSION, session.id())
                .claim(DEVICE, session.deviceId())
                .issuedAt(new Date(now))
                .expiration(new Date(wholeSecondAtOrAfter(now + accessTtl.toMillis())))
                .signWith(key, algorithm)
                .compact();
    }

    public long accessExpiresAt() {
        return wholeSecondAtOrAfter(clock.millis() + accessTtl.toMillis());
    }

    public String issueRefresh(long userId, String sessionId, String tokenId, long expiresAt) {
        return Jwts.builder()
                .issuer(ISSUER)
                .subject(Long.toString(userId))
                .id(tokenId)
                .claim(TYPE, REFRESH)
                .claim(SESSION, sessionId)
                .issuedAt(new Date(clock.millis()))
                .expiration(new Date(wholeSecondAtOrAfter(expiresAt)))
                .signWith(key, algorithm)
                .compact();
    }

    public AccessClaims parseAccess(String token) {
        Claims claims = parse(token, ACCESS);
        if (claims.getExpiration().getTime() > clock.millis() + accessTtl.toMillis() + 1_000 + CLOCK_SKEW_MS) {
            throw CourierException.of(ErrorCode.TOKEN_INVALID, "The token expires later than this server issues them");
        }
        return new AccessClaims(userId(claims), string(claims, SESSION), string(claims, DEVICE));
    }

    public RefreshClaims parseRefresh(String token) {
        Claims claims = parse(token, REFRESH);
        String id = claims.getId();
        if (id == null) {
            throw CourierException.of(ErrorCode.TOKEN_INVALID);
        }
        return new RefreshClaims(userId(claims), string(claims, SESSION), id);
    }

    private Claims parse(String token, String expectedType) {
        if (token == null || token.isBlank()) {
            throw CourierException.of(ErrorCode.UNAUTHENTICATED);
        }
        Claims claims;
        try {
            Jws<Claims> jws = parser.parseSignedClaims(token);
            if (!algorithm.getId().equals(jws.getHeader().getAlgorithm())) {
                throw CourierException.of(ErrorCode.TOKEN_INVALID, "Tokens are signed with " + algorithm.getId());
            }
            claims = jws.getPayload();
        } catch (ExpiredJwtException e) {
            throw CourierException.of(ErrorCode.TOKEN_EXPIRED);
        } catch (JwtException | IllegalArgumentException e) {
            throw CourierException.of(ErrorCode.TOKEN_INVALID);
        }
        if (claims.getExpiration() == null) {
            throw CourierException.of(ErrorCode.TOKEN_INVALID, "The token has no expiry");
        }
        if (!expectedType.equals(claims.get(TYPE))) {
            throw CourierException.of(ErrorCode.WRONG_TOKEN_TYPE,
                    "A " + claims.get(TYPE) + " token cannot be used where a " + expectedType + " token is required");
        }
        return claims;
    }

    /**
     * A JWT's {@code exp} has whole seconds, and the library drops the milliseconds: a token of one
     * second issued at .999 would live 1 ms. Rounded up instead, a token lives at least its TTL.
     */
    private static long wholeSecondAtOrAfter(long millis) {
        return Math.ceilDiv(millis, 1000L) * 1000L;
    }

    private static MacAlgorithm strongestFor(int secretBytes) {
        if (secretBytes >= 64) {
            return Jwts.SIG.HS512;
        }
        return secretBytes >= 48 ? Jwts.SIG.HS384 : Jwts.SIG.HS256;
    }

    private static long userId(Claims claims) {
        try {
            return Long.parseLong(claims.getSubject());
        } catch (NumberFormatException e) {
            throw CourierException.of(ErrorCode.TOKEN_INVALID);
        }
    }

    private static String string(Claims claims, String name) {
        Object value = claims.get(name);
        if (!(value instanceof String s) || s.isEmpty()) {
            throw CourierException.of(ErrorCode.TOKEN_INVALID);
        }
        return s;
    }
}
