package io.courier.client.http;

/** A friend request; {@code state} is pending, accepted, declined or cancelled. */
public record FriendRequest(long requestId, UserProfile from, UserProfile to, String message, String state,
                            long createdAt, long updatedAt) {
}
