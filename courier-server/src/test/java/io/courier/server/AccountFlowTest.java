package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Accounts and tokens over real HTTP against a real node. */
class AccountFlowTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();


    @Test
    void registerThenLoginReturnsTokensInBothSimpleImShapes() {
        Reply reg = server.api.post("/api/register", obj("username", "Alice", "password", "secret1", "nickname", "Alice A.",
                "email", "alice@example.org"), null);
        assertThat(reg.status()).isEqualTo(200);
        assertThat(reg.code()).isZero();
        long id = reg.data().get("user_id").asLong();
        assertThat(reg.data().get("username").asText()).isEqualTo("alice");
        assertThat(reg.json().get("user_id").asLong()).isEqualTo(id);

        Reply login = server.api.post("/api/auth/login", obj("username", "ALICE", "password", "secret1"), null);
        assertThat(login.status()).isEqualTo(200);
        JsonNode data = login.data();
        assertThat(data.get("user_id").asLong()).isEqualTo(id);
        assertThat(data.get("token").asText()).isNotBlank();
        assertThat(data.get("refresh_token").asText()).isNotBlank().isNotEqualTo(data.get("token").asText());
        assertThat(data.get("expires_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(data.get("device_id").asText()).isNotBlank();
        assertThat(login.json().get("token").asText()).isEqualTo(data.get("token").asText());

        Reply me = server.api.get("/api/user/info", data.get("token").asText());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.data().get("user_id").asLong()).isEqualTo(id);
        assertThat(me.data().get("nickname").asText()).isEqualTo("Alice A.");
        assertThat(me.data().get("email").asText()).isEqualTo("alice@example.org");
        assertThat(me.text()).doesNotContain("password").doesNotContain("argon2");
    }

    @Test
    void usernamesAreUniqueWhateverTheirCase() {
        server.api.register("bob", "secret1");
        Reply again = server.api.post("/api/auth/register", obj("username", "BOB", "password", "secret1"), null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo(3003);
        assertThat(again.json().get("name").asText()).isEqualTo("USERNAME_TAKEN");
    }

    @Test
    void wrongPasswordAndUnknownUserGetTheSameAnswer() {
        server.api.register("carol", "secret1");
        Reply wrong = server.api.post("/api/login", obj("username", "carol", "password", "not-it"), null);
        Reply unknown = server.api.post("/api/login", obj("username", "nobody-here", "password", "not-it"), null);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(wrong.code()).isEqualTo(2006).isEqualTo(unknown.code());
        assertThat(wrong.json().get("message")).isEqualTo(unknown.json().get("message"));
    }

    @Test
    void refreshRotatesTheRefreshTokenAndAReplayEndsTheSession() {
        server.api.register("dave", "secret1");
        JsonNode login = server.api.login("dave", "secret1", "phone");
        String refresh = login.get("refresh_token").asText();

        Reply refreshed = server.api.post("/api/refresh-token", obj("refresh_token", refresh), null);
        assertThat(refreshed.status()).isEqualTo(200);
        String newAccess = refreshed.data().get("token").asText();
        String newRefresh = refreshed.data().get("refresh_token").asText();
        assertThat(newRefresh).isNotEqualTo(refresh);
        assertThat(server.api.get("/api/user/info", newAccess).status()).isEqualTo(200);

        // The old refresh token was rotated away; presenting it again looks like theft.
        Reply replay = server.api.post("/api/auth/refresh", obj("refresh_token", refresh), null);
        assertThat(replay.status()).isEqualTo(401);
        assertThat(replay.code()).isEqualTo(2004);
        assertThat(server.api.get("/api/user/info", newAccess).code()).isEqualTo(2004);
        assertThat(server.api.post("/api/refresh-token", obj("refresh_token", newRefresh), null).code()).isEqualTo(2004);
    }

    @Test
    void aRefreshTokenIsNeverAnAccessTokenNorTheOtherWayRound() {
        server.api.register("erin", "secret1");
        JsonNode login = server.api.login("erin", "secret1", "laptop");
        Reply asAccess = server.api.get("/api/user/info", login.get("refresh_token").asText());
        assertThat(asAccess.status()).isEqualTo(401);
        assertThat(asAccess.code()).isEqualTo(2005);
        Reply asRefresh = server.api.post("/api/refresh-token", obj("refresh_token", login.get("token").asText()), null);
        assertThat(asRefresh.status()).isEqualTo(401);
        assertThat(asRefresh.code()).isEqualTo(2005);
    }

    @Test
    void logoutRevokesThatDeviceOnly() {
        server.api.register("frank", "secret1");
        JsonNode phone = server.api.login("frank", "secret1", "phone");
        JsonNode laptop = server.api.login("frank", "secret1", "laptop");

        assertThat(server.api.post("/api/user/logout", null, phone.get("token").asText()).status()).isEqualTo(200);

        Reply revoked = server.api.get("/api/user/info", phone.get("token").asText());
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.code()).isEqualTo(2004);
        assertThat(server.api.post("/api/refresh-token", obj("refresh_token", phone.get("refresh_token").asText()), null).code())
                .isEqualTo(2004);
        assertThat(server.api.get("/api/user/info", laptop.get("token").asText()).status()).isEqualTo(200);
    }

    @Test
    void aSecondLoginOnTheSameDeviceReplacesTheFirst() {
        server.api.register("gina", "secret1");
        JsonNode first = server.api.login("gina", "secret1", "tablet");
        JsonNode second = server.api.login("gina", "secret1", "tablet");
        assertThat(server.api.get("/api/user/info", first.get("token").asText()).code()).isEqualTo(2004);
        assertThat(server.api.get("/api/user/info", second.get("token").asText()).status()).isEqualTo(200);
    }

    @Test
    void changingThePasswordRevokesEverySessionAndTheOldPassword() {
        server.api.register("hank", "secret1");
        JsonNode phone = server.api.login("hank", "secret1", "phone");
        JsonNode laptop = server.api.login("hank", "secret1", "laptop");

        Reply wrongOld = server.api.post("/api/user/change-password", obj("old_password", "nope-nope", "new_password", "secret2"),
                phone.get("token").asText());
        assertThat(wrongOld.status()).isEqualTo(403);
        assertThat(wrongOld.code()).isEqualTo(2009);

        Reply changed = server.api.post("/api/user/change-password", obj("old_password", "secret1", "new_password", "secret2"),
                phone.get("token").asText());
        assertThat(changed.status()).isEqualTo(200);

        assertThat(server.api.get("/api/user/info", phone.get("token").asText()).code()).isEqualTo(2004);
        assertThat(server.api.get("/api/user/info", laptop.get("token").asText()).code()).isEqualTo(2004);
        assertThat(server.api.post("/api/refresh-token", obj("refresh_token", laptop.get("refresh_token").asText()), null).code())
                .isEqualTo(2004);
        assertThat(server.api.post("/api/login", obj("username", "hank", "password", "secret1"), null).status()).isEqualTo(401);
        assertThat(server.api.login("hank", "secret2", "phone").get("token").asText()).isNotBlank();
    }

    @Test
    void profileCanBeReadAndPartlyUpdated() {
        HttpApi.Account ivy = server.api.account("ivy");
        Reply updated = server.api.put("/api/user/info", obj("nickname", "Ivy 🌿", "signature", "hello world",
                "avatar", "https://img.example.org/ivy.png"), ivy.token());
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.data().get("nickname").asText()).isEqualTo("Ivy 🌿");

        Reply onlySignature = server.api.put("/api/user/info", obj("signature", "changed"), ivy.token());
        assertThat(onlySignature.data().get("nickname").asText()).isEqualTo("Ivy 🌿");
        assertThat(onlySignature.data().get("signature").asText()).isEqualTo("changed");
        assertThat(onlySignature.data().get("avatar").asText()).isEqualTo("https://img.example.org/ivy.png");

        HttpApi.Account jack = server.api.account("jack");
        Reply seen = server.api.get("/api/users/" + ivy.id(), jack.token());
        assertThat(seen.status()).isEqualTo(200);
        assertThat(seen.data().get("nickname").asText()).isEqualTo("Ivy 🌿");
        assertThat(seen.data().has("email")).isFalse();

        Reply badAvatar = server.api.put("/api/user/info", obj("avatar", "javascript:alert(1)"), ivy.token());
        assertThat(badAvatar.status()).isEqualTo(400);
        assertThat(badAvatar.code()).isEqualTo(3007);
        assertThat(server.api.get("/api/users/999999", jack.token()).code()).isEqualTo(3004);
    }

    @Test
    void searchFindsUsersByUsernamePrefixOrNickname() {
        HttpApi.Account searcher = server.api.account("searcher");
        server.api.register("kate_s", "secret1");
        server.api.register("kat_two", "secret1");
        long mike = server.api.register("mike", "secret1");
        String mikeToken = server.api.login("mike", "secret1", "d").get("token").asText();
        server.api.put("/api/user/info", obj("nickname", "Mike Katz"), mikeToken);

        Reply found = server.api.get("/api/users?keyword=KAT", searcher.token());
        assertThat(found.status()).isEqualTo(200);
        assertThat(found.data().get("total").asInt()).isEqualTo(3);
        assertThat(found.data().get("users").findValuesAsText("username")).containsExactlyInAnyOrder("kate_s", "kat_two", "mike");

        Reply page = server.api.get("/api/users?keyword=kat&limit=1&offset=1", searcher.token());
        assertThat(page.data().get("total").asInt()).isEqualTo(3);
        assertThat(page.data().get("users")).hasSize(1);

        // '_' is a literal, not a LIKE wildcard: "kate_s" does not start with "kat_"
        assertThat(server.api.get("/api/users?keyword=kat_", searcher.token()).data().get("users").findValuesAsText("username"))
                .containsExactly("kat_two");
        assertThat(server.api.get("/api/users?keyword=katz", searcher.token()).data().get("users").findValuesAsText("user_id"))
                .containsExactly(String.valueOf(mike));
        assertThat(server.api.get("/api/users?keyword=", searcher.token()).code()).isEqualTo(1003);
    }

    @Test
    void accessTokensExpire() {
        // Expiry has whole seconds, rounded up: a 3 s token lives 3 to 4 s, never less.
        try (TestNode shortLived = TestNode.start(server.dir().resolve("short"), Map.of("auth.access-token-ttl", "3s"))) {
            shortLived.api.register("lena", "secret1");
            JsonNode login = shortLived.api.login("lena", "secret1", "d");
            String token = login.get("token").asText();
            assertThat(shortLived.api.get("/api/user/info", token).status()).isEqualTo(200);
            Reply expired = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> shortLived.api.get("/api/user/info", token), r -> r.status() != 200);
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.code()).isEqualTo(2003);
            // the refresh token still works and brings a fresh access token
            Reply refreshed = shortLived.api.post("/api/refresh-token", obj("refresh_token", login.get("refresh_token").asText()), null);
            assertThat(shortLived.api.get("/api/user/info", refreshed.data().get("token").asText()).status()).isEqualTo(200);
        }
    }

    /**
     * SimpleIM's app never refreshes its token (its tokens live 7 days): a connection opened with a
     * token lives on after the token expires, as long as it keeps up its heartbeats; only new
     * connections and requests need a live token.
     */
    @Test
    void anOpenConnectionOutlivesItsAccessToken() {
        try (TestNode shortLived = TestNode.start(server.dir().resolve("outlive"), Map.of("auth.access-token-ttl", "3s"))) {
            shortLived.api.register("nina", "secret1");
            shortLived.api.register("otto", "secret1");
            String nina = shortLived.api.login("nina", "secret1", "d").get("token").asText();
            long otto = shortLived.api.login("otto", "secret1", "d").get("user_id").asLong();
            try (WsClient ws = WsClient.connect(shortLived.node().httpPort(), nina)) {
                Reply expired = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                        .until(() -> shortLived.api.get("/api/user/info", nina), r -> r.status() != 200);
                assertThat(expired.code()).isEqualTo(2003);
                assertThat(WsClient.refusal(shortLived.node().httpPort(), "token=" + nina).statusCode())
                        .as("a new connection needs a live token").isEqualTo(401);

                ws.sendText("{\"type\":1,\"request_id\":3,\"to\":" + otto + ",\"message_id\":\"late\",\"content\":{\"text\":\"still here\"}}");
                JsonNode ack = ws.await(f -> f.path("request_id").asLong() == 3);
                assertThat(ack.path("type").asInt()).as("the open connection still sends: %s", ack).isEqualTo(30);
            }
        }
    }

    @Test
    void loginSaysWhereTheWebSocketIs() {
        server.api.register("pia", "secret1");
        JsonNode login = server.api.login("pia", "secret1", "d");
        String url = login.get("websocket_url").asText();
        assertThat(url).isEqualTo("ws://127.0.0.1:" + server.node().httpPort() + "/ws");
        WsClient ws = WsClient.open(server.node().httpPort(), "token=" + login.get("token").asText());
        try (ws) {
            assertThat(ws.await(f -> f.path("type").asInt() == 101).at("/content/device_id").asText()).isEqualTo("d");
        }
    }

    @Test
    void theSigningSecretSurvivesARestartSoTokensDo() {
        Path data = server.dir().resolve("restart");
        String token;
        try (TestNode first = TestNode.start(data)) {
            first.api.register("max", "secret1");
            token = first.api.login("max", "secret1", "d").get("token").asText();
        }
        try (TestNode second = TestNode.start(data)) {
            assertThat(second.api.get("/api/user/info", token).status()).isEqualTo(200);
        }
    }
}
