package io.courier.core.friend;

/** A request from {@code fromId} to {@code toId} to become friends. Times are epoch milliseconds. */
public record FriendRequest(long id, long fromId, long toId, String message, RequestState state,
                            long createdAt, long updatedAt) {
}
