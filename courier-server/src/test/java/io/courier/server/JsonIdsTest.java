package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.server.HttpApi.Account;
import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ids in the JSON protocols (DESIGN.md §9) as SimpleIM's web app uses them: it types ids into its
 * boxes and sends them as strings, and reads every id as a string (message ids pass 2^53). Over a
 * real node: HTTP and WebSocket take either form and write strings; counters stay numbers.
 */
class JsonIdsTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    private static Account alice;
    private static Account bob;
    private static Account carol;

    @BeforeAll
    static void accounts() {
        alice = server.api.account("ids_alice");
        bob = server.api.account("ids_bob");
        carol = server.api.account("ids_carol");
    }

    private static Predicate<JsonNode> type(int type) {
        return f -> f.path("type").asInt(-1) == type;
    }

    private static void assertId(JsonNode node, String field, long expected) {
        assertThat(node.get(field)).as("%s in %s", field, node).isNotNull();
        assertThat(node.get(field).isTextual()).as("%s is a string in %s", field, node).isTrue();
        assertThat(node.get(field).textValue()).isEqualTo(Long.toString(expected));
    }

    @Test
    void httpAnswersIdsAsStringsAndTakesThemAsStrings() {
        Reply registered = server.api.post("/api/register", obj("username", "ids_dave", "password", "password-dave"), null);
        assertThat(registered.data().get("user_id").isTextual()).as("%s", registered).isTrue();
        assertThat(registered.json().get("user_id").isTextual()).as("the top-level copy too: %s", registered).isTrue();

        Reply created = server.api.post("/api/groups",
                "{\"name\":\"ids club\",\"member_ids\":[\"" + bob.id() + "\"," + carol.id() + "]}", alice.token());
        assertThat(created.status()).as("%s", created).isEqualTo(200);
        long group = Long.parseLong(created.data().get("group_id").textValue());
        assertId(created.data(), "owner_id", alice.id());
        assertThat(created.data().get("member_count").isIntegralNumber()).as("a count stays a number").isTrue();

        Reply members = server.api.get("/api/groups/" + group + "/members", alice.token());
        List<String> ids = new ArrayList<>();
        members.data().get("members").forEach(m -> ids.add(m.get("user_id").textValue()));
        assertThat(ids).containsExactlyInAnyOrder(Long.toString(alice.id()), Long.toString(bob.id()), Long.toString(carol.id()));

        Reply sent = server.api.post("/api/messages", "{\"to_user_id\":\"" + bob.id() + "\",\"text\":\"hi\",\"client_msg_id\":\"h-1\"}", alice.token());
        assertThat(sent.status()).as("%s", sent).isEqualTo(200);
        assertThat(sent.data().get("message_id").isTextual()).isTrue();
        assertThat(Long.parseLong(sent.data().get("message_id").textValue())).isPositive();
        assertThat(sent.data().get("seq").isIntegralNumber()).as("seq stays a number").isTrue();

        JsonNode message = server.api.get("/api/messages/private/" + alice.id(), bob.token()).data().get("messages").get(0);
        assertId(message, "from", alice.id());
        assertId(message, "to", bob.id());
        assertThat(message.get("server_message_id").textValue()).isEqualTo(sent.data().get("message_id").textValue());

        JsonNode conversation = server.api.get("/api/conversations", bob.token()).data().get("conversations").get(0);
        assertId(conversation, "peer_user_id", alice.id());
        assertThat(conversation.get("last_seq").isIntegralNumber()).isTrue();
    }

    @Test
    void httpRefusesAnIdThatIsNotOne() {
        for (String bad : List.of("\"12x\"", "\"-3\"", "\" 3\"", "\"03\"", "3.5", "true", "\"99999999999999999999\"")) {
            Reply r = server.api.post("/api/messages", "{\"to_user_id\":" + bad + ",\"text\":\"hi\"}", alice.token());
            assertThat(r.status()).as("to_user_id %s: %s", bad, r).isEqualTo(400);
            assertThat(r.code()).isEqualTo(1002);
            assertThat(r.json().get("field").asText()).isEqualTo("to_user_id");
        }
        Reply list = server.api.post("/api/groups", "{\"name\":\"x\",\"member_ids\":[\"" + bob.id() + "\",\"bob\"]}", alice.token());
        assertThat(list.code()).as("%s", list).isEqualTo(1002);
        assertThat(list.json().get("field").asText()).startsWith("member_ids");
    }

    @Test
    void webSocketTakesIdsAsStringsAndWritesThemAsStrings() {
        long group = Long.parseLong(server.api.post("/api/groups",
                "{\"name\":\"ws ids\",\"member_ids\":[\"" + bob.id() + "\"]}", alice.token()).data().get("group_id").textValue());
        try (WsClient a = WsClient.connect(server.node().httpPort(), alice.token());
             WsClient b = WsClient.open(server.node().httpPort(), "token=" + bob.token())) {
            JsonNode login = b.await(type(101));
            assertId(login.get("content"), "user_id", bob.id());

            a.sendText("{\"type\":1,\"request_id\":5,\"to\":\"" + bob.id() + "\",\"message_id\":\"w-1\",\"content\":{\"text\":\"hi\"}}");
            JsonNode ack = a.await(f -> f.path("request_id").asLong() == 5);
            assertThat(ack.get("type").asInt()).as("%s", ack).isEqualTo(30);
            assertThat(ack.get("request_id").isIntegralNumber()).as("the client's own correlation number comes back a number").isTrue();
            assertThat(ack.get("server_message_id").isTextual()).isTrue();
            assertThat(ack.get("seq").isIntegralNumber()).isTrue();

            JsonNode push = b.await(f -> "w-1".equals(f.path("message_id").asText()));
            assertId(push, "from", alice.id());
            assertId(push, "to", bob.id());
            assertThat(push.get("server_message_id")).isEqualTo(ack.get("server_message_id"));

            a.sendText("{\"type\":2,\"request_id\":\"6\",\"group_id\":\"" + group + "\",\"message_id\":\"w-2\","
                    + "\"content\":{\"text\":\"@bob\",\"at_user_ids\":[\"" + bob.id() + "\"]}}");
            assertThat(a.await(f -> f.path("request_id").asLong() == 6).get("type").asInt()).isEqualTo(30);
            JsonNode groupPush = b.await(f -> "w-2".equals(f.path("message_id").asText()));
            assertId(groupPush, "group_id", group);
            JsonNode mentioned = groupPush.get("content").get("at_user_ids");
            assertThat(mentioned.get(0).isTextual()).as("%s", groupPush).isTrue();
            assertThat(mentioned.get(0).textValue()).isEqualTo(Long.toString(bob.id()));

            a.sendText("{\"type\":1,\"request_id\":7,\"to\":\"bob\",\"content\":{\"text\":\"hi\"}}");
            JsonNode refused = a.await(f -> f.path("request_id").asLong() == 7);
            assertThat(refused.get("type").asInt()).isEqualTo(3);
            assertThat(refused.at("/content/code").asInt()).isEqualTo(1002);
            assertThat(refused.at("/content/message").asText()).contains("to");

            a.sendText("{\"type\":31,\"request_id\":8,\"content\":{\"conversation_id\":\"g:" + group + "\",\"seq\":\"1\"}}");
            JsonNode counter = a.await(f -> f.path("request_id").asLong() == 8);
            assertThat(counter.at("/content/code").asInt()).as("a seq is a counter, not an id: %s", counter).isEqualTo(1002);
        }
    }
}
