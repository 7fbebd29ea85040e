package io.courier.store.message;

import io.courier.core.message.CursorStore;
import io.courier.core.message.DeliveredCursor;
import io.courier.store.Jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public final class JdbcCursorStore implements CursorStore {
    private final Jdbc jdbc;

    public JdbcCursorStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void advanceDelivered(long userId, String deviceId, String conversationId, long seq) {
        jdbc.write(c -> advanceDelivered(c, userId, deviceId, conversationId, seq));
    }

    @Override
    public void advanceDeliveredAll(List<DeliveredCursor> cursors) {
        jdbc.inTransaction(c -> {
            for (DeliveredCursor d : cursors) {
                advanceDelivered(c, d.userId(), d.deviceId(), d.conversationId(), d.seq());
            }
            return null;
        });
    }

    private static boolean advanceDelivered(Connection c, long userId, String deviceId, String conversationId, long seq)
            throws SQLException {
        return Jdbc.advance(c,
                "UPDATE delivery_cursors SET delivered_seq = ? WHERE user_id = ? AND device_id = ? AND conversation_id = ? AND delivered_seq < ?",
                new Object[] {seq, userId, deviceId, conversationId, seq},
                "INSERT INTO delivery_cursors (user_id, device_id, conversation_id, delivered_seq) VALUES (?, ?, ?, ?)",
                new Object[] {userId, deviceId, conversationId, seq});
    }

    @Override
    public Map<String, Long> deliveredOf(long userId, String deviceId) {
        Map<String, Long> cursors = new HashMap<>();
        jdbc.query("SELECT conversation_id, delivered_seq FROM delivery_cursors WHERE user_id = ? AND device_id = ?",
                rs -> cursors.put(rs.getString(1), rs.getLong(2)), userId, deviceId);
        return cursors;
    }

    @Override
    public boolean advanceRead(long userId, String conversationId, long seq) {
        return jdbc.write(c -> advanceRead(c, userId, conversationId, seq));
    }

    @Override
    public Map<String, Long> readOf(long userId) {
        Map<String, Long> cursors = new HashMap<>();
        jdbc.query("SELECT conversation_id, read_seq FROM read_cursors WHERE user_id = ?",
                rs -> cursors.put(rs.getString(1), rs.getLong(2)), userId);
        return cursors;
    }

    @Override
    public java.util.Set<Long> readersOf(String conversationId, long seq) {
        return new java.util.HashSet<>(jdbc.query("SELECT user_id FROM read_cursors WHERE conversation_id = ? AND read_seq >= ?",
                rs -> rs.getLong(1), conversationId, seq));
    }

    /** Shared with the message writer's transaction, which moves a sender's cursor past their own message. */
    static boolean advanceRead(Connection c, long userId, String conversationId, long seq) throws SQLException {
        return Jdbc.advance(c,
                "UPDATE read_cursors SET read_seq = ? WHERE user_id = ? AND conversation_id = ? AND read_seq < ?",
                new Object[] {seq, userId, conversationId, seq},
                "INSERT INTO read_cursors (user_id, conversation_id, read_seq) VALUES (?, ?, ?)",
                new Object[] {userId, conversationId, seq});
    }
}
