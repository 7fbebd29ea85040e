package io.courier.core.auth;

/**
 * One logged-in device of a user. Its refresh token is stored only as a hash of the token's id, and
 * it is rotated on every refresh. {@code revokedAt} is 0 while the session is live. Times are epoch
 * milliseconds.
 */
public record Session(String id, long userId, String deviceId, String refreshHash, long createdAt,
                      long expiresAt, long revokedAt) {

    public boolean isActive(long now) {
        return revokedAt == 0 && expiresAt > now;
    }
}
