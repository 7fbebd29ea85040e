package io.courier.core.auth;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.user.AccountRules;
import io.courier.core.user.Credentials;
import io.courier.core.user.User;
import io.courier.core.user.UserStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Login, token refresh, logout and password change: everything that creates or ends a device
 * session. Blocking (password hashing, database): never call it on an event loop.
 */
public final class AuthService {

    /** Told when device sessions end, so that live connections opened with them can be closed. */
    @FunctionalInterface
    public interface SessionsEnded {
        void ended(long userId, Collection<String> sessionIds, String reason);
    }

    private final UserStore users;
    private final SessionStore sessions;
    private final PasswordHasher hasher;
    private final TokenService tokens;
    private final Authenticator authenticator;
    private final LoginThrottle throttle;
    private final Clock clock;
    private final Duration refreshTtl;
    private volatile SessionsEnded sessionsEnded = (user, ids, reason) -> { };

    public AuthService(UserStore users, SessionStore sessions, PasswordHasher hasher, TokenService tokens,
                       Authenticator authenticator, LoginThrottle throttle, Clock clock, Duration refreshTtl) {
        this.users = users;
        this.sessions = sessions;
        this.hasher = hasher;
        this.tokens = tokens;
        this.authenticator = authenticator;
        this.throttle = throttle;
        this.clock = clock;
        this.refreshTtl = refreshTtl;
    }

    /** Set once while wiring, before traffic. */
    public void onSessionsEnded(SessionsEnded listener) {
        this.sessionsEnded = listener;
    }

    /**
     * Checks the password and opens a session for the device, replacing the device's previous one.
     *
     * @param deviceId      the client's device id, or null to have one made up
     * @param clientAddress where the attempt comes from, for throttling (may be null)
     */
    public LoginResult login(String username, String password, String deviceId, String clientAddress) {
        if (username == null || username.isBlank()) {
            throw CourierException.field(ErrorCode.MISSING_FIELD, "username", "username is required");
        }
        if (password == null) {
            throw CourierException.field(ErrorCode.MISSING_FIELD, "password", "password is required");
        }
        String device = deviceId == null || deviceId.isEmpty() ? UUID.randomUUID().toString() : AccountRules.checkDeviceId(deviceId);
        String canonical = username.strip().toLowerCase(java.util.Locale.ROOT);
        throttle.checkAllowed(canonical, clientAddress);

        Credentials credentials = users.credentialsByUsername(canonical).orElse(null);
        boolean ok;
        if (credentials == null) {
            hasher.verifyDecoy(password);
            ok = false;
        } else {
            ok = hasher.verify(password, credentials.passwordHash());
        }
        if (!ok) {
            sleep(throttle.recordFailure(canonical, clientAddress));
            throw CourierException.of(ErrorCode.BAD_CREDENTIALS);
        }
        if (credentials.disabled()) {
            throw CourierException.of(ErrorCode.ACCOUNT_DISABLED);
        }
        throttle.recordSuccess(canonical, clientAddress);
        User user = users.findById(credentials.userId()).orElseThrow(() -> CourierException.of(ErrorCode.BAD_CREDENTIALS));
        return openSession(user, device);
    }

    /** Exchanges a refresh token for new tokens; the old refresh token stops working (rotation). */
    public LoginResult refresh(String refreshToken) {
        if (refreshToken == null || refreshToken.isBlank()) {
            throw CourierException.field(ErrorCode.MISSING_FIELD, "refresh_token", "Field 'refresh_token' is required");
        }
        TokenService.RefreshClaims claims = tokens.parseRefresh(refreshToken);
        long now = clock.millis();
        Session session = sessions.find(claims.sessionId())
                .filter(s -> s.userId() == claims.userId() && s.isActive(now))
                .orElseThrow(() -> CourierException.of(ErrorCode.TOKEN_REVOKED));
        String newTokenId = UUID.randomUUID().toString();
        long expiresAt = now + refreshTtl.toMillis();
        if (!sessions.rotateRefresh(session.id(), hash(claims.tokenId()), hash(newTokenId), expiresAt, now)) {
            // A refresh token that was already rotated away is being replayed: whoever holds it may
            // have stolen it, so the whole device session ends.
            end(session.userId(), List.of(session.id()), now, "revoked");
            throw CourierException.of(ErrorCode.TOKEN_REVOKED);
        }
        if (users.credentialsById(session.userId()).map(Credentials::disabled).orElse(true)) {
            end(session.userId(), List.of(session.id()), now, "disabled");
            throw CourierException.of(ErrorCode.ACCOUNT_DISABLED);
        }
        User user = users.findById(session.userId()).orElseThrow(() -> CourierException.of(ErrorCode.TOKEN_REVOKED));
        return new LoginResult(user, session.deviceId(), new IssuedTokens(
                tokens.issueAccess(session), tokens.accessExpiresAt(),
                tokens.issueRefresh(user.id(), session.id(), newTokenId, expiresAt), expiresAt));
    }

    /** Ends the caller's device session: its access and refresh tokens stop working at once. */
    public void logout(Principal principal) {
        end(principal.userId(), List.of(principal.sessionId()), clock.millis(), "logout");
    }

    /**
     * Changes the password and ends every session of the user, the caller's included. Wrong old
     * passwords count as failed logins, so a stolen access token cannot be used to guess the password.
     */
    public void changePassword(Principal principal, String oldPassword, String newPassword) {
        if (oldPassword == null) {
            throw CourierException.field(ErrorCode.MISSING_FIELD, "old_password", "old_password is required");
        }
        AccountRules.checkPassword(newPassword, "new_password");
        Credentials credentials = users.credentialsById(principal.userId())
                .orElseThrow(() -> CourierException.of(ErrorCode.USER_NOT_FOUND));
        throttle.checkAllowed(credentials.username(), null);
        if (!hasher.verify(oldPassword, credentials.passwordHash())) {
            sleep(throttle.recordFailure(credentials.username(), null));
            throw CourierException.field(ErrorCode.WRONG_PASSWORD, "old_password", ErrorCode.WRONG_PASSWORD.message());
        }
        long now = clock.millis();
        users.updatePasswordHash(principal.userId(), hasher.hash(newPassword), now);
        List<String> ended = sessions.revokeAllForUser(principal.userId(), now);
        authenticator.forget(ended);
        sessionsEnded.ended(principal.userId(), ended, "password_changed");
    }

    private LoginResult openSession(User user, String deviceId) {
        long now = clock.millis();
        String tokenId = UUID.randomUUID().toString();
        long refreshExpiresAt = now + refreshTtl.toMillis();
        Session session = new Session(UUID.randomUUID().toString(), user.id(), deviceId, hash(tokenId), now,
                refreshExpiresAt, 0);
        List<String> replaced = sessions.replaceDeviceSession(session, now);
        authenticator.forget(replaced);
        sessionsEnded.ended(user.id(), replaced, "replaced");
        return new LoginResult(user, deviceId, new IssuedTokens(
                tokens.issueAccess(session), tokens.accessExpiresAt(),
                tokens.issueRefresh(user.id(), session.id(), tokenId, refreshExpiresAt), refreshExpiresAt));
    }

    private void end(long userId, List<String> sessionIds, long now, String reason) {
        sessionIds.forEach(id -> sessions.revoke(id, now));
        authenticator.forget(sessionIds);
        sessionsEnded.ended(userId, sessionIds, reason);
    }

    /** Sessions keep only a digest of the refresh token's id: a database leak yields no usable token. */
    static String hash(String tokenId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(tokenId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void sleep(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
