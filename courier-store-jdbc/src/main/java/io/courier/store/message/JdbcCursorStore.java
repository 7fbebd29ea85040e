package io.courier.store.message;

import io.courier.core.message.CommitPlan;
import io.courier.core.message.CursorStore;
import io.courier.core.message.DeliveredCursor;
import io.courier.store.Jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

public final class JdbcCursorStore implements CursorStore {
    private static final String ADVANCE_DELIVERED = "UPDATE delivery_cursors SET delivered_seq = ? WHERE user_id = ? AND device_id = ?"
            + " AND conversation_id = ? AND delivered_seq < ?";
    private static final String INSERT_DELIVERED = "INSERT INTO delivery_cursors (user_id, device_id, conversation_id, delivered_seq)"
            + " VALUES (?, ?, ?, ?)";
    private static final String ADVANCE_READ = "UPDATE read_cursors SET read_seq = ? WHERE user_id = ? AND conversation_id = ? AND read_seq < ?";
    private static final String INSERT_READ = "INSERT INTO read_cursors (user_id, conversation_id, read_seq) VALUES (?, ?, ?)";

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
        List<Object[]> updates = new ArrayList<>(cursors.size());
        List<Object[]> inserts = new ArrayList<>(cursors.size());
        for (DeliveredCursor d : cursors) {
            updates.add(new Object[] {d.seq(), d.userId(), d.deviceId(), d.conversationId(), d.seq()});
            inserts.add(new Object[] {d.userId(), d.deviceId(), d.conversationId(), d.seq()});
        }
        jdbc.inTransaction(c -> {
            Jdbc.advanceAll(c, ADVANCE_DELIVERED, updates, INSERT_DELIVERED, inserts);
            return null;
        });
    }

    private static boolean advanceDelivered(Connection c, long userId, String deviceId, String conversationId, long seq)
            throws SQLException {
        return Jdbc.advance(c, ADVANCE_DELIVERED, new Object[] {seq, userId, deviceId, conversationId, seq}, INSERT_DELIVERED,
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

    /** The senders' read cursors of a group commit, in its transaction. */
    static void advanceReadAll(Connection c, List<CommitPlan.Cursor> cursors) throws SQLException {
        List<Object[]> updates = new ArrayList<>(cursors.size());
        List<Object[]> inserts = new ArrayList<>(cursors.size());
        for (CommitPlan.Cursor r : cursors) {
            updates.add(new Object[] {r.seq(), r.userId(), r.conversationId(), r.seq()});
            inserts.add(new Object[] {r.userId(), r.conversationId(), r.seq()});
        }
        Jdbc.advanceAll(c, ADVANCE_READ, updates, INSERT_READ, inserts);
    }

    private static boolean advanceRead(Connection c, long userId, String conversationId, long seq) throws SQLException {
        return Jdbc.advance(c, ADVANCE_READ, new Object[] {seq, userId, conversationId, seq}, INSERT_READ,
                new Object[] {userId, conversationId, seq});
    }
}
