package io.courier.core.auth;

/** An access token and a refresh token with their expiry times (epoch milliseconds). */
public record IssuedTokens(String accessToken, long accessExpiresAt, String refreshToken, long refreshExpiresAt) {
}
