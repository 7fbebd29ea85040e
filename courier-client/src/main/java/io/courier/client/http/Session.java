package io.courier.client.http;

import java.time.Instant;

/**
 * A logged-in device: the access token a connection logs in with (short-lived) and the refresh
 * token that gets the next one (it rotates: each refresh returns a new one and spends the old).
 */
public record Session(long userId, String username, String nickname, String deviceId, String accessToken,
                      Instant expiresAt, String refreshToken, Instant refreshExpiresAt) {

    /** Whether the access token has expired, or will within {@code marginSeconds}. */
    public boolean expiresWithin(long marginSeconds, Instant now) {
        return !expiresAt.isAfter(now.plusSeconds(marginSeconds));
    }
}
