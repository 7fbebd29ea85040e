package io.courier.core.group;

import io.courier.protocol.v1.GroupRole;

/**
 * A member of a group. {@code joinedSeq} is the group's last seq when they joined: what came
 * before is history they may read but not unread news. {@code mentionSeq} is the newest message
 * that mentioned them (or everyone).
 */
public record Member(long groupId, long userId, GroupRole role, String nickname, long joinedAt, long mutedUntil,
                     long joinedSeq, long mentionSeq) {

    public boolean mutedAt(long now) {
        return mutedUntil > now;
    }

    public boolean isAdminOrOwner() {
        return role == GroupRole.ADMIN || role == GroupRole.OWNER;
    }
}
