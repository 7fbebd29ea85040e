package io.courier.core.message;

/** A device's delivered cursor in one conversation. */
public record DeliveredCursor(long userId, String deviceId, String conversationId, long seq) {
}
