package io.courier.store.friend;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.friend.Block;
import io.courier.core.friend.FriendRequest;
import io.courier.core.friend.FriendStore;
import io.courier.core.friend.Friendship;
import io.courier.core.friend.RequestState;
import io.courier.store.DataAccessException;
import io.courier.store.Dialect;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.courier.store.Jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.Optional;

public final class JdbcFriendStore implements FriendStore {
    private static final String REQUEST_COLUMNS = "id, from_id, to_id, message, state, created_at, updated_at";
    private static final String PENDING = RequestState.PENDING.wire();

    private final Jdbc jdbc;
    /**
     * Whether a user blocked another, asked on every 1:1 send, typing notice and presence change.
     * Blocks only change through this store, which keeps the cache exact (one node; cluster mode
     * will need to invalidate across nodes). Absent blocks are cached too: they are the common case.
     */
    private final Cache<BlockKey, Boolean> blocked = Caffeine.newBuilder().maximumSize(200_000).build();

    private record BlockKey(long userId, long blockedId) {
    }

    public JdbcFriendStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long createRequest(long fromId, long toId, String message, long now) {
        try {
            return jdbc.insertReturningId("INSERT INTO friend_requests (from_id, to_id, message, state, pending_key, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)", fromId, toId, message, PENDING, fromId + ":" + toId, now, now);
        } catch (DataAccessException e) {
            if (e.isUniqueViolation()) {
                throw CourierException.of(ErrorCode.FRIEND_REQUEST_EXISTS);
            }
            throw e;
        }
    }

    @Override
    public Optional<FriendRequest> findRequest(long id) {
        return jdbc.queryOne("SELECT " + REQUEST_COLUMNS + " FROM friend_requests WHERE id = ?", JdbcFriendStore::request, id);
    }

    @Override
    public Optional<FriendRequest> pendingRequest(long fromId, long toId) {
        return jdbc.queryOne("SELECT " + REQUEST_COLUMNS + " FROM friend_requests WHERE pending_key = ?",
                JdbcFriendStore::request, fromId + ":" + toId);
    }

    @Override
    public boolean acceptRequest(long requestId, long now) {
        return jdbc.inTransaction(c -> {
            Optional<FriendRequest> request = Jdbc.query(c, "SELECT " + REQUEST_COLUMNS + " FROM friend_requests WHERE id = ?",
                    JdbcFriendStore::request, requestId).stream().findFirst();
            if (request.isEmpty() || !close(c, requestId, RequestState.ACCEPTED, now)) {
                return false;
            }
            // Lower id first: two crossing requests accepted at once take their row locks in the same
            // order, instead of deadlocking.
            long a = Math.min(request.get().fromId(), request.get().toId());
            long b = Math.max(request.get().fromId(), request.get().toId());
            addFriendRow(c, a, b, now);
            addFriendRow(c, b, a, now);
            return true;
        });
    }

    @Override
    public boolean befriend(long userId, long friendId, long now) {
        return jdbc.inTransaction(c -> {
            Jdbc.update(c, "UPDATE friend_requests SET state = ?, pending_key = NULL, updated_at = ? WHERE pending_key IN (?, ?)",
                    RequestState.ACCEPTED.wire(), now, userId + ":" + friendId, friendId + ":" + userId);
            // Lower id first, as in acceptRequest: the same lock order for every way two users become friends.
            long a = Math.min(userId, friendId);
            long b = Math.max(userId, friendId);
            boolean added = addFriendRow(c, a, b, now);
            return addFriendRow(c, b, a, now) || added;
        });
    }

    @Override
    public boolean closeRequest(long requestId, RequestState state, long now) {
        return jdbc.inTransaction(c -> close(c, requestId, state, now));
    }

    @Override
    public List<FriendRequest> pendingTo(long userId) {
        return jdbc.query("SELECT " + REQUEST_COLUMNS + " FROM friend_requests WHERE to_id = ? AND state = ? ORDER BY id DESC",
                JdbcFriendStore::request, userId, PENDING);
    }

    @Override
    public List<FriendRequest> pendingFrom(long userId) {
        return jdbc.query("SELECT " + REQUEST_COLUMNS + " FROM friend_requests WHERE from_id = ? AND state = ? ORDER BY id DESC",
                JdbcFriendStore::request, userId, PENDING);
    }

    @Override
    public boolean areFriends(long userId, long otherId) {
        return jdbc.queryOne("SELECT 1 FROM friendships WHERE user_id = ? AND friend_id = ?", rs -> true, userId, otherId)
                .isPresent();
    }

    @Override
    public List<Friendship> friendsOf(long userId) {
        return jdbc.query("SELECT friend_id, created_at FROM friendships WHERE user_id = ? ORDER BY created_at, friend_id",
                rs -> new Friendship(rs.getLong(1), rs.getLong(2)), userId);
    }

    @Override
    public boolean removeFriendship(long userId, long otherId) {
        return jdbc.inTransaction(c -> {
            int removed = Jdbc.update(c, "DELETE FROM friendships WHERE user_id = ? AND friend_id = ?", userId, otherId);
            removed += Jdbc.update(c, "DELETE FROM friendships WHERE user_id = ? AND friend_id = ?", otherId, userId);
            return removed > 0;
        });
    }

    @Override
    public void block(long userId, long blockedId, long now) {
        if (isBlocked(userId, blockedId)) {
            return;
        }
        try {
            jdbc.update("INSERT INTO user_blocks (user_id, blocked_id, created_at) VALUES (?, ?, ?)", userId, blockedId, now);
        } catch (DataAccessException e) {
            if (!e.isUniqueViolation()) { // a concurrent block of the same user won: the block exists
                throw e;
            }
        } finally {
            blocked.invalidate(new BlockKey(userId, blockedId)); // after the write: a read in between must not stick
        }
    }

    @Override
    public boolean unblock(long userId, long blockedId) {
        try {
            return jdbc.update("DELETE FROM user_blocks WHERE user_id = ? AND blocked_id = ?", userId, blockedId) > 0;
        } finally {
            blocked.invalidate(new BlockKey(userId, blockedId));
        }
    }

    @Override
    public boolean isBlocked(long userId, long blockedId) {
        return blocked.get(new BlockKey(userId, blockedId), k -> jdbc.queryOne(
                "SELECT 1 FROM user_blocks WHERE user_id = ? AND blocked_id = ?", rs -> true, userId, blockedId).isPresent());
    }

    @Override
    public List<Block> blocksOf(long userId) {
        return jdbc.query("SELECT blocked_id, created_at FROM user_blocks WHERE user_id = ? ORDER BY created_at, blocked_id",
                rs -> new Block(rs.getLong(1), rs.getLong(2)), userId);
    }

    private static boolean close(Connection c, long requestId, RequestState state, long now) throws SQLException {
        return Jdbc.update(c, "UPDATE friend_requests SET state = ?, pending_key = NULL, updated_at = ? WHERE id = ? AND state = ?",
                state.wire(), now, requestId, PENDING) == 1;
    }

    /** Adds one direction of a friendship; false when it existed already. */
    private static boolean addFriendRow(Connection c, long userId, long friendId, long now) throws SQLException {
        boolean exists = !Jdbc.query(c, "SELECT 1 FROM friendships WHERE user_id = ? AND friend_id = ?", rs -> true,
                userId, friendId).isEmpty();
        if (exists) {
            return false;
        }
        Savepoint savepoint = c.setSavepoint();
        try {
            Jdbc.update(c, "INSERT INTO friendships (user_id, friend_id, created_at) VALUES (?, ?, ?)", userId, friendId, now);
            c.releaseSavepoint(savepoint);
            return true;
        } catch (SQLException e) {
            c.rollback(savepoint); // PostgreSQL aborts the whole transaction on an error unless rolled back to here
            if (!Dialect.isUniqueViolation(e)) { // a concurrent accept added the same row: the friendship exists
                throw e;
            }
            return false;
        }
    }

    private static FriendRequest request(ResultSet rs) throws SQLException {
        return new FriendRequest(rs.getLong("id"), rs.getLong("from_id"), rs.getLong("to_id"), rs.getString("message"),
                RequestState.fromWire(rs.getString("state")), rs.getLong("created_at"), rs.getLong("updated_at"));
    }
}
