package io.courier.core.user;

/** A user's public profile. Never carries the password hash. Times are epoch milliseconds. */
public record User(long id, String username, String nickname, String avatar, String signature,
                   String email, long createdAt) {
}
