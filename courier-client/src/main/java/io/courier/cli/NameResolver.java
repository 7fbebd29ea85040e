package io.courier.cli;

import io.courier.client.http.CourierHttp;
import io.courier.client.http.UserProfile;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Usernames for user ids and back, asked of the server once and then kept: messages name their
 * sender by id, people name users by username. A small cache; usernames never change.
 */
final class NameResolver {
    private static final int MAX_ENTRIES = 1000;

    private final CourierHttp http;
    private final Supplier<String> token;
    private final Map<Long, String> names = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, String> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    NameResolver(CourierHttp http, Supplier<String> token) {
        this.http = http;
        this.token = token;
    }

    /** The username of a user; when it cannot be found out (server down), {@code user <id>}. */
    String name(long userId) {
        synchronized (names) {
            String known = names.get(userId);
            if (known != null) {
                return known;
            }
        }
        try {
            return remember(Await.result(http.user(token.get(), userId)));
        } catch (RuntimeException e) {
            return "user " + userId;
        }
    }

    /** The id of a user as typed; an unknown username fails with the server's USER_NOT_FOUND. */
    long id(UserRef user) {
        if (user.isId()) {
            return user.id();
        }
        synchronized (names) {
            for (Map.Entry<Long, String> e : names.entrySet()) {
                if (e.getValue().equalsIgnoreCase(user.text())) {
                    return e.getKey();
                }
            }
        }
        UserProfile found = Await.result(http.userByName(token.get(), user.text()));
        remember(found);
        return found.userId();
    }

    String remember(UserProfile user) {
        remember(user.userId(), user.username());
        return user.username();
    }

    void remember(long userId, String username) {
        synchronized (names) {
            names.put(userId, username);
        }
    }
}
