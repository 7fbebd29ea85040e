package io.courier.core.user;

/** A validated registration, ready to store. {@code username} is already canonical (lower case). */
public record NewUser(String username, String passwordHash, String nickname, String email, long createdAt) {
}
