package io.courier.store.message;

import io.courier.core.message.CommitPlan;
import io.courier.core.message.ContentRules;
import io.courier.core.message.ConversationEntry;
import io.courier.core.message.ConversationId;
import io.courier.core.message.MessageStore;
import io.courier.core.message.StoredMessage;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.GroupEvent;
import io.courier.store.DataAccessException;
import io.courier.store.Jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class JdbcMessageStore implements MessageStore {
    private static final String COLUMNS = "conversation_id, seq, message_id, sender_id, client_msg_id, body, created_at, recalled_at";
    /** The kind column of a group's timeline events ({@link ContentRules#kind}). */
    private static final String EVENT_KIND = ContentRules.kind(Content.newBuilder().setEvent(GroupEvent.getDefaultInstance()).build());

    private final Jdbc jdbc;

    public JdbcMessageStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void commit(CommitPlan plan) {
        jdbc.inTransaction(c -> apply(c, plan));
    }

    /** One batch per kind of row: a commit costs a few statements, whatever the number of conversations. */
    private static Void apply(Connection c, CommitPlan plan) throws SQLException {
        insertMessages(c, plan.messages());
        List<Object[]> headUpdates = new ArrayList<>(plan.conversationHeads().size());
        List<Object[]> headInserts = new ArrayList<>(plan.conversationHeads().size());
        for (CommitPlan.Head h : plan.conversationHeads()) {
            headUpdates.add(new Object[] {h.seq(), h.at(), h.ownerId(), h.conversationId(), h.seq()});
            headInserts.add(new Object[] {h.ownerId(), h.conversationId(), h.seq(), h.at()});
        }
        Jdbc.advanceAll(c,
                "UPDATE user_conversations SET last_seq = ?, updated_at = ? WHERE user_id = ? AND conversation_id = ? AND last_seq < ?",
                headUpdates, "INSERT INTO user_conversations (user_id, conversation_id, last_seq, updated_at) VALUES (?, ?, ?, ?)",
                headInserts);
        Jdbc.batch(c, "UPDATE chat_groups SET last_seq = ?, last_message_at = ? WHERE id = ? AND last_seq < ?",
                plan.groupHeads().stream().map(h -> new Object[] {h.seq(), h.at(), h.ownerId(), h.seq()}).toList());
        Jdbc.batch(c, "UPDATE group_members SET mention_seq = ? WHERE group_id = ? AND user_id <> ? AND mention_seq < ?",
                plan.mentions().stream().filter(CommitPlan.Mention::everyone)
                        .map(m -> new Object[] {m.seq(), m.groupId(), m.senderId(), m.seq()}).toList());
        Jdbc.batch(c, "UPDATE group_members SET mention_seq = ? WHERE group_id = ? AND user_id = ? AND mention_seq < ?",
                plan.mentions().stream().filter(m -> !m.everyone())
                        .map(m -> new Object[] {m.seq(), m.groupId(), m.userId(), m.seq()}).toList());
        JdbcCursorStore.advanceReadAll(c, plan.readCursors());
        return null;
    }

    private static void insertMessages(Connection c, List<StoredMessage> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO messages (conversation_id, seq, message_id, sender_id,"
                + " client_msg_id, kind, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (StoredMessage m : batch) {
                ps.setString(1, m.conversationId());
                ps.setLong(2, m.seq());
                ps.setLong(3, m.messageId());
                ps.setLong(4, m.senderId());
                ps.setString(5, m.clientMsgId());
                ps.setString(6, ContentRules.kind(m.content()));
                ps.setString(7, ContentJson.write(m.content()));
                ps.setLong(8, m.createdAt());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public boolean isDuplicateKey(RuntimeException failure) {
        return failure instanceof DataAccessException d && d.isUniqueViolation();
    }

    @Override
    public long lastSeq(String conversationId) {
        return jdbc.queryOne("SELECT MAX(seq) FROM messages WHERE conversation_id = ?", rs -> rs.getLong(1), conversationId)
                .orElse(0L);
    }

    @Override
    public Optional<StoredMessage> findByClientMsgId(long senderId, String clientMsgId) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM messages WHERE sender_id = ? AND client_msg_id = ?",
                JdbcMessageStore::message, senderId, clientMsgId);
    }

    @Override
    public Optional<StoredMessage> find(String conversationId, long seq) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM messages WHERE conversation_id = ? AND seq = ?",
                JdbcMessageStore::message, conversationId, seq);
    }

    @Override
    public Optional<StoredMessage> findById(long messageId) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM messages WHERE message_id = ?", JdbcMessageStore::message, messageId);
    }

    @Override
    public long countAfter(String conversationId, long afterSeq, long notFrom) {
        return jdbc.queryOne("SELECT COUNT(*) FROM messages WHERE conversation_id = ? AND seq > ? AND sender_id <> ?",
                rs -> rs.getLong(1), conversationId, afterSeq, notFrom).orElse(0L);
    }

    @Override
    public List<StoredMessage> after(String conversationId, long afterSeq, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq LIMIT ?",
                JdbcMessageStore::message, conversationId, afterSeq, limit);
    }

    @Override
    public List<StoredMessage> before(String conversationId, long beforeSeq, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM messages WHERE conversation_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
                JdbcMessageStore::message, conversationId, beforeSeq, limit);
    }

    @Override
    public List<StoredMessage> chatBefore(String conversationId, long beforeSeq, int limit) {
        return jdbc.query("SELECT " + COLUMNS + " FROM messages WHERE conversation_id = ? AND seq < ? AND kind <> ?"
                + " ORDER BY seq DESC LIMIT ?", JdbcMessageStore::message, conversationId, beforeSeq, EVENT_KIND, limit);
    }

    @Override
    public List<StoredMessage> latest(Collection<String> conversationIds) {
        List<StoredMessage> result = new ArrayList<>();
        List<String> all = new ArrayList<>(conversationIds);
        for (int from = 0; from < all.size(); from += 200) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + 200));
            String marks = String.join(",", Collections.nCopies(chunk.size(), "?"));
            result.addAll(jdbc.query("SELECT m.conversation_id, m.seq, m.message_id, m.sender_id, m.client_msg_id, m.body,"
                    + " m.created_at, m.recalled_at FROM messages m JOIN (SELECT conversation_id, MAX(seq) AS top FROM messages"
                    + " WHERE conversation_id IN (" + marks + ") GROUP BY conversation_id) t"
                    + " ON m.conversation_id = t.conversation_id AND m.seq = t.top", JdbcMessageStore::message, chunk.toArray()));
        }
        return result;
    }

    @Override
    public boolean recall(String conversationId, long seq, long at) {
        return jdbc.update("UPDATE messages SET recalled_at = ? WHERE conversation_id = ? AND seq = ? AND recalled_at IS NULL",
                at, conversationId, seq) == 1;
    }

    /** 1:1 conversations from the user's list, groups from their memberships; merged by recency. */
    @Override
    public List<ConversationEntry> conversationsOf(long userId, int limit) {
        List<ConversationEntry> all = new ArrayList<>(jdbc.query("SELECT conversation_id, last_seq, updated_at FROM user_conversations"
                        + " WHERE user_id = ? ORDER BY updated_at DESC, conversation_id LIMIT ?",
                rs -> new ConversationEntry(rs.getString(1), rs.getLong(2), rs.getLong(3)), userId, limit));
        all.addAll(jdbc.query("SELECT g.id, g.last_seq, g.last_message_at, g.created_at, m.joined_seq, m.mention_seq"
                        + " FROM group_members m JOIN chat_groups g ON g.id = m.group_id WHERE m.user_id = ?",
                rs -> new ConversationEntry(ConversationId.ofGroup(rs.getLong(1)).value(), rs.getLong(2),
                        Math.max(rs.getLong(3), rs.getLong(4)), rs.getLong(5), rs.getLong(6)), userId));
        all.sort(java.util.Comparator.comparingLong(ConversationEntry::updatedAt).reversed()
                .thenComparing(ConversationEntry::conversationId));
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    private static StoredMessage message(ResultSet rs) throws SQLException {
        String conversation = rs.getString("conversation_id");
        long sender = rs.getLong("sender_id");
        ConversationId id = ConversationId.parse(conversation);
        return new StoredMessage(conversation, rs.getLong("seq"), rs.getLong("message_id"), sender,
                id.isPrivate() ? id.peerOf(sender) : 0, id.groupId(), rs.getString("client_msg_id"),
                ContentJson.read(rs.getString("body")), rs.getLong("created_at"), rs.getLong("recalled_at"));
    }
}
