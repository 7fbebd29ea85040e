package io.courier.core.group;

/**
 * A request to join a group ({@code inviterId} 0) or an invitation ({@code inviterId} who invited).
 * {@code state} is pending, accepted, declined or cancelled.
 */
public record JoinRequestRecord(long id, long groupId, long userId, long inviterId, String message, String state,
                                long createdAt) {

    public boolean isInvitation() {
        return inviterId != 0;
    }

    public boolean pending() {
        return "pending".equals(state);
    }
}
