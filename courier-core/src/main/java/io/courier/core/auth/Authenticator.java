package io.courier.core.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;

/**
 * Turns an access token into a {@link Principal}. A valid signature is not enough: the device
 * session the token names must still be live, which is how logout and password changes revoke
 * tokens that have not expired yet. Sessions are cached so that a request costs no database read;
 * whoever revokes a session here calls {@link #forget}.
 */
public final class Authenticator {
    private final TokenService tokens;
    private final SessionStore sessions;
    private final Clock clock;
    private final Cache<String, Session> cache = Caffeine.newBuilder()
            .maximumSize(100_000)
            .expireAfterWrite(Duration.ofMinutes(1))
            .build();

    public Authenticator(TokenService tokens, SessionStore sessions, Clock clock) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** Must run off the event loop: a cache miss reads the database. */
    public Principal authenticate(String accessToken) {
        TokenService.AccessClaims claims = tokens.parseAccess(accessToken);
        Session session = cache.get(claims.sessionId(), id -> sessions.find(id).orElse(null));
        if (session == null || session.userId() != claims.userId() || !session.isActive(clock.millis())) {
            throw CourierException.of(ErrorCode.TOKEN_REVOKED);
        }
        return new Principal(claims.userId(), claims.deviceId(), claims.sessionId());
    }

    public void forget(Collection<String> sessionIds) {
        cache.invalidateAll(sessionIds);
    }
}
