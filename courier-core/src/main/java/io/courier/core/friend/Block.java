package io.courier.core.friend;

/** The owner of the list blocked {@code blockedId} at {@code since} (epoch milliseconds). */
public record Block(long blockedId, long since) {
}
