package io.courier.core.group;

import io.courier.protocol.v1.JoinPolicy;

/** A group as stored. {@code dissolvedAt} is 0 while it exists; times are epoch milliseconds. */
public record Group(long id, String name, String avatar, String description, String announcement, long ownerId,
                    JoinPolicy joinPolicy, boolean muteAll, int maxMembers, int memberCount, long createdAt,
                    long dissolvedAt) {

    public boolean dissolved() {
        return dissolvedAt != 0;
    }
}
