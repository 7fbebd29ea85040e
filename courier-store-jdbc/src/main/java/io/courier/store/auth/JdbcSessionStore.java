package io.courier.store.auth;

import io.courier.core.auth.Session;
import io.courier.core.auth.SessionStore;
import io.courier.store.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

public final class JdbcSessionStore implements SessionStore {
    private final Jdbc jdbc;

    public JdbcSessionStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<String> replaceDeviceSession(Session s, long now) {
        return jdbc.inTransaction(c -> {
            // Locks the user's row: logins of one user take turns, so two at once on one device
            // cannot both stay live.
            Jdbc.query(c, "SELECT id FROM users WHERE id = ?" + jdbc.forUpdate(), rs -> rs.getLong(1), s.userId());
            List<String> replaced = Jdbc.query(c,
                    "SELECT id FROM user_sessions WHERE user_id = ? AND device_id = ? AND revoked_at = 0",
                    rs -> rs.getString(1), s.userId(), s.deviceId());
            Jdbc.update(c, "UPDATE user_sessions SET revoked_at = ? WHERE user_id = ? AND device_id = ? AND revoked_at = 0",
                    now, s.userId(), s.deviceId());
            Jdbc.update(c, "INSERT INTO user_sessions (id, user_id, device_id, refresh_hash, created_at, refreshed_at, expires_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    s.id(), s.userId(), s.deviceId(), s.refreshHash(), s.createdAt(), s.createdAt(), s.expiresAt());
            return replaced;
        });
    }

    @Override
    public Optional<Session> find(String id) {
        return jdbc.queryOne("SELECT id, user_id, device_id, refresh_hash, created_at, expires_at, revoked_at"
                + " FROM user_sessions WHERE id = ?", JdbcSessionStore::session, id);
    }

    @Override
    public boolean rotateRefresh(String id, String expectedHash, String newHash, long newExpiresAt, long now) {
        return jdbc.update("UPDATE user_sessions SET refresh_hash = ?, refreshed_at = ?, expires_at = ?"
                        + " WHERE id = ? AND refresh_hash = ? AND revoked_at = 0 AND expires_at > ?",
                newHash, now, newExpiresAt, id, expectedHash, now) == 1;
    }

    @Override
    public void revoke(String id, long now) {
        jdbc.update("UPDATE user_sessions SET revoked_at = ? WHERE id = ? AND revoked_at = 0", now, id);
    }

    @Override
    public List<String> revokeAllForUser(long userId, long now) {
        return jdbc.inTransaction(c -> {
            List<String> ids = Jdbc.query(c, "SELECT id FROM user_sessions WHERE user_id = ? AND revoked_at = 0",
                    rs -> rs.getString(1), userId);
            Jdbc.update(c, "UPDATE user_sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at = 0", now, userId);
            return ids;
        });
    }

    @Override
    public int purgeEndedBefore(long before) {
        return jdbc.update("DELETE FROM user_sessions WHERE expires_at < ? OR (revoked_at > 0 AND revoked_at < ?)",
                before, before);
    }

    private static Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getString("id"), rs.getLong("user_id"), rs.getString("device_id"),
                rs.getString("refresh_hash"), rs.getLong("created_at"), rs.getLong("expires_at"),
                rs.getLong("revoked_at"));
    }
}
