package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.v1.Envelope;
import io.courier.server.HttpApi.Account;
import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Token buckets per user and per address, on every protocol: RATE_LIMITED (1012) with the time to
 * wait, the same bucket whichever protocol the user speaks, and nothing stored for a refusal.
 * Periods are an hour, so no token comes back while a test runs.
 */
class RateLimitTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension(Map.of("limits.enabled", "true",
            "limits.messages", "3/1h", "limits.group-messages", "2/1h", "limits.friend-requests", "2/1h",
            "limits.registrations", "1000/1h"));

    @TempDir
    Path dir;

    @Test
    void aUsersMessagesShareOneBucketOverNativeTcpAndWebSocket() {
        Account amy = server.api.account("amy");
        Account ben = server.api.account("ben");
        String amysLaptop = server.api.login("amy", "password-amy", "laptop").get("token").asText(); // a second device
        try (NativeClient a = NativeClient.login(server.node().tcpPort(), amy.token());
             WsClient w = WsClient.connect(server.node().httpPort(), amysLaptop);
             NativeClient b = NativeClient.login(server.node().tcpPort(), ben.token())) {
            assertThat(a.sendText(ben.id(), "m1", "one").hasSendAck()).isTrue();
            assertThat(a.sendText(ben.id(), "m2", "two").hasSendAck()).isTrue();
            w.sendText("{\"type\":1,\"request_id\":7,\"to\":" + ben.id() + ",\"message_id\":\"m3\",\"content\":{\"text\":\"three\"}}");
            assertThat(w.awaitReply(30, 7).at("/content/status").asText()).isEqualTo("sent");

            Envelope refused = a.sendText(ben.id(), "m4", "four");
            assertThat(refused.getError().getCode()).isEqualTo(1012);
            assertThat(refused.getError().getName()).isEqualTo("RATE_LIMITED");
            assertThat(refused.getError().getMessage()).contains("at most 3 per hour");
            assertThat(refused.getError().getRetryAfterMs()).isBetween(1L, Duration.ofHours(1).toMillis());

            w.sendText("{\"type\":1,\"request_id\":8,\"to\":" + ben.id() + ",\"message_id\":\"m5\",\"content\":{\"text\":\"five\"}}");
            JsonNode wsRefused = w.awaitReply(3, 8);
            assertThat(wsRefused.at("/content/code").asInt()).isEqualTo(1012);
            assertThat(wsRefused.at("/content/retry_after_ms").asLong()).isPositive();

            // Per user: Ben is not held back by Amy, and nothing refused was stored.
            assertThat(b.sendText(amy.id(), "b1", "hi amy").hasSendAck()).isTrue();
            Reply history = server.api.get("/api/messages/private/" + ben.id() + "?limit=50", amy.token());
            assertThat(history.status()).isEqualTo(200);
            assertThat(history.text()).contains("three").doesNotContain("four").doesNotContain("five");
        }
    }

    @Test
    void groupMessagesHaveABucketOfTheirOwn() {
        Account cai = server.api.account("cai");
        Account dee = server.api.account("dee");
        long group = server.api.post("/api/groups", obj("name", "limited", "member_ids", java.util.List.of(dee.id())), cai.token())
                .data().get("group_id").asLong();
        try (NativeClient c = NativeClient.login(server.node().tcpPort(), cai.token())) {
            assertThat(GroupKit.sendText(c, group, "g1").hasSendAck()).isTrue();
            assertThat(GroupKit.sendText(c, group, "g2").hasSendAck()).isTrue();
            assertThat(GroupKit.sendText(c, group, "g3").getError().getCode()).isEqualTo(1012);
            // 1:1 messages are counted apart.
            assertThat(c.sendText(dee.id(), "p1", "still allowed").hasSendAck()).isTrue();
        }
    }

    @Test
    void friendRequestsAreLimitedPerUserOverHttp() {
        Account eve = server.api.account("eve");
        Account[] others = {server.api.account("fay"), server.api.account("gil"), server.api.account("hal")};
        assertThat(server.api.post("/api/friends/requests", obj("user_id", others[0].id()), eve.token()).status()).isEqualTo(200);
        assertThat(server.api.post("/api/friends/requests", obj("user_id", others[1].id()), eve.token()).status()).isEqualTo(200);

        Reply third = server.api.post("/api/friends/requests", obj("user_id", others[2].id()), eve.token());
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.code()).isEqualTo(1012);
        assertThat(Long.parseLong(third.header("Retry-After"))).isBetween(1L, 3600L);
        assertThat(third.json().get("retry_after_ms").asLong()).isPositive();
        assertThat(server.api.get("/api/friends/requests", others[2].token()).data().get("incoming")).isEmpty();
        // Answering a request costs nothing: Fay accepts, though Eve's bucket is empty.
        long id = server.api.get("/api/friends/requests", others[0].token()).data().get("incoming").get(0).get("request_id").asLong();
        assertThat(server.api.post("/api/friends/requests/" + id + "/accept", null, others[0].token()).status()).isEqualTo(200);
    }

    @Test
    void registrationsAreLimitedPerAddress() {
        try (TestNode node = TestNode.start(dir, Map.of("limits.enabled", "true", "limits.registrations", "3/1h"))) {
            for (int i = 0; i < 3; i++) {
                node.api.register("early" + i, "secret1");
            }
            Reply fourth = node.api.post("/api/register", obj("username", "late", "password", "secret1"), null);
            assertThat(fourth.status()).isEqualTo(429);
            assertThat(fourth.code()).isEqualTo(1012);
            assertThat(fourth.json().get("message").asText()).contains("registrations from this address");
            // The checks come first: a bad name is told so, not rate limited.
            assertThat(node.api.post("/api/register", obj("username", "x", "password", "secret1"), null).code()).isEqualTo(3001);
            // Another address has its own bucket, and the refused name was not taken.
            assertThat(node.api.from("127.0.0.2").post("/api/register", obj("username", "late", "password", "secret1"), null)
                    .status()).isEqualTo(200);
        }
    }
}
