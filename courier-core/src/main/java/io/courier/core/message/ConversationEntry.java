package io.courier.core.message;

/** One line of a user's conversation list: a conversation and where it stands. */
public record ConversationEntry(String conversationId, long lastSeq, long updatedAt) {
}
