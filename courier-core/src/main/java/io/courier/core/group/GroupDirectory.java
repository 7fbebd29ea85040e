package io.courier.core.group;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Who is in each group, cached for fan-out: delivering one message to a 2,000-member group must
 * not read the member list from the database. Every membership change goes through
 * {@link #change}, which runs it and invalidates the entry under the group's lock; fan-out reads
 * the entry under the same lock. So a batch that was waiting on the group's row while members
 * changed, and commits right after, is fanned out to the members as changed, never the ones before.
 *
 * @implNote The writer thread takes a lock here only after its transaction committed, while a
 * change holds it around its own transaction: neither waits for the other while holding what the
 * other needs.
 */
public final class GroupDirectory {
    /** The members of a group and, index by index, the group's seq when each joined. */
    public record Members(long[] userIds, long[] joinedSeqs) {
    }

    private final LoadingCache<Long, Members> members;
    private final Lock[] stripes = new Lock[64];

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
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    public Members members(long groupId) {
        Lock lock = stripe(groupId);
        lock.lock();
        try {
            return members.get(groupId);
        } finally {
            lock.unlock();
        }
    }

    public long[] membersOf(long groupId) {
        return members(groupId).userIds();
    }

    /** Runs a change of the group's members and drops the cached list, with fan-out of the group held off meanwhile. */
    <T> T change(long groupId, Supplier<T> storeChange) {
        Lock lock = stripe(groupId);
        lock.lock();
        try {
            return storeChange.get();
        } finally {
            members.invalidate(groupId);
            lock.unlock();
        }
    }

    private Lock stripe(long groupId) {
        return stripes[(int) Math.floorMod(groupId, (long) stripes.length)];
    }

}
