package io.courier.core.message;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;

/**
 * Names a conversation. A 1:1 conversation is {@code p:<smaller user id>:<larger user id>}, so both
 * parties derive the same id without a lookup; a group's is {@code g:<group id>}.
 */
public record ConversationId(String value, long userA, long userB, long groupId) {

    public static ConversationId ofUsers(long one, long other) {
        long a = Math.min(one, other);
        long b = Math.max(one, other);
        return new ConversationId("p:" + a + ":" + b, a, b, 0);
    }

    public static ConversationId ofGroup(long groupId) {
        return new ConversationId("g:" + groupId, 0, 0, groupId);
    }

    /** Parses a conversation id from a client; anything malformed is CONVERSATION_NOT_FOUND. */
    public static ConversationId parse(String value) {
        try {
            if (value != null && value.startsWith("p:")) {
                int colon = value.indexOf(':', 2);
                long a = Long.parseLong(value.substring(2, colon));
                long b = Long.parseLong(value.substring(colon + 1));
                // Only the canonical spelling names a conversation: "p:01:2" or "p:+1:2" do not.
                if (a > 0 && b > a && value.equals("p:" + a + ":" + b)) {
                    return new ConversationId(value, a, b, 0);
                }
            } else if (value != null && value.startsWith("g:")) {
                long g = Long.parseLong(value.substring(2));
                if (g > 0 && value.equals("g:" + g)) {
                    return ofGroup(g);
                }
            }
        } catch (NumberFormatException | StringIndexOutOfBoundsException ignored) {
            // answered below
        }
        throw CourierException.of(ErrorCode.CONVERSATION_NOT_FOUND);
    }

    public boolean isPrivate() {
        return groupId == 0;
    }

    public boolean includes(long userId) {
        return isPrivate() && (userA == userId || userB == userId);
    }

    /** The other party of a 1:1 conversation. */
    public long peerOf(long userId) {
        return userA == userId ? userB : userA;
    }

    @Override
    public String toString() {
        return value;
    }
}
