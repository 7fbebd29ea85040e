package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Message;
import io.courier.server.HttpApi.Account;
import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/messages}: curl users and webhooks send as every other protocol does, over a
 * real HTTP connection to a real node, with the same rules and the same dedup by client message id.
 */
class HttpSendTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    @Test
    void aMessagePostedOverHttpIsStoredPushedAndAnsweredWithItsIds() {
        Account ann = server.api.account("ann");
        Account bob = server.api.account("bob");
        String bobsPhoneToken = server.api.login("bob", "password-bob", "phone").get("token").asText(); // a second device
        try (WsClient b = WsClient.connect(server.node().httpPort(), bob.token());
             NativeClient bobsPhone = NativeClient.login(server.node().tcpPort(), bobsPhoneToken)) {
            Reply sent = server.api.post("/api/messages", obj("to_user_id", bob.id(), "client_msg_id", "hook-1", "text", "build 1234 passed"),
                    ann.token());
            assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
            JsonNode ack = sent.data();
            String conversation = "p:" + Math.min(ann.id(), bob.id()) + ":" + Math.max(ann.id(), bob.id());
            assertThat(ack.get("conversation_id").asText()).isEqualTo(conversation);
            assertThat(ack.get("client_msg_id").asText()).isEqualTo("hook-1");
            assertThat(ack.get("seq").asLong()).isEqualTo(1);
            assertThat(ack.get("message_id").asLong()).isPositive();
            assertThat(ack.get("server_ts").asLong()).isPositive();
            assertThat(ack.get("duplicate").asBoolean()).isFalse();

            JsonNode push = b.await(f -> f.path("type").asInt() == 1);
            assertThat(push.get("from").asLong()).isEqualTo(ann.id());
            assertThat(push.get("server_message_id").asLong()).isEqualTo(ack.get("message_id").asLong());
            assertThat(push.at("/content/text").asText()).isEqualTo("build 1234 passed");
            Message onPhone = bobsPhone.await(Envelope::hasMessage).getMessage();
            assertThat(onPhone.getSenderId()).isEqualTo(ann.id());
            assertThat(onPhone.getClientMsgId()).isEqualTo("hook-1");

            // A webhook whose request timed out sends again: one message, the first one's ids.
            Reply retry = server.api.post("/api/messages", obj("to_user_id", bob.id(), "client_msg_id", "hook-1", "text", "build 1234 passed"),
                    ann.token());
            assertThat(retry.status()).isEqualTo(200);
            assertThat(retry.data().get("duplicate").asBoolean()).isTrue();
            assertThat(retry.data().get("message_id").asLong()).isEqualTo(ack.get("message_id").asLong());
            assertThat(retry.data().get("seq").asLong()).isEqualTo(1);

            Reply history = server.api.get("/api/messages/private/" + ann.id(), bob.token());
            assertThat(history.data().get("messages")).hasSize(1);
        }
    }

    @Test
    void groupMessagesGoToMembersOnlyWithTheirMentions() {
        Account cat = server.api.account("cat");
        Account dan = server.api.account("dan");
        Account eve = server.api.account("eve");
        long group = server.api.post("/api/groups", obj("name", "ops", "member_ids", List.of(dan.id())), cat.token())
                .data().get("group_id").asLong();

        Reply sent = server.api.post("/api/messages", obj("to_group_id", group, "text", "deploying @dan",
                "at_user_ids", List.of(dan.id())), cat.token());
        assertThat(sent.status()).as(sent.toString()).isEqualTo(200);
        assertThat(sent.data().get("conversation_id").asText()).isEqualTo("g:" + group);
        assertThat(sent.data().get("client_msg_id").asText()).as("the server made one").isNotEmpty();

        JsonNode page = server.api.get("/api/messages/group/" + group, dan.token()).data();
        JsonNode last = page.get("messages").get(0);
        assertThat(last.at("/content/text").asText()).isEqualTo("deploying @dan");
        assertThat(last.toString()).contains("\"at_user_ids\":[\"" + dan.id() + "\"]");

        Reply stranger = server.api.post("/api/messages", obj("to_group_id", group, "text", "let me in"), eve.token());
        assertThat(stranger.status()).isEqualTo(403);
        assertThat(stranger.code()).isEqualTo(6002);
        assertThat(server.api.get("/api/messages/group/" + group, dan.token()).text()).doesNotContain("let me in");
    }

    @Test
    void badSendsAreRefusedWithTheirCodesAndStoreNothing() {
        Account fay = server.api.account("fay");
        Account gus = server.api.account("gus");
        long group = server.api.post("/api/groups", obj("name", "g"), fay.token()).data().get("group_id").asLong();

        assertRefused(fay, obj("text", "to nobody"), 400, 1003, "to_user_id");
        assertRefused(fay, obj("to_user_id", gus.id(), "to_group_id", group, "text", "both"), 400, 1002, "to_group_id");
        assertRefused(fay, obj("to_user_id", gus.id()), 400, 1003, "text");
        assertRefused(fay, obj("to_user_id", gus.id(), "text", ""), 400, 5001, null);
        assertRefused(fay, obj("to_user_id", fay.id(), "text", "me"), 400, 4001, null);
        assertRefused(fay, obj("to_user_id", "three", "text", "x"), 400, 1002, "to_user_id");
        assertRefused(fay, obj("to_user_id", 987_654_321L, "text", "x"), 404, 3004, null);
        assertRefused(fay, obj("to_user_id", gus.id(), "client_msg_id", "tab\there", "text", "x"), 400, 5009, null);
        Reply noToken = server.api.post("/api/messages", obj("to_user_id", gus.id(), "text", "x"), null);
        assertThat(noToken.status()).isEqualTo(401);

        assertThat(server.api.get("/api/messages/private/" + fay.id(), gus.token()).data().get("messages")).isEmpty();
    }

    private static void assertRefused(Account who, Object body, int status, int code, String field) {
        Reply reply = server.api.post("/api/messages", body, who.token());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.code()).as(reply.toString()).isEqualTo(code);
        if (field != null) {
            assertThat(reply.json().path("field").asText()).as(reply.toString()).isEqualTo(field);
        }
    }
}
