package io.courier.core.message;

import io.courier.protocol.v1.Text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything one group commit writes, decided here by the domain's rules so that a store only
 * applies it, in one transaction: the messages; each 1:1 participant's conversation-list entry at
 * the conversation's newest message; each group's head; the mentions of group members; and each
 * sender's read cursor past their own newest message (a sender has read what they sent).
 *
 * <p>Every value only moves forward: a store applies a head, mention or cursor only where it is
 * above what is stored.
 */
public record CommitPlan(List<StoredMessage> messages, List<Head> conversationHeads, List<Head> groupHeads,
                         List<Mention> mentions, List<Cursor> readCursors) {

    /** A conversation-list entry (user id, conversation) or a group's head (group id, conversation of the group). */
    public record Head(long ownerId, String conversationId, long seq, long at) {
    }

    /** {@code userId} 0: every member but the sender (an @all). */
    public record Mention(long groupId, long userId, long senderId, long seq) {
        public boolean everyone() {
            return userId == 0;
        }
    }

    public record Cursor(long userId, String conversationId, long seq) {
    }

    /** The plan of a batch of messages, each with its seq already given (in seq order per conversation). */
    public static CommitPlan of(List<StoredMessage> batch) {
        Map<String, StoredMessage> newest = new LinkedHashMap<>();
        Map<String, StoredMessage> newestBySender = new LinkedHashMap<>();
        List<Mention> mentions = new ArrayList<>();
        for (StoredMessage m : batch) {
            newest.merge(m.conversationId(), m, CommitPlan::later);
            newestBySender.merge(m.senderId() + "/" + m.conversationId(), m, CommitPlan::later);
            if (m.groupId() != 0 && m.content().hasText()) {
                Text text = m.content().getText();
                if (text.getAtAll()) {
                    mentions.add(new Mention(m.groupId(), 0, m.senderId(), m.seq()));
                } else {
                    text.getAtUserIdsList().stream().distinct()
                            .forEach(user -> mentions.add(new Mention(m.groupId(), user, m.senderId(), m.seq())));
                }
            }
        }
        List<Head> conversationHeads = new ArrayList<>(newest.size() * 2);
        List<Head> groupHeads = new ArrayList<>();
        for (StoredMessage m : newest.values()) {
            if (m.groupId() != 0) {
                // A group keeps its head on the group (one write per batch), not on every member's list.
                groupHeads.add(new Head(m.groupId(), m.conversationId(), m.seq(), m.createdAt()));
            } else {
                conversationHeads.add(new Head(m.senderId(), m.conversationId(), m.seq(), m.createdAt()));
                conversationHeads.add(new Head(m.toUserId(), m.conversationId(), m.seq(), m.createdAt()));
            }
        }
        List<Cursor> reads = new ArrayList<>(newestBySender.size());
        for (StoredMessage m : newestBySender.values()) {
            reads.add(new Cursor(m.senderId(), m.conversationId(), m.seq()));
        }
        return new CommitPlan(List.copyOf(batch), conversationHeads, groupHeads, mentions, reads);
    }

    private static StoredMessage later(StoredMessage a, StoredMessage b) {
        return a.seq() >= b.seq() ? a : b;
    }
}
