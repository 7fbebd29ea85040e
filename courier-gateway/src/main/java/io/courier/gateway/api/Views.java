package io.courier.gateway.api;

import io.courier.core.friend.FriendService;
import io.courier.core.user.User;
import io.courier.protocol.v1.PresenceChange;

import java.time.Instant;

/** The JSON shapes of domain objects (field names become snake_case on the wire). */
final class Views {
    private Views() {
    }

    /** Another user's public profile. */
    record UserView(long userId, String username, String nickname, String avatar, String signature, long createdAt) {
    }

    /** The caller's own profile: also the e-mail address. */
    record SelfView(long userId, String username, String nickname, String avatar, String signature, String email,
                    long createdAt) {
    }

    record RequestView(long requestId, UserView from, UserView to, String message, String state, long createdAt,
                       long updatedAt) {
    }

    record FriendView(long userId, String username, String nickname, String avatar, String signature, long since,
                      boolean blocked, boolean online, long lastSeen) {
    }

    record BlockView(long userId, String username, String nickname, String avatar, long since) {
    }

    static UserView user(User u) {
        return new UserView(u.id(), u.username(), u.nickname(), u.avatar(), u.signature(), u.createdAt());
    }

    static SelfView self(User u) {
        return new SelfView(u.id(), u.username(), u.nickname(), u.avatar(), u.signature(), u.email(), u.createdAt());
    }

    static RequestView request(FriendService.RequestView v) {
        var r = v.request();
        return new RequestView(r.id(), user(v.from()), user(v.to()), r.message(), r.state().wire(), r.createdAt(), r.updatedAt());
    }

    static FriendView friend(FriendService.FriendView v, PresenceChange presence) {
        User u = v.user();
        return new FriendView(u.id(), u.username(), u.nickname(), u.avatar(), u.signature(), v.since(), v.blocked(),
                presence.getOnline(), presence.getLastSeen());
    }

    static BlockView block(FriendService.BlockView v) {
        User u = v.user();
        return new BlockView(u.id(), u.username(), u.nickname(), u.avatar(), v.since());
    }

    /** RFC 3339 in UTC, the form SimpleIM clients parse. */
    static String rfc3339(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
