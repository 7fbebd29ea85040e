package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.v1.Delivery;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Login;
import io.courier.server.HttpApi.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which delivery a connection has, over real sockets. SimpleIM's web app sends no delivery acks:
 * with at-least-once, each of its reconnects replayed every message since its first login. A
 * connection that does not ask for acknowledged delivery has delivered-when-written (as MPIM's
 * lines); one that asks ({@code ?delivery=acked}, {@code Login.delivery = ACKED}: the SDK) keeps
 * at-least-once.
 */
class DeliveryModeTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    private static void send(Account from, Account to, String clientId) {
        HttpApi.Reply r = server.api.post("/api/messages", obj("to_user_id", to.id(), "text", clientId, "client_msg_id", clientId), from.token());
        assertThat(r.status()).as("%s", r).isEqualTo(200);
    }

    /** The chat messages a connection is pushed, in order, up to and including {@code last}. */
    private static List<String> messagesUpTo(WsClient ws, String last) {
        List<String> ids = new ArrayList<>();
        while (true) {
            JsonNode f = (JsonNode) ws.next();
            if (f.path("type").asInt() == 1) {
                ids.add(f.path("message_id").asText());
                if (ids.getLast().equals(last)) {
                    return ids;
                }
            }
        }
    }

    /**
     * A heartbeat answered on the connection: the pushes written before it have been written, and so
     * counted as delivered, by the time the client reads the answer (one event loop writes both).
     */
    private static void roundTrip(WsClient ws, long requestId) {
        ws.sendText("{\"type\":99,\"request_id\":" + requestId + "}");
        ws.await(f -> f.path("request_id").asLong() == requestId);
    }

    @Test
    void aJsonConnectionThatSendsNoAcksIsNotSentTheSameMessagesOnEveryReconnect() {
        Account alice = server.api.account("dm_alice");
        Account bob = server.api.account("dm_bob");
        send(alice, bob, "m1");
        send(alice, bob, "m2");
        send(alice, bob, "m3");

        try (WsClient first = WsClient.open(server.node().httpPort(), "token=" + bob.token())) {
            JsonNode login = first.await(f -> f.path("type").asInt() == 101);
            assertThat(login.at("/content/delivery").asText()).isEqualTo("written");
            assertThat(messagesUpTo(first, "m3")).containsExactly("m1", "m2", "m3");
            roundTrip(first, 50);
        }
        send(alice, bob, "m4");
        try (WsClient second = WsClient.open(server.node().httpPort(), "token=" + bob.token())) {
            assertThat(messagesUpTo(second, "m4")).as("only what the first connection was not written").containsExactly("m4");

            // SimpleIM's own ack of a message it was pushed: accepted (it was delivered when written)
            second.sendText("{\"type\":30,\"request_id\":51,\"content\":{\"message_id\":\"m4\",\"status\":\"delivered\"}}");
            JsonNode answer = second.await(f -> f.path("request_id").asLong() == 51);
            assertThat(answer.path("type").asInt()).as("not an error: %s", answer).isNotEqualTo(3);
        }
    }

    @Test
    void aConversationOnAConnectionWithoutAcksIsNotSentAgainEither() {
        Account alice = server.api.account("dm_gus");
        Account bob = server.api.account("dm_hal");
        send(alice, bob, "c0"); // the conversation exists at login: its cursor moves only over an unbroken run
        try (WsClient first = WsClient.open(server.node().httpPort(), "token=" + bob.token())) {
            assertThat(messagesUpTo(first, "c0")).containsExactly("c0");
            // Bob's own message is his once its ack reached him; Alice's answer lies above it
            first.sendText("{\"type\":1,\"request_id\":60,\"to\":\"" + alice.id() + "\",\"message_id\":\"c1\",\"content\":{\"text\":\"hi\"}}");
            first.await(f -> f.path("request_id").asLong() == 60);
            send(alice, bob, "c2");
            assertThat(messagesUpTo(first, "c2")).containsExactly("c2");
            roundTrip(first, 61);
        }
        send(alice, bob, "c3");
        try (WsClient second = WsClient.open(server.node().httpPort(), "token=" + bob.token())) {
            assertThat(messagesUpTo(second, "c3")).as("neither his own message nor the answer again").containsExactly("c3");
        }
    }

    @Test
    void aConnectionThatAsksForAckedDeliveryIsSentWhatItDidNotAcknowledge() {
        Account alice = server.api.account("dm_carol");
        Account bob = server.api.account("dm_dan");
        send(alice, bob, "a1");
        String query = "delivery=acked&token=" + bob.token();
        String conversation;
        try (WsClient first = WsClient.open(server.node().httpPort(), query)) {
            assertThat(first.await(f -> f.path("type").asInt() == 101).at("/content/delivery").asText()).isEqualTo("acked");
            JsonNode pushed = first.await(f -> "a1".equals(f.path("message_id").asText()));
            conversation = pushed.path("conversation_id").asText();

            first.sendText("{\"type\":30,\"request_id\":52,\"content\":{\"message_id\":\"a1\"}}");
            JsonNode refused = first.await(f -> f.path("request_id").asLong() == 52);
            assertThat(refused.path("type").asInt()).as("an ack must say where on this connection: %s", refused).isEqualTo(3);
            assertThat(refused.at("/content/code").asInt()).isEqualTo(1003);
        }
        try (WsClient second = WsClient.open(server.node().httpPort(), query)) {
            assertThat(messagesUpTo(second, "a1")).as("not acknowledged, so sent again").containsExactly("a1");
            second.sendText("{\"type\":34,\"request_id\":53,\"content\":{\"conversation_id\":\"" + conversation + "\",\"seq\":1}}");
            assertThat(second.await(f -> f.path("request_id").asLong() == 53).path("type").asInt()).isNotEqualTo(3);
        }
        send(alice, bob, "a2");
        try (WsClient third = WsClient.open(server.node().httpPort(), query)) {
            assertThat(messagesUpTo(third, "a2")).as("acknowledged, so not again").containsExactly("a2");
        }
    }

    @Test
    void theNativeLoginSaysWhichDeliveryItHas() {
        Account erin = server.api.account("dm_erin");
        try (NativeClient plain = new NativeClient(server.node().tcpPort());
             NativeClient acking = new NativeClient(server.node().tcpPort())) {
            Envelope written = plain.request(Envelope.newBuilder().setLogin(Login.newBuilder().setToken(erin.token())));
            assertThat(written.getLoginOk().getDelivery()).as("a client that does not ask acknowledges nothing").isEqualTo(Delivery.WRITTEN);
            Envelope acked = acking.request(Envelope.newBuilder().setLogin(Login.newBuilder().setToken(erin.token()).setDelivery(Delivery.ACKED)));
            assertThat(acked.getLoginOk().getDelivery()).isEqualTo(Delivery.ACKED);
        }
    }

    @Test
    void anUnknownDeliveryIsRefusedBeforeTheUpgrade() {
        Account fay = server.api.account("dm_fay");
        var refused = WsClient.refusal(server.node().httpPort(), "delivery=sometimes&token=" + fay.token());
        assertThat(refused.statusCode()).isEqualTo(400);
    }
}
