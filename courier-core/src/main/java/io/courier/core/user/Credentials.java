package io.courier.core.user;

/** What login needs to know about an account; kept apart from {@link User} so a hash never reaches a response. */
public record Credentials(long userId, String username, String passwordHash, boolean disabled) {
}
