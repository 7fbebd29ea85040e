package io.courier.client.http;

import java.util.List;

/** The caller's pending friend requests, both ways. */
public record FriendRequests(List<FriendRequest> incoming, List<FriendRequest> outgoing) {
}
