package io.courier.store.user;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.user.Credentials;
import io.courier.core.user.NewUser;
import io.courier.core.user.ProfileUpdate;
import io.courier.core.user.User;
import io.courier.core.user.UserStore;
import io.courier.store.DataAccessException;
import io.courier.store.Jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

public final class JdbcUserStore implements UserStore {
    private static final String COLUMNS = "id, username, nickname, avatar, signature, email, created_at";
    /** LIKE escape character; '!' rather than '\' because MySQL treats backslashes in literals specially. */
    private static final String SEARCH = " FROM users WHERE username LIKE ? ESCAPE '!' OR search_name LIKE ? ESCAPE '!'";

    private final Jdbc jdbc;

    public JdbcUserStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long create(NewUser u) {
        try {
            return jdbc.insertReturningId(
                    "INSERT INTO users (username, password_hash, nickname, search_name, email, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    u.username(), u.passwordHash(), u.nickname(), searchName(u.nickname()), u.email() == null ? Jdbc.NULL_STRING : u.email(),
                    u.createdAt(), u.createdAt());
        } catch (DataAccessException e) {
            if (e.isUniqueViolation()) {
                throw CourierException.field(ErrorCode.USERNAME_TAKEN, "username", ErrorCode.USERNAME_TAKEN.message());
            }
            throw e;
        }
    }

    @Override
    public Optional<User> findById(long id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM users WHERE id = ?", JdbcUserStore::user, id);
    }

    @Override
    public Optional<User> findByUsername(String canonicalUsername) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM users WHERE username = ?", JdbcUserStore::user, canonicalUsername);
    }

    @Override
    public Map<Long, User> findByIds(Collection<Long> ids) {
        Map<Long, User> result = new HashMap<>();
        List<Long> all = new ArrayList<>(ids);
        // Chunks keep the IN list well under every driver's parameter limit.
        for (int from = 0; from < all.size(); from += 500) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            for (User u : jdbc.query("SELECT " + COLUMNS + " FROM users WHERE id IN (" + marks + ")",
                    JdbcUserStore::user, chunk.toArray())) {
                result.put(u.id(), u);
            }
        }
        return result;
    }

    @Override
    public Optional<Credentials> credentialsByUsername(String canonicalUsername) {
        return jdbc.queryOne("SELECT id, username, password_hash, disabled FROM users WHERE username = ?",
                JdbcUserStore::credentials, canonicalUsername);
    }

    @Override
    public Optional<Credentials> credentialsById(long id) {
        return jdbc.queryOne("SELECT id, username, password_hash, disabled FROM users WHERE id = ?",
                JdbcUserStore::credentials, id);
    }

    @Override
    public boolean updateProfile(long id, ProfileUpdate p, long now) {
        return jdbc.update("UPDATE users SET nickname = COALESCE(?, nickname), search_name = COALESCE(?, search_name),"
                        + " avatar = COALESCE(?, avatar), signature = COALESCE(?, signature), updated_at = ? WHERE id = ?",
                nullable(p.nickname()), searchName(p.nickname()), nullable(p.avatar()),
                nullable(p.signature()), now, id) == 1;
    }

    @Override
    public void updatePasswordHash(long id, String passwordHash, long now) {
        jdbc.update("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?", passwordHash, now, id);
    }

    @Override
    public List<User> search(String keyword, int offset, int limit) {
        String[] patterns = patterns(keyword);
        return jdbc.query("SELECT " + COLUMNS + SEARCH + " ORDER BY id LIMIT ? OFFSET ?", JdbcUserStore::user,
                patterns[0], patterns[1], limit, offset);
    }

    @Override
    public long countSearch(String keyword) {
        String[] patterns = patterns(keyword);
        return jdbc.queryOne("SELECT COUNT(*)" + SEARCH, rs -> rs.getLong(1), patterns[0], patterns[1]).orElse(0L);
    }

    @Override
    public long count() {
        return jdbc.queryOne("SELECT COUNT(*) FROM users", rs -> rs.getLong(1)).orElse(0L);
    }

    @Override
    public void updateLastSeen(long userId, long at) {
        jdbc.update("UPDATE users SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?", at, userId, at);
    }

    @Override
    public Map<Long, Long> lastSeen(Collection<Long> userIds) {
        Map<Long, Long> result = new HashMap<>();
        List<Long> all = new ArrayList<>(userIds);
        for (int from = 0; from < all.size(); from += 500) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + 500));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            jdbc.query("SELECT id, last_seen_at FROM users WHERE last_seen_at > 0 AND id IN (" + marks + ")",
                    rs -> result.put(rs.getLong(1), rs.getLong(2)), chunk.toArray());
        }
        return result;
    }

    /** What search matches a nickname by: {@code search_name}, lower-cased here for every database alike. */
    private static Object searchName(String nickname) {
        return nickname == null ? Jdbc.NULL_STRING : nickname.toLowerCase(Locale.ROOT);
    }

    /** Username prefix and nickname substring patterns, with LIKE's wildcards escaped. */
    private static String[] patterns(String keyword) {
        String k = keyword.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
        return new String[] {k + "%", "%" + k + "%"};
    }

    private static Object nullable(String value) {
        return value == null ? Jdbc.NULL_STRING : value;
    }

    private static User user(ResultSet rs) throws SQLException {
        return new User(rs.getLong("id"), rs.getString("username"), rs.getString("nickname"), rs.getString("avatar"),
                rs.getString("signature"), rs.getString("email"), rs.getLong("created_at"));
    }

    private static Credentials credentials(ResultSet rs) throws SQLException {
        return new Credentials(rs.getLong("id"), rs.getString("username"), rs.getString("password_hash"),
                rs.getBoolean("disabled"));
    }
}
