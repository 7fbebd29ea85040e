package io.courier.core.message;

import java.time.Duration;

/**
 * @param maxTextLength     longest text a message may carry, in characters
 * @param recallWindow      how long after sending the sender may recall a message
 * @param requireFriendship whether 1:1 messages need a friendship (off: anyone not blocked may write)
 * @param maxBatch          most messages one group-commit transaction carries
 * @param maxQueued         messages waiting for the writer; further sends wait for room
 */
public record MessagingSettings(int maxTextLength, Duration recallWindow, boolean requireFriendship, int maxBatch,
                                int maxQueued) {
}
