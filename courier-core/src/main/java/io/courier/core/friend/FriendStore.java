package io.courier.core.friend;

import io.courier.core.error.CourierException;

import java.util.List;
import java.util.Optional;

/** Durable storage of friend requests, friendships (one row per direction) and blocks. */
public interface FriendStore {

    /**
     * Stores a pending request and returns its id.
     *
     * @throws CourierException with {@code FRIEND_REQUEST_EXISTS} when one from the same sender to
     *                          the same recipient is pending, even under a race
     */
    long createRequest(long fromId, long toId, String message, long now);

    Optional<FriendRequest> findRequest(long id);

    Optional<FriendRequest> pendingRequest(long fromId, long toId);

    /** Pending to accepted, and the friendship in both directions, in one transaction; false when it was not pending. */
    boolean acceptRequest(long requestId, long now);

    /** Pending to {@code state} (declined or cancelled); false when it was not pending. */
    boolean closeRequest(long requestId, RequestState state, long now);

    /** Pending requests addressed to the user, newest first. */
    List<FriendRequest> pendingTo(long userId);

    /** Pending requests the user sent, newest first. */
    List<FriendRequest> pendingFrom(long userId);

    /**
     * Makes the two users friends in both directions at once, and marks every pending request between them (either
     * way) accepted, in one transaction. Returns false when they were friends already (nothing changed).
     */
    boolean befriend(long userId, long friendId, long now);

    boolean areFriends(long userId, long otherId);

    List<Friendship> friendsOf(long userId);

    /** Ends the friendship in both directions; false when there was none. */
    boolean removeFriendship(long userId, long otherId);

    /** Idempotent. */
    void block(long userId, long blockedId, long now);

    /** False when there was no such block. */
    boolean unblock(long userId, long blockedId);

    boolean isBlocked(long userId, long blockedId);

    List<Block> blocksOf(long userId);
}
