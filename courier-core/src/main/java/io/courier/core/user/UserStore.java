package io.courier.core.user;

import io.courier.core.error.CourierException;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Durable storage of accounts. */
public interface UserStore {

    /**
     * Stores a new account and returns its id.
     *
     * @throws CourierException with {@code USERNAME_TAKEN} when the username exists, even under a race
     */
    long create(NewUser user);

    Optional<User> findById(long id);

    Optional<User> findByUsername(String canonicalUsername);

    /** Users by id; unknown ids are absent from the map. */
    Map<Long, User> findByIds(Collection<Long> ids);

    Optional<Credentials> credentialsByUsername(String canonicalUsername);

    Optional<Credentials> credentialsById(long id);

    /** Applies the non-null fields; returns false when the user does not exist. */
    boolean updateProfile(long id, ProfileUpdate update, long now);

    void updatePasswordHash(long id, String passwordHash, long now);

    /**
     * Users whose username starts with, or whose nickname contains, {@code keyword}
     * (case-insensitive), ordered by id.
     */
    List<User> search(String keyword, int offset, int limit);

    long countSearch(String keyword);

    long count();

    /** Records when the user's last device disconnected. */
    void updateLastSeen(long userId, long at);

    /** When each user was last seen (epoch ms); users never seen are absent. */
    Map<Long, Long> lastSeen(Collection<Long> userIds);
}
