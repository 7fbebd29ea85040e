package io.courier.core.friend;

/** One side of a friendship: {@code friendId} is a friend since {@code since} (epoch milliseconds). */
public record Friendship(long friendId, long since) {
}
