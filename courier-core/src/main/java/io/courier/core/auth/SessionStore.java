package io.courier.core.auth;

import java.util.List;
import java.util.Optional;

/** Durable storage of device sessions. */
public interface SessionStore {

    /**
     * Stores a new session and revokes any live session of the same user and device, in one
     * transaction: one device holds one session. Returns the ids of the sessions it revoked.
     */
    List<String> replaceDeviceSession(Session session, long now);

    Optional<Session> find(String id);

    /**
     * Moves the session to a new refresh token, only if its current refresh hash is
     * {@code expectedHash} and it is live: two concurrent refreshes with one token cannot both win.
     */
    boolean rotateRefresh(String id, String expectedHash, String newHash, long newExpiresAt, long now);

    void revoke(String id, long now);

    /** Revokes every live session of a user and returns their ids. */
    List<String> revokeAllForUser(long userId, long now);

    /** Deletes sessions that expired or were revoked before {@code before}; returns how many. */
    int purgeEndedBefore(long before);
}
