package io.courier.core.message;

/**
 * One line of a user's conversation list: a conversation and where it stands. {@code floorSeq} is
 * where the user's interest starts (a group's seq when they joined; 0 for 1:1): messages up to it
 * are history, not unread news, and are not pushed as a backlog. {@code mentionSeq} is the newest
 * message that mentioned the user.
 */
public record ConversationEntry(String conversationId, long lastSeq, long updatedAt, long floorSeq, long mentionSeq) {

    public ConversationEntry(String conversationId, long lastSeq, long updatedAt) {
        this(conversationId, lastSeq, updatedAt, 0, 0);
    }
}
