package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.core.auth.Session;
import io.courier.core.auth.TokenService;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Heartbeat;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.Text;
import io.courier.server.HttpApi.Account;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 1:1 messaging over the WebSocket endpoint {@code /ws} (JSON text frames and protobuf binary
 * frames) against a real node, mixed with native TCP clients: the same server behaviour as
 * {@link NativeMessagingTest}, seen through the WebSocket adapter.
 */
class WebSocketMessagingTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    /** Two users the table of bad inputs shares: the sender and a real recipient. */
    private static Account badSender;
    private static Account badPeer;

    @BeforeAll
    static void accounts() {
        badSender = server.api.account("bad_sender");
        badPeer = server.api.account("bad_peer");
    }

    private static int http() {
        return server.node().httpPort();
    }

    private static int tcp() {
        return server.node().tcpPort();
    }

    private static WsClient ws(Account account) {
        return WsClient.connect(http(), account.token());
    }

    private static Predicate<JsonNode> type(int type) {
        return f -> f.path("type").asInt(-1) == type;
    }

    private static String text(long to, String messageId, String text) {
        return "{\"type\":1,\"to\":" + to + ",\"message_id\":\"" + messageId + "\",\"content\":{\"text\":\"" + text + "\"}}";
    }

    private static String heartbeat(long requestId) {
        return "{\"type\":99,\"request_id\":" + requestId + ",\"timestamp\":123}";
    }

    // ---- the upgrade ------------------------------------------------------------------------

    @Test
    void anUpgradeWithoutAGoodAccessTokenIsRefusedWith401() throws IOException {
        Account rita = server.api.account("rita");
        JsonNode login = server.api.login("rita", "password-rita", "r-phone");

        assertRefused(null, 2001);
        assertRefused("token=", 2001);
        assertRefused("token=garbage", 2002);
        assertRefused("token=" + rita.token() + "x", 2002); // signature broken
        assertRefused("token=" + expiredAccessToken(rita.id()), 2003);
        assertRefused("token=" + login.get("refresh_token").asText(), 2005);
        // a good token for another device than the one named
        assertRefused("token=" + rita.token() + "&device_id=someone-else", 2002);

        // the same token is accepted, and the login names the user and the token's device
        try (WsClient ok = WsClient.open(http(), "token=" + rita.token() + "&device_id=test-device")) {
            JsonNode loginOk = ok.await(type(101));
            assertThat(loginOk.at("/content/user_id").asLong()).isEqualTo(rita.id());
            assertThat(loginOk.at("/content/device_id").asText()).isEqualTo("test-device");
            assertThat(loginOk.at("/content/heartbeat_interval_s").asInt()).isPositive();
        }
    }

    /** The upgrade gets 401 with the API's JSON error; a plain GET of the same URI the same answer. */
    private static void assertRefused(String query, int code) {
        HttpResponse<?> refusal = WsClient.refusal(http(), query);
        assertThat(refusal.statusCode()).as("status for ?%s", query).isEqualTo(401);
        assertThat(refusal.body()).as("body for ?%s", query).isInstanceOf(String.class);
        JsonNode body;
        try {
            body = HttpApi.JSON.readTree((String) refusal.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + refusal.body(), e);
        }
        assertThat(body.path("code").asInt()).as("code for ?%s: %s", query, body).isEqualTo(code);
        HttpApi.Reply plain = server.api.get("/ws" + (query == null ? "" : "?" + query), null);
        assertThat(plain.status()).as(plain.toString()).isEqualTo(401);
        assertThat(plain.code()).as(plain.toString()).isEqualTo(code);
    }

    /** An access token signed with the node's own secret that expired an hour ago. */
    private static String expiredAccessToken(long userId) throws IOException {
        byte[] secret = Base64.getDecoder().decode(Files.readString(server.dir().resolve("node").resolve("jwt-secret")).strip());
        Clock twoHoursAgo = Clock.fixed(Instant.now().minus(Duration.ofHours(2)), ZoneOffset.UTC);
        TokenService tokens = new TokenService(secret, twoHoursAgo, Duration.ofHours(1));
        return tokens.issueAccess(new Session("expired-session", userId, "test-device", "", 0, Long.MAX_VALUE, 0));
    }

    // ---- messaging ------------------------------------------------------------------------------

    @Test
    void aWebSocketUserAndANativeUserChatBothWays() {
        Account wendy = server.api.account("wendy");
        Account tom = server.api.account("tom");
        try (WsClient w = ws(wendy); NativeClient t = NativeClient.login(tcp(), tom.token())) {
            w.sendText(text(tom.id(), "c-1", "hi"));
            JsonNode ack = w.await(type(30));
            assertThat(ack.at("/content/message_id").asText()).isEqualTo("c-1");
            assertThat(ack.at("/content/server_message_id").asLong()).isPositive();
            assertThat(ack.at("/content/seq").asLong()).isEqualTo(1);
            assertThat(ack.at("/content/status").asText()).isEqualTo("sent");
            String conversation = ack.at("/content/conversation_id").asText();
            assertThat(conversation).isEqualTo("p:" + Math.min(wendy.id(), tom.id()) + ":" + Math.max(wendy.id(), tom.id()));

            Message got = t.await(Envelope::hasMessage).getMessage();
            assertThat(got.getContent().getText().getText()).isEqualTo("hi");
            assertThat(got.getSenderId()).isEqualTo(wendy.id());
            assertThat(got.getMessageId()).isEqualTo(ack.at("/content/server_message_id").asLong());
            assertThat(got.getClientMsgId()).isEqualTo("c-1");

            Envelope reply = t.sendText(wendy.id(), "t-1", "hello from tcp");
            JsonNode push = w.await(type(1));
            assertThat(push.get("from").asLong()).isEqualTo(tom.id());
            assertThat(push.get("to").asLong()).isEqualTo(wendy.id());
            assertThat(push.get("seq").asLong()).isEqualTo(2);
            assertThat(push.get("conversation_id").asText()).isEqualTo(conversation);
            assertThat(push.get("server_message_id").asLong()).isEqualTo(reply.getSendAck().getMessageId());
            assertThat(push.get("message_id").asText()).isEqualTo("t-1");
            assertThat(push.at("/content/text").asText()).isEqualTo("hello from tcp");
        }
    }

    @Test
    void aFromFieldSentByTheClientIsIgnored() {
        Account alba = server.api.account("alba");
        Account bert = server.api.account("bert");
        Account cleo = server.api.account("cleo");
        try (WsClient a = ws(alba); WsClient b = ws(bert)) {
            a.sendText("{\"type\":1,\"to\":" + bert.id() + ",\"from\":" + cleo.id()
                    + ",\"message_id\":\"forged-1\",\"content\":{\"text\":\"who am I\"}}");
            JsonNode ack = a.await(type(30));
            assertThat(ack.at("/content/conversation_id").asText())
                    .isEqualTo("p:" + Math.min(alba.id(), bert.id()) + ":" + Math.max(alba.id(), bert.id()));
            JsonNode got = b.await(type(1));
            assertThat(got.get("from").asLong()).isEqualTo(alba.id());
            assertThat(got.at("/content/text").asText()).isEqualTo("who am I");
        }
    }

    @Test
    void enumValuesAreReadInAnyCaseAsOverHttp() {
        Account gina = server.api.account("gina");
        try (WsClient g = ws(gina)) {
            int id = 70;
            for (String policy : java.util.List.of("approval", "Invite_Only", "OPEN")) {
                g.sendText("{\"type\":60,\"request_id\":" + id + ",\"content\":{\"create\":{\"name\":\"g\",\"join_policy\":\""
                        + policy + "\"}}}");
                JsonNode reply = g.awaitReply(61, id++);
                assertThat(reply.toString()).as(policy).contains("\"join_policy\":\"" + policy.toLowerCase(java.util.Locale.ROOT) + "\"");
            }
            g.sendText("{\"type\":60,\"request_id\":80,\"content\":{\"create\":{\"name\":\"g\",\"join_policy\":\"sometimes\"}}}");
            assertThat(g.awaitReply(3, 80).at("/content/code").asInt()).isEqualTo(1002);
        }
        assertThat(server.api.get("/api/friends/requests?direction=INCOMING", gina.token()).status()).isEqualTo(200);
    }

    @Test
    void aFrameRefusedForItsContentIsAnsweredWithItsRequestId() {
        Account fritz = server.api.account("fritz");
        try (WsClient f = ws(fritz)) {
            f.sendText("{\"type\":1,\"request_id\":42,\"to\":true,\"content\":{\"text\":\"x\"}}");
            JsonNode refused = f.awaitReply(3, 42);
            assertThat(refused.at("/content/code").asInt()).isEqualTo(1002);
            f.sendText("{\"type\":4242,\"request_id\":43}");
            assertThat(f.awaitReply(3, 43).at("/content/name").asText()).isEqualTo("UNSUPPORTED_FRAME");
            // Without a readable request id the error has none (0, left out), as before.
            f.sendText("{\"type\":1,\"request_id\":\"soon\",\"to\":true}");
            assertThat(f.awaitReply(3, 0).path("request_id").isMissingNode()).isTrue();
        }
    }

    @Test
    void aMessageWithoutIdGetsOneAndARetryOfAnIdIsADuplicate() {
        Account dora = server.api.account("dora");
        Account egon = server.api.account("egon");
        try (WsClient d = ws(dora)) {
            d.sendText("{\"type\":1,\"request_id\":1,\"to\":" + egon.id() + ",\"content\":{\"text\":\"no id\"}}");
            JsonNode made = d.awaitReply(30, 1);
            assertThat(made.at("/content/message_id").asText()).isNotBlank();
            assertThat(made.at("/content/status").asText()).isEqualTo("sent");

            String retry = "{\"type\":1,\"request_id\":%d,\"to\":" + egon.id()
                    + ",\"message_id\":\"retry-me\",\"content\":{\"text\":\"only once\"}}";
            d.sendText(retry.formatted(2));
            JsonNode first = d.awaitReply(30, 2);
            d.sendText(retry.formatted(3));
            JsonNode second = d.awaitReply(30, 3);
            assertThat(first.at("/content/status").asText()).isEqualTo("sent");
            assertThat(second.at("/content/status").asText()).isEqualTo("duplicate");
            assertThat(second.at("/content/server_message_id").asLong()).isEqualTo(first.at("/content/server_message_id").asLong());
            assertThat(second.at("/content/seq").asLong()).isEqualTo(first.at("/content/seq").asLong()).isEqualTo(2);
            assertThat(second.at("/content/message_id").asText()).isEqualTo("retry-me");
        }
        HttpApi.Reply history = server.api.get("/api/messages/private/" + egon.id(), dora.token());
        assertThat(history.data().get("messages")).hasSize(2);
    }

    @Test
    void aProtobufClientSendsAndReceivesBinaryEnvelopes() {
        Account pat = server.api.account("pat");
        Account quin = server.api.account("quin");
        try (WsClient p = WsClient.connectBinary(http(), pat.token()); NativeClient q = NativeClient.login(tcp(), quin.token())) {
            p.sendBinary(Envelope.newBuilder().setRequestId(7).setSend(SendMessage.newBuilder().setToUserId(quin.id())
                    .setClientMsgId("p-1").setContent(Content.newBuilder().setText(Text.newBuilder().setText("in binary")))).build());
            Envelope ack = p.awaitBinary(e -> e.getRequestId() == 7);
            assertThat(ack.hasSendAck()).as(ack.toString()).isTrue();
            assertThat(ack.getSendAck().getSeq()).isEqualTo(1);
            assertThat(ack.getSendAck().getClientMsgId()).isEqualTo("p-1");
            assertThat(q.await(Envelope::hasMessage).getMessage().getContent().getText().getText()).isEqualTo("in binary");

            q.sendText(pat.id(), "q-1", "back to binary");
            Message back = p.awaitBinary(Envelope::hasMessage).getMessage();
            assertThat(back.getSenderId()).isEqualTo(quin.id());
            assertThat(back.getContent().getText().getText()).isEqualTo("back to binary");
            assertThat(p.drain(Duration.ZERO)).as("no text frame to a protobuf client").noneMatch(JsonNode.class::isInstance);
        }
    }

    @Test
    void aJsonClientThatSendsABinaryFrameIsAnsweredInBinary() {
        Account jon = server.api.account("jon");
        Account kim = server.api.account("kim");
        try (WsClient j = ws(jon); NativeClient k = NativeClient.login(tcp(), kim.token())) {
            j.sendText(heartbeat(1));
            assertThat(j.awaitReply(99, 1).at("/content/client_ts").asLong()).isEqualTo(123);

            j.sendBinary(Envelope.newBuilder().setRequestId(2).setHeartbeat(Heartbeat.newBuilder().setClientTs(456)).build());
            Envelope beat = j.awaitBinary(e -> e.getRequestId() == 2);
            assertThat(beat.hasHeartbeat()).as(beat.toString()).isTrue();
            assertThat(beat.getHeartbeat().getClientTs()).isEqualTo(456);
            assertThat(beat.getHeartbeat().getServerTs()).isPositive();

            k.sendText(jon.id(), "k-1", "now in binary");
            Message pushed = j.awaitBinary(Envelope::hasMessage).getMessage();
            assertThat(pushed.getContent().getText().getText()).isEqualTo("now in binary");
            assertThat(j.drain(Duration.ZERO)).as("nothing left as text").noneMatch(JsonNode.class::isInstance);
        }
    }

    @Test
    void anImageMessageKeepsItsFields() {
        Account iris = server.api.account("iris");
        Account ivan = server.api.account("ivan");
        try (WsClient a = ws(iris); WsClient b = ws(ivan)) {
            a.sendText("{\"type\":4,\"to\":" + ivan.id() + ",\"message_id\":\"img-1\","
                    + "\"content\":{\"url\":\"https://cdn.example/cat.png\",\"width\":640,\"height\":480}}");
            assertThat(a.await(type(30)).at("/content/status").asText()).isEqualTo("sent");
            JsonNode got = b.await(type(4));
            assertThat(got.get("from").asLong()).isEqualTo(iris.id());
            assertThat(got.get("message_id").asText()).isEqualTo("img-1");
            assertThat(got.at("/content/url").asText()).isEqualTo("https://cdn.example/cat.png");
            assertThat(got.at("/content/width").asInt()).isEqualTo(640);
            assertThat(got.at("/content/height").asInt()).isEqualTo(480);
            assertThat(got.get("content").has("text")).isFalse();
        }
    }

    @Test
    void readReceiptsAndTypingReachTheOtherSide() {
        Account amy = server.api.account("amy");
        Account ben = server.api.account("ben");
        try (WsClient a = ws(amy); WsClient b = ws(ben)) {
            b.sendText("{\"type\":33,\"request_id\":1,\"to\":" + amy.id() + ",\"content\":{\"typing\":true}}");
            assertThat(b.awaitReply(35, 1)).isNotNull();
            JsonNode typing = a.await(type(33));
            assertThat(typing.get("from").asLong()).isEqualTo(ben.id());
            assertThat(typing.at("/content/typing").asBoolean()).isTrue();

            a.sendText(text(ben.id(), "a-1", "read me"));
            String conversation = a.await(type(30)).at("/content/conversation_id").asText();
            b.await(type(1));
            b.sendText("{\"type\":31,\"request_id\":2,\"content\":{\"conversation_id\":\"" + conversation + "\",\"seq\":1}}");
            assertThat(b.awaitReply(35, 2)).isNotNull();

            JsonNode receipt = a.await(type(31));
            assertThat(receipt.get("from").asLong()).isEqualTo(ben.id());
            assertThat(receipt.at("/content/reader_id").asLong()).isEqualTo(ben.id());
            assertThat(receipt.at("/content/conversation_id").asText()).isEqualTo(conversation);
            assertThat(receipt.at("/content/seq").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aSenderRecallsAMessageAndThePeerIsTold() {
        Account kate = server.api.account("kate");
        Account liam = server.api.account("liam");
        try (WsClient k = ws(kate); WsClient l = ws(liam)) {
            k.sendText(text(liam.id(), "k-1", "oops"));
            JsonNode ack = k.await(type(30));
            String conversation = ack.at("/content/conversation_id").asText();
            l.await(type(1));
            String recall = "{\"type\":32,\"request_id\":%d,\"content\":{\"conversation_id\":\"" + conversation + "\",\"seq\":1}}";

            l.sendText(recall.formatted(1));
            assertThat(l.awaitReply(3, 1).at("/content/code").asInt()).as("only the sender may recall").isEqualTo(5007);

            k.sendText(recall.formatted(2));
            JsonNode answer = k.awaitReply(32, 2);
            assertThat(answer.at("/content/server_message_id").asLong()).isEqualTo(ack.at("/content/server_message_id").asLong());
            JsonNode told = l.await(type(32));
            assertThat(told.get("from").asLong()).isEqualTo(kate.id());
            assertThat(told.at("/content/conversation_id").asText()).isEqualTo(conversation);
            assertThat(told.at("/content/seq").asLong()).isEqualTo(1);
            assertThat(told.at("/content/server_message_id").asLong()).isEqualTo(ack.at("/content/server_message_id").asLong());
        }
        HttpApi.Reply http = server.api.get("/api/messages/private/" + liam.id(), kate.token());
        assertThat(http.data().get("messages").get(0).get("revoked").asBoolean()).isTrue();
    }

    @Test
    void aHeartbeatIsAnswered() {
        Account hal = server.api.account("hal");
        try (WsClient h = ws(hal)) {
            long before = System.currentTimeMillis();
            h.sendText("{\"type\":99,\"timestamp\":123}");
            JsonNode beat = h.await(type(99));
            assertThat(beat.at("/content/client_ts").asLong()).isEqualTo(123);
            assertThat(beat.get("timestamp").asLong()).as("the server's clock").isBetween(before - 1_000, before + 60_000);
        }
    }

    @Test
    void aSecondConnectionOfTheSameDeviceReplacesTheFirst() {
        Account olga = server.api.account("olga");
        try (WsClient first = ws(olga); WsClient second = ws(olga)) {
            JsonNode kicked = first.await(type(100));
            assertThat(kicked.at("/content/reason").asText()).isEqualTo("replaced");
            assertThat(kicked.at("/content/device_id").asText()).isEqualTo("test-device");
            assertThat(first.awaitClosed(Duration.ofSeconds(5))).as("the first connection is closed").isTrue();

            second.sendText(heartbeat(1));
            assertThat(second.awaitReply(99, 1)).isNotNull();
            assertThat(second.isClosed()).isFalse();
        }
    }

    @Test
    void offlineMessagesArriveRightAfterLoginOkWithoutAsking() {
        Account sam = server.api.account("sam");
        Account una = server.api.account("una");
        try (NativeClient s = NativeClient.login(tcp(), sam.token())) {
            for (int i = 1; i <= 3; i++) {
                s.sendText(una.id(), "s-" + i, "while you were away " + i);
            }
        }
        String conversation;
        try (WsClient u = WsClient.open(http(), "token=" + una.token())) {
            assertThat(u.next()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.type(JsonNode.class))
                    .satisfies(f -> assertThat(f.get("type").asInt()).as(f.toString()).isEqualTo(101));
            List<JsonNode> got = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                got.add((JsonNode) u.next());
            }
            assertThat(got).extracting(f -> f.get("type").asInt()).containsOnly(1);
            assertThat(got).extracting(f -> f.get("seq").asLong()).containsExactly(1L, 2L, 3L);
            assertThat(got).extracting(f -> f.at("/content/text").asText())
                    .containsExactly("while you were away 1", "while you were away 2", "while you were away 3");
            assertThat(got).extracting(f -> f.get("from").asLong()).containsOnly(sam.id());
            conversation = got.get(0).get("conversation_id").asText();

            // acknowledged: this device does not get them again
            u.sendText("{\"type\":34,\"request_id\":1,\"content\":{\"conversation_id\":\"" + conversation + "\",\"seq\":3}}");
            assertThat(u.awaitReply(35, 1)).isNotNull();
        }
        try (WsClient again = WsClient.open(http(), "token=" + una.token())) {
            assertThat(((JsonNode) again.next()).get("type").asInt()).isEqualTo(101);
            // requests run in order after the login backlog: the heartbeat's answer comes right after it
            again.sendText(heartbeat(2));
            JsonNode next = (JsonNode) again.next();
            assertThat(next.get("type").asInt()).as(next.toString()).isEqualTo(99);
        }
    }

    @Test
    void syncListsTheConversationAndPullAndHistoryAnswerWithMessages() {
        Account vic = server.api.account("vic");
        Account wes = server.api.account("wes");
        String conversation;
        try (NativeClient v = NativeClient.login(tcp(), vic.token())) {
            conversation = v.sendText(wes.id(), "v-1", "m1").getSendAck().getConversationId();
            v.sendText(wes.id(), "v-2", "m2");
            v.sendText(wes.id(), "v-3", "m3");
        }
        try (WsClient w = ws(wes)) {
            w.sendText("{\"type\":40,\"request_id\":1}");
            JsonNode sync = w.awaitReply(40, 1);
            JsonNode state = null;
            for (JsonNode c : sync.at("/content/conversations")) {
                if (c.get("conversation_id").asText().equals(conversation)) {
                    state = c;
                }
            }
            assertThat(state).as(sync.toString()).isNotNull();
            assertThat(state.get("unread").asLong()).isEqualTo(3);
            assertThat(state.get("last_seq").asLong()).isEqualTo(3);
            assertThat(state.get("peer_user_id").asLong()).isEqualTo(vic.id());
            assertThat(state.at("/last_message/content/text").asText()).isEqualTo("m3");

            w.sendText("{\"type\":41,\"request_id\":2,\"content\":{\"conversation_id\":\"" + conversation + "\",\"after_seq\":1}}");
            JsonNode pulled = w.awaitReply(41, 2);
            assertThat(pulled.at("/content/conversation_id").asText()).isEqualTo(conversation);
            assertThat(pulled.at("/content/messages").findValuesAsText("seq")).containsExactly("2", "3");
            assertThat(pulled.at("/content/messages/1/content/text").asText()).isEqualTo("m3");
            assertThat(pulled.at("/content/has_more").asBoolean()).isFalse();

            w.sendText("{\"type\":42,\"request_id\":3,\"content\":{\"conversation_id\":\"" + conversation + "\",\"limit\":2}}");
            JsonNode history = w.awaitReply(41, 3);
            assertThat(history.at("/content/messages").findValuesAsText("seq")).containsExactly("3", "2");
            assertThat(history.at("/content/has_more").asBoolean()).isTrue();
        }
    }

    // ---- bad input ------------------------------------------------------------------------------

    static Stream<Arguments> badFrames() {
        return Stream.of(
                Arguments.of("not JSON", "hello", 1001, "MALFORMED_JSON"),
                Arguments.of("truncated JSON", "{\"type\":1,", 1001, "MALFORMED_JSON"),
                Arguments.of("a JSON array", "[1,2,3]", 1002, "INVALID_FIELD"),
                Arguments.of("type as a string", "{\"type\":\"1\"}", 1002, "INVALID_FIELD"),
                Arguments.of("no type", "{\"to\":1}", 1003, "MISSING_FIELD"),
                Arguments.of("unknown type 7777", "{\"type\":7777}", 1008, "UNSUPPORTED_FRAME"),
                Arguments.of("type 61 from a client", "{\"type\":61,\"content\":{}}", 1008, "UNSUPPORTED_FRAME"),
                Arguments.of("an ack naming no message", "{\"type\":30,\"content\":{}}", 1003, "MISSING_FIELD"),
                Arguments.of("chat without to", "{\"type\":1,\"content\":{\"text\":\"x\"}}", 1003, "MISSING_FIELD"),
                Arguments.of("to negative", "{\"type\":1,\"to\":-5,\"content\":{\"text\":\"x\"}}", 1002, "INVALID_FIELD"),
                Arguments.of("to a string that is not an id", "{\"type\":1,\"to\":\"{peer}x\",\"content\":{\"text\":\"x\"}}", 1002, "INVALID_FIELD"),
                Arguments.of("text not a string", "{\"type\":1,\"to\":{peer},\"content\":{\"text\":5}}", 1002, "INVALID_FIELD"),
                Arguments.of("an unknown recipient", "{\"type\":1,\"request_id\":5,\"to\":999999,\"content\":{\"text\":\"x\"}}",
                        3004, "USER_NOT_FOUND"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFrames")
    void aBadFrameGetsAnErrorFrameAndTheConnectionKeepsWorking(String what, String frame, int code, String name) {
        try (WsClient c = ws(badSender)) {
            c.sendText(frame.replace("{peer}", Long.toString(badPeer.id())));
            JsonNode error = c.await(type(3));
            assertThat(error.at("/content/code").asInt()).as(error.toString()).isEqualTo(code);
            assertThat(error.at("/content/name").asText()).isEqualTo(name);
            assertThat(error.at("/content/message").asText()).isNotBlank();
            if (frame.contains("\"request_id\":5")) {
                assertThat(error.get("request_id").asLong()).as("a readable frame's request id is echoed").isEqualTo(5);
            }
            c.sendText(heartbeat(77));
            assertThat(c.awaitReply(99, 77)).isNotNull();
            assertThat(c.isClosed()).isFalse();
        }
    }

    /**
     * java.net.http cannot send invalid UTF-8, so this one speaks WebSocket by hand over a socket:
     * the upgrade, then one masked text frame of the bytes C3 28 (a lead byte without its continuation).
     */
    @Test
    void aTextFrameOfInvalidUtf8GetsAnErrorFrameAndTheConnectionKeepsWorking() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", http())) {
            socket.setSoTimeout((int) WsClient.WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String key = Base64.getEncoder().encodeToString("courier-raw-key!".getBytes(StandardCharsets.US_ASCII));
            out.write(("GET /ws?token=" + badSender.token() + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + http() + "\r\n"
                    + "Upgrade: websocket\r\n"
                    + "Connection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 101");
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            assertThat(head.toLowerCase()).contains("sec-websocket-accept: " + accept.toLowerCase());
            assertThat(readTextFrame(in).get("type").asInt()).isEqualTo(101);

            writeMaskedText(out, new byte[] {(byte) 0xC3, (byte) 0x28});
            JsonNode error = readTextFrame(in);
            assertThat(error.get("type").asInt()).as(error.toString()).isEqualTo(3);
            assertThat(error.at("/content/code").asInt()).isEqualTo(1001);
            assertThat(error.at("/content/name").asText()).isEqualTo("MALFORMED_JSON");

            writeMaskedText(out, heartbeat(78).getBytes(StandardCharsets.UTF_8));
            JsonNode beat = readTextFrame(in);
            assertThat(beat.get("type").asInt()).as(beat.toString()).isEqualTo(99);
            assertThat(beat.get("request_id").asLong()).isEqualTo(78);
        }
    }

    /** The HTTP response head, up to the blank line. */
    private static String readHead(DataInputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new AssertionError("connection closed in the response head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** The next server text frame (single, unmasked, as the server sends them), skipping pings. */
    private static JsonNode readTextFrame(DataInputStream in) throws IOException {
        while (true) {
            int first = in.readUnsignedByte();
            int second = in.readUnsignedByte();
            assertThat(second & 0x80).as("server frames are not masked").isZero();
            long length = second & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            byte[] payload = new byte[Math.toIntExact(length)];
            in.readFully(payload);
            int opcode = first & 0x0F;
            if (opcode == 0x1) {
                assertThat(first & 0x80).as("a whole message in one frame").isNotZero();
                return HttpApi.JSON.readTree(payload);
            }
            assertThat(opcode).as("frame opcode (8 is a close)").isIn(0x9, 0xA);
        }
    }

    private static void writeMaskedText(OutputStream out, byte[] payload) throws IOException {
        assertThat(payload.length).isLessThan(126);
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81); // FIN + text
        frame.write(0x80 | payload.length); // masked + length
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    // ---- idle connections -------------------------------------------------------------------------

    private static TestNode idleNode(String name) {
        return TestNode.start(server.dir().resolve(name), Map.of("gateway.idle-timeout", "1s", "gateway.heartbeat-interval", "10s"));
    }

    /** The server's reader-idle clock, seen by a client that falls silent after one heartbeat. */
    @Test
    void aConnectionThatFallsSilentIsClosedAfterTheIdleTimeoutAndAHeartbeatingOneIsNot() throws InterruptedException {
        try (TestNode node = idleNode("idle")) {
            Account quiet = node.api.account("quiet");
            Account chatty = node.api.account("chatty");
            try (WsClient silent = WsClient.connect(node.node().httpPort(), quiet.token());
                 WsClient alive = WsClient.connect(node.node().httpPort(), chatty.token())) {
                silent.sendText(heartbeat(1));
                assertThat(silent.awaitReply(99, 1)).isNotNull();
                // A heartbeat every 300 ms (the pause is the wait for the silent one's close) until the
                // silent one is cut: the chatty one lived as long, past the idle timeout.
                for (int i = 1; !silent.awaitClosed(Duration.ofMillis(300)); i++) {
                    assertThat(i).as("heartbeats before the silent connection was closed").isLessThan(100);
                    alive.sendText(heartbeat(i));
                    assertThat(alive.awaitReply(99, i)).isNotNull();
                }
                assertThat(alive.isClosed()).as("a connection that sends heartbeats stays open: %s", alive.closeReason()).isFalse();
                alive.sendText(heartbeat(1_000));
                assertThat(alive.awaitReply(99, 1_000)).isNotNull();

                JsonNode kicked = silent.await(type(100), Duration.ofSeconds(5));
                assertThat(kicked.at("/content/reason").asText()).isEqualTo("idle");
                assertThat(silent.awaitClosed(Duration.ofSeconds(5))).as("closed after the kick").isTrue();
                assertThat(silent.lifetime()).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
            }
        }
    }

    @Test
    void aConnectionThatNeverSendsAFrameIsClosedAfterTheIdleTimeout() {
        try (TestNode node = idleNode("idle-silent")) {
            Account mute = node.api.account("mute");
            try (WsClient silent = WsClient.connect(node.node().httpPort(), mute.token())) {
                JsonNode kicked = silent.await(type(100), Duration.ofSeconds(5));
                assertThat(kicked.at("/content/reason").asText()).isEqualTo("idle");
                assertThat(silent.awaitClosed(Duration.ofSeconds(5))).as("closed after the kick").isTrue();
                assertThat(silent.lifetime()).isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
            }
        }
    }
}
