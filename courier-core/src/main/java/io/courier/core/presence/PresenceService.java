package io.courier.core.presence;

import io.courier.core.delivery.ConnectionRegistry;
import io.courier.core.friend.FriendStore;
import io.courier.core.friend.Friendship;
import io.courier.core.user.UserStore;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.PresenceChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Online/offline per user (online while any device is connected), the time a user was last seen,
 * and telling a user's online friends when that changes. Transitions are handled off the caller's
 * thread (a connection closes on an event loop; this reads friends and writes last-seen).
 */
public final class PresenceService implements ConnectionRegistry.PresenceListener {
    private static final Logger log = LoggerFactory.getLogger(PresenceService.class);

    private final ConnectionRegistry registry;
    private final FriendStore friends;
    private final UserStore users;
    private final Clock clock;
    private final Executor executor;
    private final Map<Long, Long> onlineSince = new ConcurrentHashMap<>();

    public PresenceService(ConnectionRegistry registry, FriendStore friends, UserStore users, Clock clock, Executor executor) {
        this.registry = registry;
        this.friends = friends;
        this.users = users;
        this.clock = clock;
        this.executor = executor;
    }

    @Override
    public void online(long userId) {
        long now = clock.millis();
        onlineSince.put(userId, now);
        executor.execute(() -> tellFriends(userId, true, now));
    }

    @Override
    public void offline(long userId) {
        long now = clock.millis();
        onlineSince.remove(userId);
        executor.execute(() -> {
            try {
                users.updateLastSeen(userId, now);
            } catch (RuntimeException e) {
                log.warn("Could not record when user {} was last seen: {}", userId, e.getMessage());
            }
            tellFriends(userId, false, now);
        });
    }

    public boolean isOnline(long userId) {
        return registry.isOnline(userId);
    }

    /**
     * The presence of each user as {@code viewer} may see it: online (since when) or offline (last
     * seen, 0 if never). Presence is shared with friends only, as the pushes are: anyone else, and
     * a friend who blocked the viewer, shows as offline and never seen.
     */
    public List<PresenceChange> query(long viewer, Collection<Long> userIds) {
        Set<Long> visible = new HashSet<>();
        visible.add(viewer);
        for (Friendship f : friends.friendsOf(viewer)) {
            if (userIds.contains(f.friendId()) && !friends.isBlocked(f.friendId(), viewer)) {
                visible.add(f.friendId());
            }
        }
        Map<Long, Long> lastSeen = users.lastSeen(userIds.stream().filter(id -> visible.contains(id) && !registry.isOnline(id)).toList());
        return userIds.stream().map(id -> {
            boolean online = visible.contains(id) && registry.isOnline(id);
            long seen = online ? onlineSince.getOrDefault(id, clock.millis()) : lastSeen.getOrDefault(id, 0L);
            return PresenceChange.newBuilder().setUserId(id).setOnline(online).setLastSeen(seen).build();
        }).toList();
    }

    private void tellFriends(long userId, boolean online, long at) {
        try {
            if (online != registry.isOnline(userId)) {
                return; // it flipped again meanwhile; that transition tells the friends
            }
            Envelope change = Envelope.newBuilder().setPresence(PresenceChange.newBuilder()
                    .setUserId(userId).setOnline(online).setLastSeen(at)).build();
            for (Friendship f : friends.friendsOf(userId)) {
                if (!friends.isBlocked(userId, f.friendId())) {
                    registry.pushTo(f.friendId(), null, change);
                }
            }
        } catch (RuntimeException e) {
            log.warn("Could not tell user {}'s friends about their presence: {}", userId, e.getMessage());
        }
    }
}
