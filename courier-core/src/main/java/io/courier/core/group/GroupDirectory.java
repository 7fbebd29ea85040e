package io.courier.core.group;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import java.time.Duration;
import java.util.Map;

/**
 * Who is in each group, cached for fan-out: delivering one message to a 2,000-member group must
 * not read the member list from the database. Every membership change goes through
 * {@link GroupService}, which invalidates the entry.
 */
public final class GroupDirectory {
    /** The members of a group and, index by index, the group's seq when each joined. */
    public record Members(long[] userIds, long[] joinedSeqs) {
    }

    private final LoadingCache<Long, Members> members;

    public GroupDirectory(GroupStore store) {
        this.members = Caffeine.newBuilder()
                .maximumSize(20_000)
                .expireAfterAccess(Duration.ofMinutes(30))
                .build(id -> {
                    Map<Long, Long> points = store.memberJoinPoints(id);
                    long[] users = new long[points.size()];
                    long[] joined = new long[points.size()];
                    int i = 0;
                    for (Map.Entry<Long, Long> e : points.entrySet()) {
                        users[i] = e.getKey();
                        joined[i++] = e.getValue();
                    }
                    return new Members(users, joined);
                });
    }

    public Members members(long groupId) {
        return members.get(groupId);
    }

    public long[] membersOf(long groupId) {
        return members.get(groupId).userIds();
    }

    void changed(long groupId) {
        members.invalidate(groupId);
    }
}
