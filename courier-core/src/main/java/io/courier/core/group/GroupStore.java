package io.courier.core.group;

import io.courier.protocol.v1.GroupRole;
import io.courier.protocol.v1.JoinPolicy;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Durable storage of groups, their members and join requests. */
public interface GroupStore {

    /** Creates the group with its owner and first members in one transaction; returns its id. */
    long create(String name, String avatar, String description, JoinPolicy policy, int maxMembers, long ownerId,
                Collection<Long> memberIds, long now);

    Optional<Group> find(long groupId);

    /** Applies the non-null fields. */
    void update(long groupId, String name, String avatar, String description, String announcement, JoinPolicy policy);

    boolean dissolve(long groupId, long now);

    Optional<Member> member(long groupId, long userId);

    /** A page of members: owner first, then admins, then by join time. */
    List<Member> members(long groupId, int offset, int limit);

    /** The groups the user is a member of, newest first. */
    List<Group> groupsOf(long userId);

    /**
     * Adds members if the group has room for all of them, in one transaction (the group row is
     * locked, so concurrent additions take turns). Returns how many were added (users already
     * members are left as they are), or -1 when it would exceed the group's maximum.
     */
    int addMembers(long groupId, Collection<Long> userIds, GroupRole role, long now);

    /** Every member's user id with their join point, for fan-out. */
    java.util.Map<Long, Long> memberJoinPoints(long groupId);

    /** Removes members; returns how many were members. */
    int removeMembers(long groupId, Collection<Long> userIds);

    void setRole(long groupId, long userId, GroupRole role);

    /** The owner becomes an admin and {@code newOwner} the owner, in one transaction. */
    void transferOwner(long groupId, long oldOwner, long newOwner);

    void mute(long groupId, long userId, long until);

    void muteAll(long groupId, boolean muteAll);

    /**
     * Stores a pending request or invitation.
     *
     * @throws io.courier.core.error.CourierException JOIN_REQUEST_EXISTS when one is pending for the same user and group
     */
    long createRequest(long groupId, long userId, long inviterId, String message, long now);

    Optional<JoinRequestRecord> findRequest(long requestId);

    /** Pending to {@code state}; false when it was no longer pending. */
    boolean closeRequest(long requestId, String state, long now);

    List<JoinRequestRecord> pendingRequestsOf(long groupId);

    List<JoinRequestRecord> pendingInvitationsFor(long userId);
}
