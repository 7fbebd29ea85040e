package io.courier.store.group;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.group.Group;
import io.courier.core.group.GroupStore;
import io.courier.core.group.JoinRequestRecord;
import io.courier.core.group.Member;
import io.courier.protocol.v1.GroupRole;
import io.courier.protocol.v1.JoinPolicy;
import io.courier.store.DataAccessException;
import io.courier.store.Jdbc;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

public final class JdbcGroupStore implements GroupStore {
    private static final String GROUP_COLUMNS = "id, name, avatar, description, announcement, owner_id, join_policy, mute_all,"
            + " max_members, member_count, created_at, dissolved_at";
    private static final String MEMBER_COLUMNS = "group_id, user_id, role, nickname, joined_at, muted_until, joined_seq, mention_seq";
    private static final String REQUEST_COLUMNS = "id, group_id, user_id, inviter_id, message, state, created_at";

    private final Jdbc jdbc;

    public JdbcGroupStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long create(String name, String avatar, String description, JoinPolicy policy, int maxMembers, long ownerId,
                       Collection<Long> memberIds, long now) {
        return jdbc.inTransaction(c -> {
            long id = Jdbc.insertReturningId(c, "INSERT INTO chat_groups (name, owner_id, avatar, description, created_at,"
                            + " join_policy, max_members, member_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    name, ownerId, avatar, description, now, wire(policy), maxMembers, 1 + memberIds.size());
            insertMember(c, id, ownerId, GroupRole.OWNER, now, 0);
            for (long m : memberIds) {
                insertMember(c, id, m, GroupRole.MEMBER, now, 0);
            }
            return id;
        });
    }

    @Override
    public Optional<Group> find(long groupId) {
        return jdbc.queryOne("SELECT " + GROUP_COLUMNS + " FROM chat_groups WHERE id = ?", JdbcGroupStore::group, groupId);
    }

    @Override
    public void update(long groupId, String name, String avatar, String description, String announcement, JoinPolicy policy) {
        jdbc.update("UPDATE chat_groups SET name = COALESCE(?, name), avatar = COALESCE(?, avatar),"
                        + " description = COALESCE(?, description), announcement = COALESCE(?, announcement),"
                        + " join_policy = COALESCE(?, join_policy) WHERE id = ?",
                orNull(name), orNull(avatar), orNull(description), orNull(announcement),
                policy == null ? Jdbc.NULL_STRING : wire(policy), groupId);
    }

    @Override
    public boolean dissolve(long groupId, long now) {
        return jdbc.update("UPDATE chat_groups SET dissolved_at = ? WHERE id = ? AND dissolved_at IS NULL", now, groupId) == 1;
    }

    @Override
    public Optional<Member> member(long groupId, long userId) {
        return jdbc.queryOne("SELECT " + MEMBER_COLUMNS + " FROM group_members WHERE group_id = ? AND user_id = ?",
                JdbcGroupStore::member, groupId, userId);
    }

    @Override
    public java.util.Map<Long, Long> memberJoinPoints(long groupId) {
        java.util.Map<Long, Long> points = new java.util.HashMap<>();
        jdbc.query("SELECT user_id, joined_seq FROM group_members WHERE group_id = ?",
                rs -> points.put(rs.getLong(1), rs.getLong(2)), groupId);
        return points;
    }

    @Override
    public List<Member> members(long groupId, int offset, int limit) {
        return jdbc.query("SELECT " + MEMBER_COLUMNS + " FROM group_members WHERE group_id = ?"
                        + " ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, joined_at, user_id LIMIT ? OFFSET ?",
                JdbcGroupStore::member, groupId, limit, offset);
    }

    @Override
    public List<Group> groupsOf(long userId) {
        return jdbc.query("SELECT g.id, g.name, g.avatar, g.description, g.announcement, g.owner_id, g.join_policy, g.mute_all,"
                + " g.max_members, g.member_count, g.created_at, g.dissolved_at FROM chat_groups g"
                + " JOIN group_members m ON m.group_id = g.id WHERE m.user_id = ? ORDER BY g.id DESC", JdbcGroupStore::group, userId);
    }

    @Override
    public int addMembers(long groupId, Collection<Long> userIds, GroupRole role, long now) {
        return jdbc.inTransaction(c -> {
            // Locks the group row: concurrent joins take turns, so the count cannot overshoot.
            var head = Jdbc.query(c, "SELECT member_count, max_members, last_seq FROM chat_groups WHERE id = ?" + jdbc.forUpdate(),
                    rs -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)}, groupId).stream().findFirst();
            if (head.isEmpty()) {
                return -1;
            }
            int added = 0;
            for (long user : userIds) {
                boolean exists = !Jdbc.query(c, "SELECT 1 FROM group_members WHERE group_id = ? AND user_id = ?", rs -> true,
                        groupId, user).isEmpty();
                if (!exists) {
                    if (head.get()[0] + added + 1 > head.get()[1]) {
                        c.rollback();
                        return -1;
                    }
                    insertMember(c, groupId, user, role, now, head.get()[2]);
                    added++;
                }
            }
            Jdbc.update(c, "UPDATE chat_groups SET member_count = member_count + ? WHERE id = ?", added, groupId);
            return added;
        });
    }

    @Override
    public int removeMembers(long groupId, Collection<Long> userIds) {
        return jdbc.inTransaction(c -> {
            int removed = 0;
            for (long user : userIds) {
                removed += Jdbc.update(c, "DELETE FROM group_members WHERE group_id = ? AND user_id = ?", groupId, user);
            }
            Jdbc.update(c, "UPDATE chat_groups SET member_count = member_count - ? WHERE id = ?", removed, groupId);
            return removed;
        });
    }

    @Override
    public void setRole(long groupId, long userId, GroupRole role) {
        jdbc.update("UPDATE group_members SET role = ? WHERE group_id = ? AND user_id = ?", wire(role), groupId, userId);
    }

    @Override
    public void transferOwner(long groupId, long oldOwner, long newOwner) {
        jdbc.inTransaction(c -> {
            Jdbc.update(c, "UPDATE group_members SET role = ? WHERE group_id = ? AND user_id = ?", wire(GroupRole.ADMIN), groupId, oldOwner);
            // An owner cannot be muted (nobody outranks them), so a mute does not survive the promotion.
            Jdbc.update(c, "UPDATE group_members SET role = ?, muted_until = 0 WHERE group_id = ? AND user_id = ?",
                    wire(GroupRole.OWNER), groupId, newOwner);
            Jdbc.update(c, "UPDATE chat_groups SET owner_id = ? WHERE id = ?", newOwner, groupId);
            return null;
        });
    }

    @Override
    public void mute(long groupId, long userId, long until) {
        jdbc.update("UPDATE group_members SET muted_until = ? WHERE group_id = ? AND user_id = ?", until, groupId, userId);
    }

    @Override
    public void muteAll(long groupId, boolean muteAll) {
        jdbc.update("UPDATE chat_groups SET mute_all = ? WHERE id = ?", muteAll, groupId);
    }

    @Override
    public long createRequest(long groupId, long userId, long inviterId, String message, long now) {
        try {
            return jdbc.insertReturningId("INSERT INTO group_join_requests (group_id, user_id, inviter_id, message, state,"
                            + " pending_key, created_at, updated_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)",
                    groupId, userId, inviterId, message, groupId + ":" + userId, now, now);
        } catch (DataAccessException e) {
            if (e.isUniqueViolation()) {
                throw CourierException.of(ErrorCode.JOIN_REQUEST_EXISTS);
            }
            throw e;
        }
    }

    @Override
    public Optional<JoinRequestRecord> findRequest(long requestId) {
        return jdbc.queryOne("SELECT " + REQUEST_COLUMNS + " FROM group_join_requests WHERE id = ?", JdbcGroupStore::request, requestId);
    }

    @Override
    public boolean closeRequest(long requestId, String state, long now) {
        return jdbc.update("UPDATE group_join_requests SET state = ?, pending_key = NULL, updated_at = ? WHERE id = ? AND state = 'pending'",
                state, now, requestId) == 1;
    }

    @Override
    public List<JoinRequestRecord> pendingRequestsOf(long groupId) {
        return jdbc.query("SELECT " + REQUEST_COLUMNS + " FROM group_join_requests WHERE group_id = ? AND state = 'pending'"
                + " AND inviter_id = 0 ORDER BY id", JdbcGroupStore::request, groupId);
    }

    @Override
    public List<JoinRequestRecord> pendingInvitationsFor(long userId) {
        return jdbc.query("SELECT " + REQUEST_COLUMNS + " FROM group_join_requests WHERE user_id = ? AND state = 'pending'"
                + " AND inviter_id <> 0 ORDER BY id", JdbcGroupStore::request, userId);
    }

    private static void insertMember(Connection c, long groupId, long userId, GroupRole role, long now, long joinedSeq)
            throws SQLException {
        Jdbc.update(c, "INSERT INTO group_members (group_id, user_id, role, joined_at, joined_seq) VALUES (?, ?, ?, ?, ?)",
                groupId, userId, wire(role), now, joinedSeq);
    }

    private static Object orNull(String value) {
        return value == null ? Jdbc.NULL_STRING : value;
    }

    private static String wire(JoinPolicy policy) {
        return policy.name().toLowerCase(Locale.ROOT);
    }

    private static String wire(GroupRole role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    private static Group group(ResultSet rs) throws SQLException {
        return new Group(rs.getLong("id"), rs.getString("name"), rs.getString("avatar"), rs.getString("description"),
                rs.getString("announcement"), rs.getLong("owner_id"),
                JoinPolicy.valueOf(rs.getString("join_policy").toUpperCase(Locale.ROOT)), rs.getBoolean("mute_all"),
                rs.getInt("max_members"), rs.getInt("member_count"), rs.getLong("created_at"), rs.getLong("dissolved_at"));
    }

    private static Member member(ResultSet rs) throws SQLException {
        return new Member(rs.getLong("group_id"), rs.getLong("user_id"), GroupRole.valueOf(rs.getString("role").toUpperCase(Locale.ROOT)),
                rs.getString("nickname"), rs.getLong("joined_at"), rs.getLong("muted_until"), rs.getLong("joined_seq"),
                rs.getLong("mention_seq"));
    }

    private static JoinRequestRecord request(ResultSet rs) throws SQLException {
        return new JoinRequestRecord(rs.getLong("id"), rs.getLong("group_id"), rs.getLong("user_id"), rs.getLong("inviter_id"),
                rs.getString("message"), rs.getString("state"), rs.getLong("created_at"));
    }
}
