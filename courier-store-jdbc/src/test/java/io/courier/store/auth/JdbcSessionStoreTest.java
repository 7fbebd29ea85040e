package io.courier.store.auth;

import io.courier.core.auth.Session;
import io.courier.store.Backend;
import io.courier.store.Database;
import io.courier.store.TestDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


import static org.assertj.core.api.Assertions.assertThat;

class JdbcSessionStoreTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long DAY = 86_400_000L;

    @RegisterExtension
    static final TestDatabases.PerClass databases = TestDatabases.perClass();

    private JdbcSessionStore sessions;

    private void on(Backend backend) {
        Database db = databases.fresh(backend);
        sessions = new JdbcSessionStore(db.jdbc());
    }

    private static Session session(String id, long userId, String deviceId, long createdAt) {
        return new Session(id, userId, deviceId, "hash-" + id, createdAt, createdAt + 30 * DAY, 0);
    }

    /** Stores a session as login does. */
    private Session login(String id, long userId, String deviceId, long at) {
        Session s = session(id, userId, deviceId, at);
        sessions.replaceDeviceSession(s, at);
        return s;
    }

    private long revokedAt(String id) {
        return sessions.find(id).orElseThrow().revokedAt();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void theFirstSessionOfADeviceReplacesNothing(Backend backend) {
        on(backend);
        Session s = session("00000000-0000-0000-0000-000000000001", 1, "phone", T0);

        assertThat(sessions.replaceDeviceSession(s, T0)).isEmpty();

        assertThat(sessions.find(s.id())).contains(s);
        assertThat(sessions.find("no-such-session")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void replaceDeviceSessionRevokesOnlyThePreviousSessionOfTheSameUserAndDevice(Backend backend) {
        on(backend);
        login("phone-1", 1, "phone", T0);
        login("laptop-1", 1, "laptop", T0 + 1);
        login("other-user-phone", 2, "phone", T0 + 2);

        Session phone2 = session("phone-2", 1, "phone", T0 + 10);
        assertThat(sessions.replaceDeviceSession(phone2, T0 + 10)).containsExactly("phone-1");

        assertThat(revokedAt("phone-1")).isEqualTo(T0 + 10);
        assertThat(sessions.find("phone-2")).contains(phone2);
        assertThat(revokedAt("laptop-1")).isZero();
        assertThat(revokedAt("other-user-phone")).isZero();

        // The already revoked phone-1 is not reported again, nor revoked a second time.
        assertThat(sessions.replaceDeviceSession(session("phone-3", 1, "phone", T0 + 20), T0 + 20)).containsExactly("phone-2");
        assertThat(revokedAt("phone-1")).isEqualTo(T0 + 10);
        assertThat(revokedAt("phone-2")).isEqualTo(T0 + 20);
        assertThat(revokedAt("phone-3")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void rotateRefreshSucceedsOnceWithTheCurrentHash(Backend backend) {
        on(backend);
        Session s = login("s1", 1, "phone", T0);
        long now = T0 + DAY;
        long newExpiry = now + 30 * DAY;

        assertThat(sessions.rotateRefresh("s1", s.refreshHash(), "hash-2", newExpiry, now)).isTrue();
        assertThat(sessions.find("s1")).contains(new Session("s1", 1, "phone", "hash-2", T0, newExpiry, 0));

        // The old token was rotated away: replaying it fails and changes nothing.
        assertThat(sessions.rotateRefresh("s1", s.refreshHash(), "hash-3", newExpiry + 1, now + 1)).isFalse();
        assertThat(sessions.find("s1").orElseThrow().refreshHash()).isEqualTo("hash-2");

        assertThat(sessions.rotateRefresh("s1", "hash-2", "hash-3", newExpiry + 2, now + 2)).isTrue();
        assertThat(sessions.find("s1").orElseThrow().expiresAt()).isEqualTo(newExpiry + 2);
        assertThat(sessions.rotateRefresh("unknown", "hash-3", "hash-4", newExpiry, now)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void rotateRefreshFailsOnARevokedSession(Backend backend) {
        on(backend);
        Session s = login("s1", 1, "phone", T0);
        sessions.revoke("s1", T0 + 5);

        assertThat(sessions.rotateRefresh("s1", s.refreshHash(), "hash-2", T0 + 40 * DAY, T0 + 6)).isFalse();
        assertThat(sessions.find("s1")).contains(new Session("s1", 1, "phone", s.refreshHash(), T0, s.expiresAt(), T0 + 5));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void rotateRefreshFailsOnAnExpiredSession(Backend backend) {
        on(backend);
        Session s = login("s1", 1, "phone", T0);

        assertThat(sessions.rotateRefresh("s1", s.refreshHash(), "hash-2", s.expiresAt() + DAY, s.expiresAt())).isFalse();
        assertThat(sessions.rotateRefresh("s1", s.refreshHash(), "hash-2", s.expiresAt() + DAY, s.expiresAt() + 1)).isFalse();
        assertThat(sessions.find("s1")).contains(s);
        // One millisecond before expiry it is still live.
        assertThat(sessions.rotateRefresh("s1", s.refreshHash(), "hash-2", s.expiresAt() + DAY, s.expiresAt() - 1)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void revokeEndsOneSessionAndKeepsTheFirstRevocationTime(Backend backend) {
        on(backend);
        login("s1", 1, "phone", T0);
        login("s2", 1, "laptop", T0);

        sessions.revoke("s1", T0 + 100);
        sessions.revoke("s1", T0 + 200);
        sessions.revoke("unknown", T0 + 300);

        assertThat(revokedAt("s1")).isEqualTo(T0 + 100);
        assertThat(sessions.find("s1").orElseThrow().isActive(T0 + 101)).isFalse();
        assertThat(revokedAt("s2")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void revokeAllForUserReturnsExactlyTheLiveSessions(Backend backend) {
        on(backend);
        login("a-phone", 1, "phone", T0);
        login("a-laptop", 1, "laptop", T0);
        login("a-tablet", 1, "tablet", T0);
        sessions.revoke("a-tablet", T0 + 1);
        login("b-phone", 2, "phone", T0);

        assertThat(sessions.revokeAllForUser(1, T0 + 50)).containsExactlyInAnyOrder("a-phone", "a-laptop");

        assertThat(revokedAt("a-phone")).isEqualTo(T0 + 50);
        assertThat(revokedAt("a-laptop")).isEqualTo(T0 + 50);
        assertThat(revokedAt("a-tablet")).isEqualTo(T0 + 1);
        assertThat(revokedAt("b-phone")).isZero();
        assertThat(sessions.revokeAllForUser(1, T0 + 60)).isEmpty();
        assertThat(sessions.revokeAllForUser(3, T0 + 60)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void purgeEndedBeforeDeletesOnlySessionsThatEndedBeforeTheCutoff(Backend backend) {
        on(backend);
        long cutoff = T0 + 100 * DAY;
        sessions.replaceDeviceSession(new Session("expired", 1, "d1", "h", T0, cutoff - 1, 0), T0);
        sessions.replaceDeviceSession(new Session("expires-at-cutoff", 1, "d2", "h", T0, cutoff, 0), T0);
        sessions.replaceDeviceSession(new Session("live", 1, "d3", "h", T0, cutoff + DAY, 0), T0);
        sessions.replaceDeviceSession(new Session("revoked-long-ago", 1, "d4", "h", T0, cutoff + DAY, 0), T0);
        sessions.revoke("revoked-long-ago", cutoff - DAY);
        sessions.replaceDeviceSession(new Session("revoked-recently", 1, "d5", "h", T0, cutoff + DAY, 0), T0);
        sessions.revoke("revoked-recently", cutoff + 1);

        assertThat(sessions.purgeEndedBefore(cutoff)).isEqualTo(2);

        assertThat(sessions.find("expired")).isEmpty();
        assertThat(sessions.find("revoked-long-ago")).isEmpty();
        assertThat(sessions.find("expires-at-cutoff")).isPresent();
        assertThat(sessions.find("live")).isPresent();
        assertThat(sessions.find("revoked-recently")).isPresent();
        assertThat(sessions.purgeEndedBefore(cutoff)).isZero();
    }
}
