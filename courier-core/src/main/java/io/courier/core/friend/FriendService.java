package io.courier.core.friend;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.limit.RateLimits;
import io.courier.core.user.User;
import io.courier.core.user.UserStore;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Friend requests, friendships and blocks.
 *
 * <p>A block is one-sided and silent: the blocked user is never told. Their friend requests are
 * answered as for a user who does not exist and not stored, one pending when the block came is
 * declined, and (with messaging) their messages are not delivered. Blocking does not end a friendship; it mutes it until unblocked. Two users who
 * ask each other become friends at once: the second request accepts the first.
 */
public final class FriendService {
    private static final int MAX_MESSAGE = 256;

    private final FriendStore store;
    private final UserStore users;
    private final RateLimits limits;
    private final Clock clock;

    public FriendService(FriendStore store, UserStore users, RateLimits limits, Clock clock) {
        this.store = store;
        this.users = users;
        this.limits = limits;
        this.clock = clock;
    }

    /** A request with both parties' profiles. */
    public record RequestView(FriendRequest request, User from, User to) {
    }

    /** A friend's profile, since when, and whether the list's owner has blocked them. */
    public record FriendView(User user, long since, boolean blocked) {
    }

    /** A blocked user's profile and since when. */
    public record BlockView(User user, long since) {
    }

    public RequestView request(long fromId, long toId, String message) {
        String text = message == null ? "" : message.strip();
        if (text.length() > MAX_MESSAGE) {
            throw CourierException.field(ErrorCode.FRIEND_MESSAGE_INVALID, "message", ErrorCode.FRIEND_MESSAGE_INVALID.message());
        }
        User to = otherUser(fromId, toId);
        if (store.areFriends(fromId, toId)) {
            throw CourierException.of(ErrorCode.ALREADY_FRIENDS);
        }
        if (store.isBlocked(fromId, toId)) {
            throw CourierException.of(ErrorCode.YOU_BLOCKED_USER);
        }
        if (store.isBlocked(toId, fromId)) {
            // Nothing of a blocked user reaches the blocker, not even later: answered as for a
            // user who does not exist (as addInstantly is), and not stored.
            throw CourierException.of(ErrorCode.USER_NOT_FOUND);
        }
        var reverse = store.pendingRequest(toId, fromId);
        if (reverse.isPresent() && store.acceptRequest(reverse.get().id(), clock.millis())) {
            return view(store.findRequest(reverse.get().id()).orElseThrow());
        }
        limits.acquire(RateLimits.Kind.FRIEND_REQUESTS, fromId); // new requests only: answering one is free
        long id = store.createRequest(fromId, toId, text, clock.millis());
        return new RequestView(store.findRequest(id).orElseThrow(), user(fromId), to);
    }

    /**
     * Makes two users friends at once, with no request to answer: for protocols whose friendship is instant and
     * mutual (the MPIM line protocol's ADDFRIEND). Pending requests between the two, either way, count as accepted.
     * A block by the target stays silent and is not overridden: the answer is USER_NOT_FOUND, as for a user who
     * does not exist, so the requester cannot tell that they are blocked.
     */
    public void befriend(long userId, long friendId) {
        otherUser(userId, friendId);
        if (store.isBlocked(friendId, userId)) {
            throw CourierException.of(ErrorCode.USER_NOT_FOUND);
        }
        if (store.areFriends(userId, friendId)) {
            throw CourierException.of(ErrorCode.ALREADY_FRIENDS);
        }
        if (store.isBlocked(userId, friendId)) {
            throw CourierException.of(ErrorCode.YOU_BLOCKED_USER);
        }
        if (!store.befriend(userId, friendId, clock.millis())) {
            throw CourierException.of(ErrorCode.ALREADY_FRIENDS); // a concurrent befriend or accept won
        }
    }

    public RequestView accept(long userId, long requestId) {
        FriendRequest request = pendingAddressedTo(userId, requestId);
        if (!store.acceptRequest(request.id(), clock.millis())) {
            throw CourierException.of(ErrorCode.FRIEND_REQUEST_NOT_PENDING);
        }
        return view(store.findRequest(requestId).orElseThrow());
    }

    public RequestView decline(long userId, long requestId) {
        FriendRequest request = pendingAddressedTo(userId, requestId);
        return close(request, RequestState.DECLINED);
    }

    public RequestView cancel(long userId, long requestId) {
        FriendRequest request = store.findRequest(requestId)
                .filter(r -> r.fromId() == userId)
                .orElseThrow(() -> CourierException.of(ErrorCode.FRIEND_REQUEST_NOT_FOUND));
        return close(request, RequestState.CANCELLED);
    }

    /** Pending requests to the user, without those from users the user blocked. */
    public List<RequestView> incoming(long userId) {
        Set<Long> blocked = store.blocksOf(userId).stream().map(Block::blockedId).collect(Collectors.toSet());
        return views(store.pendingTo(userId).stream().filter(r -> !blocked.contains(r.fromId())).toList());
    }

    public List<RequestView> outgoing(long userId) {
        return views(store.pendingFrom(userId));
    }

    public List<FriendView> friends(long userId) {
        List<Friendship> friendships = store.friendsOf(userId);
        Set<Long> blocked = store.blocksOf(userId).stream().map(Block::blockedId).collect(Collectors.toSet());
        Map<Long, User> profiles = users.findByIds(friendships.stream().map(Friendship::friendId).toList());
        List<FriendView> result = new ArrayList<>(friendships.size());
        for (Friendship f : friendships) {
            User u = profiles.get(f.friendId());
            if (u != null) {
                result.add(new FriendView(u, f.since(), blocked.contains(f.friendId())));
            }
        }
        return result;
    }

    public void remove(long userId, long friendId) {
        if (!store.removeFriendship(userId, friendId)) {
            throw CourierException.of(ErrorCode.NOT_FRIENDS);
        }
    }

    /**
     * Blocks a user (idempotent), withdraws the caller's pending request to them and declines
     * theirs to the caller: a blocked user's request is not kept for after an unblock.
     */
    public void block(long userId, long targetId) {
        otherUser(userId, targetId);
        long now = clock.millis();
        store.block(userId, targetId, now);
        store.pendingRequest(userId, targetId).ifPresent(r -> store.closeRequest(r.id(), RequestState.CANCELLED, now));
        store.pendingRequest(targetId, userId).ifPresent(r -> store.closeRequest(r.id(), RequestState.DECLINED, now));
    }

    /** Idempotent. */
    public void unblock(long userId, long targetId) {
        otherUser(userId, targetId);
        store.unblock(userId, targetId);
    }

    public List<BlockView> blocks(long userId) {
        List<Block> blocks = store.blocksOf(userId);
        Map<Long, User> profiles = users.findByIds(blocks.stream().map(Block::blockedId).toList());
        return blocks.stream()
                .filter(b -> profiles.containsKey(b.blockedId()))
                .map(b -> new BlockView(profiles.get(b.blockedId()), b.since()))
                .toList();
    }

    private RequestView close(FriendRequest request, RequestState state) {
        if (request.state() != RequestState.PENDING || !store.closeRequest(request.id(), state, clock.millis())) {
            throw CourierException.of(ErrorCode.FRIEND_REQUEST_NOT_PENDING);
        }
        return view(store.findRequest(request.id()).orElseThrow());
    }

    private FriendRequest pendingAddressedTo(long userId, long requestId) {
        FriendRequest request = store.findRequest(requestId)
                .filter(r -> r.toId() == userId)
                .orElseThrow(() -> CourierException.of(ErrorCode.FRIEND_REQUEST_NOT_FOUND));
        if (request.state() != RequestState.PENDING) {
            throw CourierException.of(ErrorCode.FRIEND_REQUEST_NOT_PENDING);
        }
        return request;
    }

    private User otherUser(long userId, long otherId) {
        if (userId == otherId) {
            throw CourierException.of(ErrorCode.TARGET_IS_SELF);
        }
        return user(otherId);
    }

    private User user(long id) {
        return users.findById(id).orElseThrow(() -> CourierException.of(ErrorCode.USER_NOT_FOUND));
    }

    private RequestView view(FriendRequest r) {
        return new RequestView(r, user(r.fromId()), user(r.toId()));
    }

    private List<RequestView> views(Collection<FriendRequest> requests) {
        var ids = requests.stream().flatMap(r -> java.util.stream.Stream.of(r.fromId(), r.toId())).distinct().toList();
        Map<Long, User> profiles = users.findByIds(ids);
        return requests.stream()
                .filter(r -> profiles.containsKey(r.fromId()) && profiles.containsKey(r.toId()))
                .map(r -> new RequestView(r, profiles.get(r.fromId()), profiles.get(r.toId())))
                .toList();
    }
}
