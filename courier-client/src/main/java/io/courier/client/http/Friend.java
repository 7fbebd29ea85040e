package io.courier.client.http;

/** A friend, with whether the caller has blocked them and their presence. */
public record Friend(long userId, String username, String nickname, String avatar, String signature, long since,
                     boolean blocked, boolean online, long lastSeen) {
}
