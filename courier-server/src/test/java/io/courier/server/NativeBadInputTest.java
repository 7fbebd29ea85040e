package io.courier.server;

import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Delivered;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Heartbeat;
import io.courier.protocol.v1.Image;
import io.courier.protocol.v1.Login;
import io.courier.protocol.v1.MarkRead;
import io.courier.protocol.v1.Recall;
import io.courier.protocol.v1.SendAck;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.SyncRequest;
import io.courier.protocol.v1.Text;
import io.courier.server.HttpApi.Account;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input on the native protocol: each gets an error frame with its stable code, the connection
 * stays open unless the framing itself is broken, and a sender is always the session's user.
 */
class NativeBadInputTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();
    static Account sender;
    static Account recipient;
    static Account blocker;

    @BeforeAll
    static void users() {
        sender = server.api.account("nb-sender");
        recipient = server.api.account("nb-recipient");
        blocker = server.api.account("nb-blocker");
        server.api.put("/api/blocks/" + sender.id(), null, blocker.token());
    }

    record Case(String name, Function<Long, Envelope.Builder> frame, int code) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Envelope.Builder send(SendMessage.Builder s) {
        return Envelope.newBuilder().setSend(s);
    }

    private static Content text(String t) {
        return Content.newBuilder().setText(Text.newBuilder().setText(t)).build();
    }

    static Stream<Case> loggedInCases() {
        return Stream.of(
                new Case("send to an unknown user", me -> send(SendMessage.newBuilder().setToUserId(987654).setContent(text("x"))), 3004),
                new Case("send to oneself", me -> send(SendMessage.newBuilder().setToUserId(me).setContent(text("x"))), 4001),
                new Case("send without a recipient", me -> send(SendMessage.newBuilder().setContent(text("x"))), 1003),
                new Case("send without content", me -> send(SendMessage.newBuilder().setToUserId(recipient.id())), 5001),
                new Case("send blank text", me -> send(SendMessage.newBuilder().setToUserId(recipient.id()).setContent(text("  "))), 5001),
                new Case("send text over the limit", me -> send(SendMessage.newBuilder().setToUserId(recipient.id())
                        .setContent(text("x".repeat(8193)))), 5002),
                new Case("send an image without a url", me -> send(SendMessage.newBuilder().setToUserId(recipient.id())
                        .setContent(Content.newBuilder().setImage(Image.newBuilder().setWidth(10)))), 5010),
                new Case("send with a client id containing spaces", me -> send(SendMessage.newBuilder().setToUserId(recipient.id())
                        .setClientMsgId("has spaces").setContent(text("x"))), 5009),
                new Case("send to a group that does not exist", me -> send(SendMessage.newBuilder().setToGroupId(987654).setContent(text("x"))), 6001),
                new Case("send to someone who blocked you", me -> send(SendMessage.newBuilder().setToUserId(blocker.id())
                        .setContent(text("x"))), 5003),
                new Case("read someone else's conversation", me -> Envelope.newBuilder().setRead(MarkRead.newBuilder()
                        .setConversationId("p:" + recipient.id() + ":" + blocker.id()).setSeq(1)), 5005),
                new Case("delivered for a malformed conversation", me -> Envelope.newBuilder().setDelivered(Delivered.newBuilder()
                        .setConversationId("nonsense").setSeq(1)), 5005),
                new Case("recall a message that does not exist", me -> Envelope.newBuilder().setRecall(Recall.newBuilder()
                        .setConversationId("p:" + Math.min(me, recipient.id()) + ":" + Math.max(me, recipient.id())).setSeq(999)), 5006),
                new Case("a frame only servers send", me -> Envelope.newBuilder().setSendAck(SendAck.newBuilder().setSeq(1)), 1008),
                new Case("an envelope with no operation", me -> Envelope.newBuilder(), 1008),
                new Case("login again", me -> Envelope.newBuilder().setLogin(Login.newBuilder().setToken(sender.token())), 1010)
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("loggedInCases")
    void aBadRequestGetsItsCodeAndTheConnectionLivesOn(Case c) {
        try (NativeClient client = NativeClient.login(server.node().tcpPort(), sender.token())) {
            Envelope answer = client.request(c.frame().apply(sender.id()));
            assertThat(answer.hasError()).as(c.name() + ": " + answer).isTrue();
            assertThat(answer.getError().getCode()).as(c.name() + ": " + answer).isEqualTo(c.code());
            assertThat(answer.getError().getMessage()).isNotBlank();
            assertStillServing(client);
        }
    }

    @Test
    void operationsBeforeLoginAreRefusedButLoginStillWorks() {
        try (NativeClient client = new NativeClient(server.node().tcpPort())) {
            Envelope early = client.request(Envelope.newBuilder().setSync(SyncRequest.getDefaultInstance()));
            assertThat(early.getError().getCode()).isEqualTo(1009);
            Envelope badToken = client.request(Envelope.newBuilder().setLogin(Login.newBuilder().setToken("not-a-token")));
            assertThat(badToken.getError().getCode()).isEqualTo(2002);
            Envelope wrongDevice = client.request(Envelope.newBuilder().setLogin(Login.newBuilder()
                    .setToken(sender.token()).setDeviceId("someone-elses-device")));
            assertThat(wrongDevice.getError().getCode()).isEqualTo(2002);
            Envelope heartbeat = client.request(Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setClientTs(7)));
            assertThat(heartbeat.getHeartbeat().getClientTs()).isEqualTo(7);
            Envelope ok = client.request(Envelope.newBuilder().setLogin(Login.newBuilder().setToken(sender.token())));
            assertThat(ok.getLoginOk().getUserId()).isEqualTo(sender.id());
        }
    }

    @Test
    void aFrameThatIsNotAnEnvelopeGetsAnErrorAndTheConnectionLivesOn() {
        try (NativeClient client = NativeClient.login(server.node().tcpPort(), sender.token())) {
            client.writeRaw(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02});
            assertThat(client.await(Envelope::hasError).getError().getCode()).isEqualTo(1000);
            assertStillServing(client);
        }
    }

    @Test
    void invalidUtf8InAStringFieldIsRefused() {
        try (NativeClient client = NativeClient.login(server.node().tcpPort(), sender.token())) {
            // Envelope.send (field 20) holding SendMessage.client_msg_id (field 1) = bytes C3 28, not UTF-8
            byte[] send = {0x0a, 0x02, (byte) 0xc3, 0x28};
            byte[] envelope = new byte[3 + send.length];
            envelope[0] = (byte) 0xa2; // field 20, wire type 2, as a two-byte varint tag
            envelope[1] = 0x01;
            envelope[2] = (byte) send.length;
            System.arraycopy(send, 0, envelope, 3, send.length);
            client.writeRaw(envelope);
            assertThat(client.await(Envelope::hasError).getError().getCode()).isEqualTo(1000);
            assertStillServing(client);
        }
    }

    @Test
    void anOversizedFrameIsRefusedAndTheConnectionClosed() throws Exception {
        try (NativeClient client = NativeClient.login(server.node().tcpPort(), sender.token())) {
            client.writeBytes(ByteBuffer.allocate(4).putInt(2 * 1024 * 1024).array());
            assertThat(client.await(Envelope::hasError).getError().getCode()).isEqualTo(1011);
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(server.api.get("/health", null).status()).isEqualTo(200);
    }

    @Test
    void aCorruptLengthBreaksTheFramingAndClosesTheConnection() throws Exception {
        try (NativeClient client = NativeClient.login(server.node().tcpPort(), sender.token())) {
            // lengths are unsigned: 0xFFFFFFFB is a 4 GiB frame
            client.writeBytes(ByteBuffer.allocate(4).putInt(-5).array());
            assertThat(client.await(Envelope::hasError).getError().getCode()).isEqualTo(1011);
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void theSenderIsAlwaysTheSessionsUser() {
        try (NativeClient a = NativeClient.login(server.node().tcpPort(), sender.token());
             NativeClient r = NativeClient.login(server.node().tcpPort(), recipient.token())) {
            // SendMessage has no sender field at all; the stored and pushed sender is the session's user
            a.sendText(recipient.id(), "who-am-i", "from the session");
            assertThat(r.await(e -> e.hasMessage() && e.getMessage().getClientMsgId().equals("who-am-i")).getMessage().getSenderId())
                    .isEqualTo(sender.id());
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeoutWhileAHeartbeatingOneStays(@TempDir Path dir) throws Exception {
        try (TestNode node = TestNode.start(dir, Map.of("gateway.idle-timeout", "1s", "gateway.heartbeat-interval", "10s"))) {
            Account quiet = node.api.account("quiet");
            Account chatty = node.api.account("chatty");
            try (NativeClient silent = NativeClient.login(node.node().tcpPort(), quiet.token());
                 NativeClient alive = NativeClient.login(node.node().tcpPort(), chatty.token())) {
                // A heartbeat every 300 ms (the pause is the wait for the silent one's close) until the
                // silent one is cut: the heartbeating one lived as long, past the idle timeout.
                for (int i = 1; !silent.awaitClosedByServer(Duration.ofMillis(300)); i++) {
                    assertThat(i).as("heartbeats before the silent connection was closed").isLessThan(100);
                    alive.request(Envelope.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()));
                }
                assertThat(silent.await(Envelope::hasKicked).getKicked().getReason()).isEqualTo("idle");
                assertThat(alive.isClosedByServer()).isFalse();
                assertStillServing(alive);
            }
        }
    }

    @Test
    void aMessageCanOnlyBeRecalledWithinTheWindow(@TempDir Path dir) throws Exception {
        TestClock clock = new TestClock();
        try (TestNode node = TestNode.start(dir, Map.of("messaging.recall-window", "1s"), clock)) {
            Account a = node.api.account("recaller");
            Account b = node.api.account("recipient");
            try (NativeClient c = NativeClient.login(node.node().tcpPort(), a.token())) {
                SendAck ack = c.sendText(b.id(), "late", "too late to take back").getSendAck();
                clock.advance(Duration.ofMillis(1_001));
                Envelope late = c.request(Envelope.newBuilder().setRecall(Recall.newBuilder()
                        .setConversationId(ack.getConversationId()).setSeq(ack.getSeq())));
                assertThat(late.getError().getCode()).isEqualTo(5008);
            }
        }
    }

    @Test
    void aServerThatRequiresFriendshipRefusesStrangers(@TempDir Path dir) {
        try (TestNode node = TestNode.start(dir, Map.of("messaging.require-friendship", "true"))) {
            Account a = node.api.account("stranger");
            Account b = node.api.account("unknown");
            try (NativeClient c = NativeClient.login(node.node().tcpPort(), a.token())) {
                assertThat(c.sendText(b.id(), "s-1", "hello?").getError().getCode()).isEqualTo(5004);
            }
        }
    }

    private static void assertStillServing(NativeClient client) {
        Envelope pong = client.request(Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setClientTs(42)));
        assertThat(pong.getHeartbeat().getClientTs()).isEqualTo(42);
        assertThat(pong.getHeartbeat().getServerTs()).isPositive();
    }
}
