package io.courier.core.message;

import java.util.Map;

/**
 * How far each device has received (delivered cursor) and each user has read (read cursor), per
 * conversation. Both only ever move forward.
 */
public interface CursorStore {

    /** Moves the device's delivered cursor up to {@code seq}; never backwards. */
    void advanceDelivered(long userId, String deviceId, String conversationId, long seq);

    /**
     * Like {@link #advanceDelivered}, but returns at once: the future completes once the cursor is
     * stored. Stores that group commits override it; the default stores before returning.
     */
    default java.util.concurrent.CompletableFuture<Void> advanceDeliveredLater(long userId, String deviceId,
                                                                               String conversationId, long seq) {
        advanceDelivered(userId, deviceId, conversationId, seq);
        return java.util.concurrent.CompletableFuture.completedFuture(null);
    }

    /** Moves several delivered cursors, in one transaction where the store has them. */
    default void advanceDeliveredAll(java.util.List<DeliveredCursor> cursors) {
        cursors.forEach(c -> advanceDelivered(c.userId(), c.deviceId(), c.conversationId(), c.seq()));
    }

    /** The device's delivered cursor of every conversation it has one for. */
    Map<String, Long> deliveredOf(long userId, String deviceId);

    /** Moves the user's read cursor up to {@code seq}; returns whether it moved. */
    boolean advanceRead(long userId, String conversationId, long seq);

    /** The user's read cursor of every conversation it has one for. */
    Map<String, Long> readOf(long userId);

    /** The users whose read cursor in the conversation is at or past {@code seq}. */
    java.util.Set<Long> readersOf(String conversationId, long seq);
}
