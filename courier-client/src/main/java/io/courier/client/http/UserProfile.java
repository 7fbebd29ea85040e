package io.courier.client.http;

/** A user's public profile. */
public record UserProfile(long userId, String username, String nickname, String avatar, String signature, long createdAt) {
}
