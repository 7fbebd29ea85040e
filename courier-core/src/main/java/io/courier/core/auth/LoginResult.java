package io.courier.core.auth;

import io.courier.core.user.User;

/** A successful login or refresh: who, which device session, and its tokens. */
public record LoginResult(User user, String deviceId, IssuedTokens tokens) {
}
