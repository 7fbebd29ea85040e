package io.courier.core.message;

import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Message;

/**
 * A message as stored: its place in the conversation ({@code seq}), its server-wide id, who sent it
 * with which client id (the deduplication key), and what it says. {@code recalledAt} is 0 unless the
 * sender took it back. Times are epoch milliseconds.
 */
public record StoredMessage(String conversationId, long seq, long messageId, long senderId, long toUserId, long groupId,
                            String clientMsgId, Content content, long createdAt, long recalledAt) {

    public boolean recalled() {
        return recalledAt != 0;
    }

    public StoredMessage withSeq(long seq) {
        return new StoredMessage(conversationId, seq, messageId, senderId, toUserId, groupId, clientMsgId, content, createdAt,
                recalledAt);
    }

    /** The wire form; a recalled message keeps its place but not its content. */
    public Message toProto() {
        Message.Builder m = Message.newBuilder()
                .setConversationId(conversationId)
                .setSeq(seq)
                .setMessageId(messageId)
                .setSenderId(senderId)
                .setClientMsgId(clientMsgId)
                .setToUserId(toUserId)
                .setGroupId(groupId)
                .setServerTs(createdAt);
        if (recalled()) {
            m.setRecalled(true);
        } else {
            m.setContent(content);
        }
        return m.build();
    }
}
