package io.courier.core.group;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import java.time.Duration;
import java.util.List;

/**
 * Who is in each group, cached for fan-out: delivering one message to a 2,000-member group must
 * not read the member list from the database. Every membership change goes through
 * {@link GroupService}, which invalidates the entry.
 */
public final class GroupDirectory {
    private final LoadingCache<Long, long[]> members;

    public GroupDirectory(GroupStore store) {
        this.members = Caffeine.newBuilder()
                .maximumSize(20_000)
                .expireAfterAccess(Duration.ofMinutes(30))
                .build(id -> {
                    List<Long> ids = store.memberIds(id);
                    return ids.stream().mapToLong(Long::longValue).toArray();
                });
    }

    public long[] membersOf(long groupId) {
        return members.get(groupId);
    }

    void changed(long groupId) {
        members.invalidate(groupId);
    }
}
