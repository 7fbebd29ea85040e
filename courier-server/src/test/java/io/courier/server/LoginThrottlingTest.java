package io.courier.server;

import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** Repeated failed logins are slowed, then refused with 429 and Retry-After, per username and per address. */
class LoginThrottlingTest {
    @TempDir
    Path dir;

    @Test
    void aUsernameIsLockedFromTheGuessingAddressEvenForTheRightPassword() {
        try (TestNode node = TestNode.start(dir, Map.of("auth.login.slow-after", "2", "auth.login.max-failures", "4",
                "auth.login.lockout", "1m"))) {
            HttpApi api = node.api;
            api.register("victim", "right-password");
            long[] elapsed = new long[4];
            for (int i = 0; i < 4; i++) {
                long start = System.nanoTime();
                Reply r = api.post("/api/login", obj("username", "victim", "password", "guess-" + i), null);
                elapsed[i] = (System.nanoTime() - start) / 1_000_000;
                assertThat(r.status()).isEqualTo(401);
            }
            // past slow-after, failures are answered late (250 ms, then 500 ms)
            assertThat(elapsed[2]).isGreaterThanOrEqualTo(240);
            assertThat(elapsed[3]).isGreaterThanOrEqualTo(490);

            Reply locked = api.post("/api/login", obj("username", "victim", "password", "right-password"), null);
            assertThat(locked.status()).isEqualTo(429);
            assertThat(locked.code()).isEqualTo(2007);
            assertThat(Long.parseLong(locked.header("Retry-After"))).isBetween(1L, 60L);

            // another account from the same address is not affected by this username's lock
            api.register("bystander", "right-password");
            assertThat(api.post("/api/login", obj("username", "bystander", "password", "right-password"), null).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void failuresFromAnotherAddressNeverLockTheRealUserOut() {
        try (TestNode node = TestNode.start(dir, Map.of("auth.login.slow-after", "10", "auth.login.max-failures", "5",
                "auth.login.lockout", "15m"))) {
            HttpApi user = node.api;
            HttpApi attacker = node.api.from("127.0.0.2");
            user.register("alice", "right-password");
            for (int i = 0; i < 5; i++) {
                assertThat(attacker.post("/api/login", obj("username", "alice", "password", "guess-" + i), null).status())
                        .isEqualTo(401);
            }
            Reply lockedOut = attacker.post("/api/login", obj("username", "alice", "password", "right-password"), null);
            assertThat(lockedOut.status()).isEqualTo(429);
            assertThat(Long.parseLong(lockedOut.header("Retry-After"))).isBetween(1L, 900L);
            // Alice, from her own address, is not affected.
            assertThat(user.post("/api/login", obj("username", "alice", "password", "right-password"), null).status())
                    .isEqualTo(200);
        }
    }

    @Test
    void anAddressIsLockedAfterFailuresAcrossManyUsernames() {
        try (TestNode node = TestNode.start(dir, Map.of("auth.login.slow-after", "10", "auth.login.max-failures", "10",
                "auth.login.max-failures-per-address", "5", "auth.login.lockout", "1m"))) {
            HttpApi api = node.api;
            api.register("real-user", "right-password");
            for (int i = 0; i < 5; i++) {
                assertThat(api.post("/api/login", obj("username", "sprayed-" + i, "password", "x-" + i), null).status())
                        .isEqualTo(401);
            }
            Reply locked = api.post("/api/login", obj("username", "real-user", "password", "right-password"), null);
            assertThat(locked.status()).isEqualTo(429);
            assertThat(locked.header("Retry-After")).isNotNull();
        }
    }

    @Test
    void aSuccessfulLoginClearsTheUsernamesCount() {
        try (TestNode node = TestNode.start(dir, Map.of("auth.login.slow-after", "5", "auth.login.max-failures", "3"))) {
            HttpApi api = node.api;
            api.register("forgetful", "right-password");
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 2; i++) {
                    assertThat(api.post("/api/login", obj("username", "forgetful", "password", "oops-" + i), null).status())
                            .isEqualTo(401);
                }
                assertThat(api.post("/api/login", obj("username", "forgetful", "password", "right-password"), null).status())
                        .isEqualTo(200);
            }
        }
    }

    @Test
    void wrongOldPasswordsOnChangePasswordAreThrottledToo() {
        try (TestNode node = TestNode.start(dir, Map.of("auth.login.slow-after", "5", "auth.login.max-failures", "3"))) {
            HttpApi api = node.api;
            HttpApi.Account thief = api.account("stolen-token");
            for (int i = 0; i < 3; i++) {
                Reply r = api.post("/api/user/change-password", obj("old_password", "guess-" + i, "new_password", "mine-now"),
                        thief.token());
                assertThat(r.status()).isEqualTo(403);
            }
            Reply locked = api.post("/api/user/change-password",
                    obj("old_password", "password-stolen-token", "new_password", "mine-now"), thief.token());
            assertThat(locked.status()).isEqualTo(429);
            assertThat(locked.code()).isEqualTo(2007);
        }
    }
}
