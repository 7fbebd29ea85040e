package io.courier.core.message;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Durable storage of messages and of each user's conversation list. */
public interface MessageStore {

    /**
     * Applies a group commit in one transaction: either all of it commits or none does.
     *
     * @throws io.courier.core.error.BackendException on failure; {@link #isDuplicateKey} tells a
     *         duplicate (sender, client message id) apart
     */
    void commit(CommitPlan plan);

    /** Stores a batch of messages with all that goes with them ({@link CommitPlan#of}). */
    default void append(List<StoredMessage> batch) {
        commit(CommitPlan.of(batch));
    }

    /** Whether a failure of {@link #append} was a violated unique key. */
    boolean isDuplicateKey(RuntimeException failure);

    /** The highest seq of a conversation, 0 when it has none. */
    long lastSeq(String conversationId);

    Optional<StoredMessage> findByClientMsgId(long senderId, String clientMsgId);

    Optional<StoredMessage> find(String conversationId, long seq);

    /** The message with this server message id. */
    Optional<StoredMessage> findById(long messageId);

    /** How many messages of the conversation lie after afterSeq that someone other than {@code notFrom} sent. */
    long countAfter(String conversationId, long afterSeq, long notFrom);

    /** Messages with seq > afterSeq, oldest first. */
    List<StoredMessage> after(String conversationId, long afterSeq, int limit);

    /** Messages with seq < beforeSeq, newest first. */
    List<StoredMessage> before(String conversationId, long beforeSeq, int limit);

    /** The same without a group's timeline events: chat messages only. */
    List<StoredMessage> chatBefore(String conversationId, long beforeSeq, int limit);

    /** The newest message of each conversation given. */
    List<StoredMessage> latest(Collection<String> conversationIds);

    /** Marks a message recalled; false when it was already recalled or does not exist. */
    boolean recall(String conversationId, long seq, long at);

    /** The user's conversations, most recently active first. */
    List<ConversationEntry> conversationsOf(long userId, int limit);
}
