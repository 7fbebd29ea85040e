package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.server.HttpApi.Account;
import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SimpleIM's message routes as its clients call them (compat/simpleim-api.md), over a real node:
 * offline messages fetched and acknowledged over HTTP, and history routes that carry chat
 * messages only.
 */
class SimpleImRoutesTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    private static String send(Account from, Account to, String clientId) {
        Reply r = server.api.post("/api/messages", obj("to_user_id", to.id(), "text", clientId, "client_msg_id", clientId), from.token());
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.data().get("message_id").textValue();
    }

    private static JsonNode ok(Reply r) {
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.code()).isZero();
        return r.data();
    }

    private static List<String> clientIds(JsonNode messages) {
        List<String> ids = new ArrayList<>();
        messages.forEach(m -> ids.add(m.get("message_id").asText()));
        return ids;
    }

    @Test
    void offlineMessagesAreCountedListedAndAcknowledgedOnTheSameCursorAsPushes() {
        Account alice = server.api.account("si_alice");
        Account bob = server.api.account("si_bob");
        Account eve = server.api.account("si_eve");
        send(alice, bob, "o1");
        String second = send(alice, bob, "o2");
        send(alice, bob, "o3");
        send(bob, alice, "mine"); // what bob sent himself is not waiting for him
        String notBobs = send(alice, eve, "for-eve");

        assertThat(ok(server.api.get("/api/offline/count", bob.token())).get("count").asLong()).isEqualTo(3);
        JsonNode summary = ok(server.api.get("/api/offline/summary", bob.token()));
        assertThat(summary.get("total").asLong()).isEqualTo(3);
        assertThat(summary.get("conversations")).hasSize(1);
        assertThat(summary.at("/conversations/0/count").asLong()).isEqualTo(3);
        assertThat(summary.at("/conversations/0/last_message/message_id").asText()).isEqualTo("mine");

        JsonNode page = ok(server.api.get("/api/offline/messages?limit=2", bob.token()));
        assertThat(clientIds(page.get("messages"))).containsExactly("o1", "o2");
        assertThat(page.get("has_more").asBoolean()).isTrue();
        JsonNode first = page.at("/messages/0");
        assertThat(first.get("created_at").asLong()).as("created_at beside timestamp").isEqualTo(first.get("timestamp").asLong()).isPositive();

        JsonNode acked = ok(server.api.post("/api/offline/ack",
                "{\"message_ids\":[\"" + second + "\",\"" + notBobs + "\",\"12345\"]}", bob.token()));
        assertThat(acked.get("acked").asInt()).isEqualTo(1);
        List<String> notFound = new ArrayList<>();
        acked.get("not_found_ids").forEach(id -> notFound.add(id.asText()));
        assertThat(notFound).containsExactlyInAnyOrder(notBobs, "12345");

        assertThat(ok(server.api.get("/api/offline/count", bob.token())).get("count").asLong())
                .as("acknowledging o2 covers o1 before it").isEqualTo(1);
        assertThat(clientIds(ok(server.api.get("/api/offline/messages", bob.token())).get("messages"))).containsExactly("o3");
        assertThat(ok(server.api.get("/api/offline/count", eve.token())).get("count").asLong())
                .as("bob's ack of eve's message changed nothing for her").isEqualTo(1);

        // a connection of the same device starts where the HTTP acknowledgement left the cursor
        try (WsClient ws = WsClient.open(server.node().httpPort(), "token=" + bob.token())) {
            JsonNode pushed = ws.await(f -> f.path("type").asInt() == 1);
            assertThat(pushed.get("message_id").asText()).as("the oldest after the cursor, not o1 or o2").isEqualTo("o3");
        }

        Reply empty = server.api.post("/api/offline/ack", "{\"message_ids\":[]}", bob.token());
        assertThat(empty.code()).as("%s", empty).isEqualTo(1003);
        Reply bad = server.api.post("/api/offline/ack", "{\"message_ids\":[\"x1\"]}", bob.token());
        assertThat(bad.code()).as("%s", bad).isEqualTo(1002);
    }

    @Test
    void simpleImHistoryRoutesCarryChatMessagesOnlyUnlessEventsAreAskedFor() {
        Account owner = server.api.account("si_owner");
        Account member = server.api.account("si_member");
        Account late = server.api.account("si_late");
        long group = Long.parseLong(ok(server.api.post("/api/groups",
                obj("name", "history", "member_ids", List.of(member.id())), owner.token())).get("group_id").asText());
        for (int i = 1; i <= 3; i++) {
            ok(server.api.post("/api/messages", obj("to_group_id", group, "text", "g" + i, "client_msg_id", "g" + i), owner.token()));
        }
        ok(server.api.post("/api/groups/" + group + "/join", obj(), late.token()));
        ok(server.api.post("/api/messages", obj("to_group_id", group, "text", "g4", "client_msg_id", "g4"), member.token()));

        JsonNode chat = ok(server.api.get("/api/messages/group/" + group, member.token()));
        assertThat(clientIds(chat.get("messages"))).containsExactly("g4", "g3", "g2", "g1");
        chat.get("messages").forEach(m -> assertThat(m.get("type").asInt()).isEqualTo(2));

        JsonNode paged = ok(server.api.get("/api/messages/group/" + group + "?limit=2", member.token()));
        assertThat(clientIds(paged.get("messages"))).as("the join event is read past").containsExactly("g4", "g3");
        assertThat(paged.get("has_more").asBoolean()).isTrue();
        long lowest = paged.at("/messages/1/seq").asLong();
        JsonNode rest = ok(server.api.get("/api/messages/group/" + group + "?limit=2&last_seq=" + lowest, member.token()));
        assertThat(clientIds(rest.get("messages"))).containsExactly("g2", "g1");

        JsonNode withEvents = ok(server.api.get("/api/messages/group/" + group + "?events=true", member.token()));
        List<Integer> types = new ArrayList<>();
        withEvents.get("messages").forEach(m -> types.add(m.get("type").asInt()));
        assertThat(types).containsExactly(2, 21, 2, 2, 2, 20);

        JsonNode byId = ok(server.api.get("/api/messages/conversation/g:" + group, member.token()));
        assertThat(clientIds(byId.get("messages"))).containsExactly("g4", "g3", "g2", "g1");
        JsonNode courierRoute = ok(server.api.get("/api/conversations/g:" + group + "/messages", member.token()));
        assertThat(courierRoute.get("messages")).as("Courier's own route keeps the timeline").hasSize(6);

        Reply stranger = server.api.get("/api/messages/conversation/g:" + group, server.api.account("si_stranger").token());
        assertThat(stranger.code()).isEqualTo(5005);
    }
}
