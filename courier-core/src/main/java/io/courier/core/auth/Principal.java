package io.courier.core.auth;

/** Who is calling: established from a verified access token, never from a field of the request. */
public record Principal(long userId, String deviceId, String sessionId) {
}
