package io.courier.core.group;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.message.ConversationId;
import io.courier.core.message.CursorStore;
import io.courier.core.message.MessageStore;
import io.courier.core.message.StoredMessage;
import io.courier.core.user.AccountRules;
import io.courier.core.user.UserStore;
import io.courier.protocol.v1.GroupEvent;
import io.courier.protocol.v1.GroupInfo;
import io.courier.protocol.v1.GroupMember;
import io.courier.protocol.v1.GroupRole;
import io.courier.protocol.v1.JoinPolicy;
import io.courier.protocol.v1.JoinRequest;
import io.courier.protocol.v1.ReadStateResult;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Groups: creation, information, membership (join policies, requests, invitations), roles and
 * moderation. Every rule of "who may do what" lives here; every change is also written into the
 * group's timeline by {@link GroupEvents}. Blocking: never call it on an event loop.
 *
 * <p>Roles: the owner may do everything; admins may change the group's information, invite,
 * answer requests, kick and mute members (not other admins or the owner) and mute everyone;
 * members may send, leave, and invite unless the group is invite-only.
 */
public final class GroupService {
    private static final int MAX_NAME = 64;
    private static final int MAX_DESCRIPTION = 512;
    private static final int MAX_ANNOUNCEMENT = 2048;
    private static final int MAX_MESSAGE = 256;
    public static final int MAX_PAGE = 500;

    private final GroupStore store;
    private final GroupDirectory directory;
    private final GroupEvents events;
    private final UserStore users;
    private final MessageStore messages;
    private final CursorStore cursors;
    private final Clock clock;
    private final int maxMembers;
    private final int readListMaxMembers;

    public GroupService(GroupStore store, GroupDirectory directory, GroupEvents events, UserStore users, MessageStore messages,
                        CursorStore cursors, Clock clock, int maxMembers, int readListMaxMembers) {
        this.store = store;
        this.directory = directory;
        this.events = events;
        this.users = users;
        this.messages = messages;
        this.cursors = cursors;
        this.clock = clock;
        this.maxMembers = maxMembers;
        this.readListMaxMembers = readListMaxMembers;
    }

    public GroupInfo create(long owner, String name, String avatar, String description, List<Long> memberIds, JoinPolicy policy) {
        String n = checkName(name);
        String a = avatar == null || avatar.isEmpty() ? "" : AccountRules.checkAvatar(avatar);
        String d = bounded(description, MAX_DESCRIPTION, "description");
        Set<Long> members = new LinkedHashSet<>(memberIds);
        members.remove(owner);
        if (members.size() + 1 > maxMembers) {
            throw CourierException.of(ErrorCode.GROUP_FULL, "A group has at most " + maxMembers + " members");
        }
        if (users.findByIds(members).size() != members.size()) {
            throw CourierException.of(ErrorCode.USER_NOT_FOUND, "member_ids names a user that does not exist");
        }
        JoinPolicy p = policy == null || policy == JoinPolicy.JOIN_POLICY_UNSPECIFIED || policy == JoinPolicy.UNRECOGNIZED
                ? JoinPolicy.OPEN : policy;
        long id = store.create(n, a, d, p, maxMembers, owner, members, clock.millis());
        events.emit(id, owner, GroupEvent.Type.CREATED, members, "");
        return info(id, owner);
    }

    /** Public information of a group, with the caller's role in it. */
    public GroupInfo info(long groupId, long caller) {
        Group g = group(groupId);
        GroupRole role = store.member(groupId, caller).map(Member::role).orElse(GroupRole.GROUP_ROLE_UNSPECIFIED);
        return toInfo(g, role);
    }

    public GroupInfo update(long caller, long groupId, String name, String avatar, String description, String announcement,
                            JoinPolicy policy) {
        Group g = live(groupId);
        requireAdmin(member(g, caller));
        List<String> changed = new ArrayList<>();
        String n = name == null ? null : checkName(name);
        String a = avatar == null ? null : avatar.isEmpty() ? "" : AccountRules.checkAvatar(avatar);
        String d = description == null ? null : bounded(description, MAX_DESCRIPTION, "description");
        String an = announcement == null ? null : bounded(announcement, MAX_ANNOUNCEMENT, "announcement");
        JoinPolicy p = policy == null || policy == JoinPolicy.JOIN_POLICY_UNSPECIFIED || policy == JoinPolicy.UNRECOGNIZED
                ? null : policy;
        if (n != null) changed.add("name");
        if (a != null) changed.add("avatar");
        if (d != null) changed.add("description");
        if (an != null) changed.add("announcement");
        if (p != null) changed.add("join_policy");
        if (!changed.isEmpty()) {
            store.update(groupId, n, a, d, an, p);
            events.emit(groupId, caller, GroupEvent.Type.INFO_CHANGED, List.of(), String.join(",", changed));
        }
        return info(groupId, caller);
    }

    public void dissolve(long caller, long groupId) {
        Group g = live(groupId);
        if (member(g, caller).role() != GroupRole.OWNER) {
            throw CourierException.of(ErrorCode.GROUP_ROLE_FORBIDDEN, "Only the owner may dissolve the group");
        }
        // The event goes first, while the group still takes messages; then it is closed for good.
        events.emit(groupId, caller, GroupEvent.Type.DISSOLVED, List.of(), "");
        store.dissolve(groupId, clock.millis());
    }

    /** Joins an open group at once, asks to join an approval group, accepts a pending invitation. */
    public Joined join(long caller, long groupId, String message) {
        Group g = live(groupId);
        if (store.member(groupId, caller).isPresent()) {
            throw CourierException.of(ErrorCode.ALREADY_GROUP_MEMBER);
        }
        for (JoinRequestRecord invitation : store.pendingInvitationsFor(caller)) {
            if (invitation.groupId() == groupId) {
                answer(caller, invitation.id(), true);
                return new Joined(info(groupId, caller), null);
            }
        }
        return switch (g.joinPolicy()) {
            case INVITE_ONLY -> throw CourierException.of(ErrorCode.GROUP_INVITE_ONLY);
            case APPROVAL -> {
                long id = store.createRequest(groupId, caller, 0, bounded(message, MAX_MESSAGE, "message"), clock.millis());
                yield new Joined(null, request(store.findRequest(id).orElseThrow()));
            }
            default -> {
                addMember(g, caller, caller);
                yield new Joined(info(groupId, caller), null);
            }
        };
    }

    /** The outcome of a join: membership, or a request that waits for approval. */
    public record Joined(GroupInfo group, JoinRequest pending) {
    }

    /** Leaving a dissolved group is always allowed (it only tidies the member's lists). */
    public void leave(long caller, long groupId) {
        Group g = group(groupId);
        Member me = member(g, caller);
        if (me.role() == GroupRole.OWNER && !g.dissolved()) {
            throw CourierException.of(ErrorCode.OWNER_MUST_TRANSFER);
        }
        directory.change(groupId, () -> store.removeMembers(groupId, List.of(caller)));
        if (!g.dissolved()) {
            events.emit(groupId, caller, GroupEvent.Type.LEFT, List.of(caller), "", List.of(caller));
        }
    }

    public void kick(long caller, long groupId, List<Long> targets) {
        Group g = live(groupId);
        Member me = member(g, caller);
        Set<Long> kicked = new LinkedHashSet<>(targets);
        if (kicked.isEmpty()) {
            throw CourierException.field(ErrorCode.MISSING_FIELD, "target_ids", "Name the members to remove");
        }
        for (long target : kicked) {
            if (target == caller) {
                throw CourierException.of(ErrorCode.TARGET_IS_SELF, "Leave the group instead of kicking yourself");
            }
            Member t = store.member(groupId, target).orElseThrow(() -> CourierException.of(ErrorCode.TARGET_NOT_MEMBER));
            requireOutranks(me, t);
        }
        directory.change(groupId, () -> store.removeMembers(groupId, kicked));
        events.emit(groupId, caller, GroupEvent.Type.KICKED, kicked, "", kicked);
    }

    /** Invites users; returns the invitations (each waits for the invitee to accept). */
    public List<JoinRequest> invite(long caller, long groupId, List<Long> targets) {
        Group g = live(groupId);
        Member me = member(g, caller);
        if (g.joinPolicy() == JoinPolicy.INVITE_ONLY && !me.isAdminOrOwner()) {
            throw CourierException.of(ErrorCode.GROUP_ROLE_FORBIDDEN, "Only the owner and admins invite to an invite-only group");
        }
        Set<Long> invited = new LinkedHashSet<>(targets);
        if (invited.isEmpty()) {
            throw CourierException.field(ErrorCode.MISSING_FIELD, "user_ids", "Name the users to invite");
        }
        if (users.findByIds(invited).size() != invited.size()) {
            throw CourierException.of(ErrorCode.USER_NOT_FOUND);
        }
        List<JoinRequest> out = new ArrayList<>();
        for (long target : invited) {
            if (store.member(groupId, target).isPresent()) {
                throw CourierException.of(ErrorCode.ALREADY_GROUP_MEMBER, "User " + target + " is already a member");
            }
            long id = store.createRequest(groupId, target, caller, "", clock.millis());
            out.add(request(store.findRequest(id).orElseThrow()));
        }
        return out;
    }

    /** The invitee answers an invitation; the owner or an admin answers a request. */
    public void answer(long caller, long requestId, boolean accept) {
        JoinRequestRecord r = store.findRequest(requestId).orElseThrow(() -> CourierException.of(ErrorCode.JOIN_REQUEST_NOT_FOUND));
        Group g = group(r.groupId());
        if (r.isInvitation()) {
            if (r.userId() != caller) {
                throw CourierException.of(ErrorCode.JOIN_REQUEST_NOT_FOUND);
            }
        } else {
            Member me = store.member(r.groupId(), caller).orElseThrow(() -> CourierException.of(ErrorCode.JOIN_REQUEST_NOT_FOUND));
            requireAdmin(me);
        }
        if (!r.pending()) {
            throw CourierException.of(ErrorCode.JOIN_REQUEST_NOT_PENDING);
        }
        if (g.dissolved()) {
            throw CourierException.of(ErrorCode.GROUP_DISSOLVED);
        }
        if (!accept) {
            if (!store.closeRequest(requestId, "declined", clock.millis())) {
                throw CourierException.of(ErrorCode.JOIN_REQUEST_NOT_PENDING);
            }
            return;
        }
        if (store.member(r.groupId(), r.userId()).isPresent()) {
            store.closeRequest(requestId, "cancelled", clock.millis());
            throw CourierException.of(ErrorCode.ALREADY_GROUP_MEMBER);
        }
        // Membership first: a full group leaves the request pending rather than accepted and empty.
        addMember(g, r.userId(), r.isInvitation() ? r.inviterId() : caller);
        store.closeRequest(requestId, "accepted", clock.millis());
    }

    public void setAdmin(long caller, long groupId, long target, boolean admin) {
        Group g = live(groupId);
        if (member(g, caller).role() != GroupRole.OWNER) {
            throw CourierException.of(ErrorCode.GROUP_ROLE_FORBIDDEN, "Only the owner appoints admins");
        }
        if (target == caller) {
            throw CourierException.of(ErrorCode.TARGET_IS_SELF);
        }
        store.member(groupId, target).orElseThrow(() -> CourierException.of(ErrorCode.TARGET_NOT_MEMBER));
        GroupRole role = admin ? GroupRole.ADMIN : GroupRole.MEMBER;
        store.setRole(groupId, target, role);
        events.emit(groupId, caller, GroupEvent.Type.ROLE_CHANGED, List.of(target), admin ? "admin" : "member");
    }

    public void transfer(long caller, long groupId, long target) {
        Group g = live(groupId);
        if (member(g, caller).role() != GroupRole.OWNER) {
            throw CourierException.of(ErrorCode.GROUP_ROLE_FORBIDDEN, "Only the owner transfers the group");
        }
        if (target == caller) {
            throw CourierException.of(ErrorCode.TARGET_IS_SELF);
        }
        store.member(groupId, target).orElseThrow(() -> CourierException.of(ErrorCode.TARGET_NOT_MEMBER));
        store.transferOwner(groupId, caller, target);
        events.emit(groupId, caller, GroupEvent.Type.ROLE_CHANGED, List.of(target), "owner");
    }

    /** Mutes a member for {@code seconds} (0 unmutes). */
    public void mute(long caller, long groupId, long target, long seconds) {
        Group g = live(groupId);
        Member me = member(g, caller);
        if (target == caller) {
            throw CourierException.of(ErrorCode.TARGET_IS_SELF);
        }
        Member t = store.member(groupId, target).orElseThrow(() -> CourierException.of(ErrorCode.TARGET_NOT_MEMBER));
        requireOutranks(me, t);
        long until = seconds <= 0 ? 0 : clock.millis() + Math.min(seconds, 366L * 24 * 3600) * 1000;
        store.mute(groupId, target, until);
        events.emit(groupId, caller, GroupEvent.Type.MUTED, List.of(target), Long.toString(until));
    }

    public void muteAll(long caller, long groupId, boolean on) {
        Group g = live(groupId);
        requireAdmin(member(g, caller));
        store.muteAll(groupId, on);
        events.emit(groupId, caller, GroupEvent.Type.MUTE_ALL, List.of(), Boolean.toString(on));
    }

    public record MemberPage(int total, List<GroupMember> members) {
    }

    public MemberPage members(long caller, long groupId, int offset, int limit) {
        Group g = group(groupId);
        member(g, caller);
        int size = limit <= 0 ? 100 : Math.min(limit, MAX_PAGE);
        List<Member> page = store.members(groupId, Math.max(0, offset), size);
        var profiles = users.findByIds(page.stream().map(Member::userId).toList());
        List<GroupMember> out = page.stream().map(m -> GroupMember.newBuilder()
                .setUserId(m.userId())
                .setNickname(!m.nickname().isEmpty() ? m.nickname()
                        : profiles.containsKey(m.userId()) ? profiles.get(m.userId()).nickname() : "")
                .setRole(m.role()).setJoinedAt(m.joinedAt()).setMutedUntil(m.mutedUntil()).build()).toList();
        return new MemberPage(g.memberCount(), out);
    }

    public List<GroupInfo> mine(long caller) {
        List<GroupInfo> out = new ArrayList<>();
        for (Group g : store.groupsOf(caller)) {
            out.add(toInfo(g, store.member(g.id(), caller).map(Member::role).orElse(GroupRole.GROUP_ROLE_UNSPECIFIED)));
        }
        return out;
    }

    /** Pending requests of a group (owner and admins), or the caller's own invitations (groupId 0). */
    public List<JoinRequest> requests(long caller, long groupId) {
        if (groupId == 0) {
            return store.pendingInvitationsFor(caller).stream().map(GroupService::request).toList();
        }
        Group g = group(groupId);
        requireAdmin(member(g, caller));
        return store.pendingRequestsOf(groupId).stream().map(GroupService::request).toList();
    }

    /** How many members (other than its sender, and only those who were members when it was sent) read a message. */
    public ReadStateResult readState(long caller, long groupId, long seq) {
        Group g = group(groupId);
        member(g, caller);
        String conversation = ConversationId.ofGroup(groupId).value();
        StoredMessage m = messages.find(conversation, seq).orElseThrow(() -> CourierException.of(ErrorCode.MESSAGE_NOT_FOUND));
        Set<Long> readers = cursors.readersOf(conversation, seq);
        int read = 0;
        int unread = 0;
        List<Long> readIds = new ArrayList<>();
        for (Member member : store.members(groupId, 0, Integer.MAX_VALUE)) {
            if (member.userId() == m.senderId() || member.joinedSeq() >= seq) {
                continue;
            }
            if (readers.contains(member.userId())) {
                read++;
                readIds.add(member.userId());
            } else {
                unread++;
            }
        }
        ReadStateResult.Builder r = ReadStateResult.newBuilder().setSeq(seq).setReadCount(read).setUnreadCount(unread);
        if (g.memberCount() <= readListMaxMembers) {
            r.addAllReadUserIds(readIds);
        }
        return r.build();
    }

    // ---- rules ------------------------------------------------------------------------------

    /** Adds one member and writes JOINED, only if this call added them (two racing joins write one event). */
    private void addMember(Group g, long userId, long operator) {
        int added = directory.change(g.id(), () -> store.addMembers(g.id(), List.of(userId), GroupRole.MEMBER, clock.millis()));
        if (added < 0) {
            throw CourierException.of(ErrorCode.GROUP_FULL);
        }
        if (added == 0) {
            throw CourierException.of(ErrorCode.ALREADY_GROUP_MEMBER);
        }
        events.emit(g.id(), operator, GroupEvent.Type.JOINED, List.of(userId), "");
    }

    private Group group(long groupId) {
        return store.find(groupId).orElseThrow(() -> CourierException.of(ErrorCode.GROUP_NOT_FOUND));
    }

    /** The group, which must not be dissolved: changes to a dissolved group are refused. */
    private Group live(long groupId) {
        Group g = group(groupId);
        if (g.dissolved()) {
            throw CourierException.of(ErrorCode.GROUP_DISSOLVED);
        }
        return g;
    }

    private Member member(Group g, long userId) {
        return store.member(g.id(), userId).orElseThrow(() -> CourierException.of(ErrorCode.NOT_GROUP_MEMBER));
    }

    private static void requireAdmin(Member m) {
        if (!m.isAdminOrOwner()) {
            throw CourierException.of(ErrorCode.GROUP_ROLE_FORBIDDEN);
        }
    }

    /** The owner outranks everyone; an admin outranks members only; a member outranks no one. */
    private static void requireOutranks(Member actor, Member target) {
        boolean allowed = actor.role() == GroupRole.OWNER
                || actor.role() == GroupRole.ADMIN && target.role() == GroupRole.MEMBER;
        if (!allowed) {
            throw CourierException.of(ErrorCode.GROUP_ROLE_FORBIDDEN);
        }
    }

    private static String checkName(String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty() || n.length() > MAX_NAME || n.chars().anyMatch(Character::isISOControl)) {
            throw CourierException.field(ErrorCode.GROUP_NAME_INVALID, "name", ErrorCode.GROUP_NAME_INVALID.message());
        }
        return n;
    }

    private static String bounded(String value, int max, String field) {
        if (value == null) {
            return "";
        }
        if (value.length() > max) {
            throw CourierException.field(ErrorCode.GROUP_FIELD_INVALID, field, field + " is at most " + max + " characters");
        }
        return value;
    }

    static GroupInfo toInfo(Group g, GroupRole role) {
        return GroupInfo.newBuilder().setGroupId(g.id()).setName(g.name()).setAvatar(g.avatar())
                .setDescription(g.description()).setAnnouncement(g.announcement()).setOwnerId(g.ownerId())
                .setJoinPolicy(g.joinPolicy()).setMuteAll(g.muteAll()).setMaxMembers(g.maxMembers())
                .setMemberCount(g.memberCount()).setCreatedAt(g.createdAt()).setDissolvedAt(g.dissolvedAt())
                .setMyRole(role).build();
    }

    private static JoinRequest request(JoinRequestRecord r) {
        return JoinRequest.newBuilder().setRequestId(r.id()).setGroupId(r.groupId()).setUserId(r.userId())
                .setInviterId(r.inviterId()).setMessage(r.message()).setState(r.state()).setCreatedAt(r.createdAt()).build();
    }
}
