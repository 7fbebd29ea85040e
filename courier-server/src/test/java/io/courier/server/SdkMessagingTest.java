package io.courier.server;

import io.courier.client.Backoff;
import io.courier.client.ClientResources;
import io.courier.client.CourierClient;
import io.courier.client.CourierClientBuilder;
import io.courier.client.CourierClientException;
import io.courier.client.Transport;
import io.courier.client.http.CourierHttp;
import io.courier.client.http.Session;
import io.courier.protocol.v1.GroupInfo;
import io.courier.protocol.v1.JoinPolicy;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.SendAck;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.Text;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java SDK against a real server, through a proxy that cuts connections and loses pushes: what
 * it acknowledged is stored once, and its listener gets every message once, in seq order. The login
 * backlog is kept small here so that reconnects also exercise the sync that fills past it.
 */
class SdkMessagingTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension(Map.of("gateway.login-backlog", "5"));
    private static final AtomicInteger USERS = new AtomicInteger();
    private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(200));
    private static ClientResources resources;
    private static CourierHttp http;

    @BeforeAll
    static void start() {
        resources = ClientResources.create(2);
        http = new CourierHttp(URI.create("http://127.0.0.1:" + server.node().httpPort()));
    }

    @AfterAll
    static void stop() {
        http.close();
        resources.close();
    }

    private static Session account(String name) {
        String username = name + USERS.incrementAndGet();
        http.register(username, "secret1", null).join();
        return http.login(username, "secret1", "sdk").join();
    }

    private static CourierClientBuilder client(Session s, SdkRecorder recorder) {
        return CourierClient.builder("127.0.0.1").resources(resources)
                .httpPort(server.node().httpPort()).tcpPort(server.node().tcpPort())
                .tokens(http.tokens(s)).listener(recorder).backoff(FAST);
    }

    private static CourierClientBuilder through(CourierClientBuilder b, Transport transport, ChaosProxy proxy) {
        b.transport(transport);
        return transport == Transport.TCP ? b.tcpPort(proxy.port()) : b.httpPort(proxy.port());
    }

    private static List<Long> seqs(List<Message> messages) {
        return messages.stream().map(Message::getSeq).toList();
    }

    @Test
    void aliceOnTcpAndBobOnWebSocketChatBothWays() {
        Session alice = account("alice");
        Session bob = account("bob");
        SdkRecorder aliceHears = new SdkRecorder();
        SdkRecorder bobHears = new SdkRecorder();
        try (CourierClient a = client(alice, aliceHears).build();
             CourierClient b = client(bob, bobHears).transport(Transport.WEBSOCKET).build()) {
            assertThat(a.connect().join().getUserId()).isEqualTo(alice.userId());
            assertThat(b.connect().join().getUserId()).isEqualTo(bob.userId());

            SendAck ack = a.sendText(bob.userId(), "hello bob").join();
            b.sendText(alice.userId(), "hello alice").join();

            String conversation = CourierClient.privateConversation(alice.userId(), bob.userId());
            assertThat(ack.getConversationId()).isEqualTo(conversation);
            bobHears.await("bob gets alice's message", Duration.ofSeconds(10), r -> r.messages.size() == 1);
            aliceHears.await("alice gets bob's message", Duration.ofSeconds(10), r -> r.messages.size() == 1);
            Message atBob = bobHears.messages.getFirst();
            assertThat(atBob.getContent().getText().getText()).isEqualTo("hello bob");
            assertThat(atBob.getSenderId()).isEqualTo(alice.userId());
            assertThat(atBob.getMessageId()).isEqualTo(ack.getMessageId());
            assertThat(aliceHears.messages.getFirst().getContent().getText().getText()).isEqualTo("hello alice");
            assertThat(aliceHears.messages.getFirst().getSeq()).isEqualTo(2);

            assertThat(b.history(conversation, 0, 10).join().getMessagesList()).extracting(Message::getSeq).containsExactly(2L, 1L);
            b.markRead(conversation, 2).join();
            assertThat(a.sync(Map.of()).join().getConversationsList()).singleElement()
                    .satisfies(c -> assertThat(c.getLastSeq()).isEqualTo(2));
        }
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void sendsAcrossCutConnectionsAreStoredOnceAndArriveOnceInOrder(Transport transport) throws Exception {
        Session alice = account("alice");
        Session bob = account("bob");
        SdkRecorder aliceHears = new SdkRecorder();
        SdkRecorder bobHears = new SdkRecorder();
        int total = 300;
        boolean tcp = transport == Transport.TCP;
        int port = tcp ? server.node().tcpPort() : server.node().httpPort();
        try (ChaosProxy aliceNet = new ChaosProxy(port, tcp);
             ChaosProxy bobNet = new ChaosProxy(port, tcp);
             CourierClient a = through(client(alice, aliceHears), transport, aliceNet).build();
             CourierClient b = through(client(bob, bobHears), transport, bobNet).build()) {
            a.connect().join();
            b.connect().join();

            // Ten bursts; three are cut off while their sends (and bob's pushes) are in flight.
            List<CompletableFuture<SendAck>> sends = new ArrayList<>();
            int cuts = 0;
            for (int burst = 0; burst < 10; burst++) {
                List<CompletableFuture<SendAck>> these = new ArrayList<>();
                for (int i = burst * total / 10; i < (burst + 1) * total / 10; i++) {
                    these.add(a.send(SendMessage.newBuilder().setToUserId(bob.userId()).setClientMsgId("m-" + i)
                            .setContent(Content.newBuilder().setText(Text.newBuilder().setText("message " + i))).build()));
                }
                if (burst == 2 || burst == 5 || burst == 8) {
                    // Bob only receives, so nothing waits for his reconnection after the last cut: wait here,
                    // or a fast round of sends cuts a connection he has not made yet.
                    awaitConnections(bobNet, cuts + 1);
                    aliceNet.cutAll();
                    bobNet.cutAll();
                    cuts++;
                }
                these.forEach(f -> f.orTimeout(60, TimeUnit.SECONDS).join());
                sends.addAll(these);
            }
            List<SendAck> acks = sends.stream().map(CompletableFuture::join).toList();

            // Stored once each, in the order sent: seqs 1..total with one message id each.
            assertThat(acks).extracting(SendAck::getSeq).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
            assertThat(acks.stream().map(SendAck::getMessageId).distinct().count()).isEqualTo(total);
            assertThat(aliceNet.accepted()).isGreaterThanOrEqualTo(4);

            String conversation = acks.getFirst().getConversationId();
            bobHears.await("bob gets every message", Duration.ofSeconds(30), r -> r.messagesOf(conversation).size() >= total);
            // the last burst reached him over the connection he made after the third cut
            assertThat(bobNet.accepted()).isGreaterThanOrEqualTo(4);
            List<Message> got = bobHears.messagesOf(conversation);
            assertThat(seqs(got)).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
            assertThat(got).extracting(Message::getClientMsgId).doesNotHaveDuplicates();
            assertThat(bobHears.disconnects).contains(true);
            // Alice's own messages, even those the server showed her again after a cut, are not news to her.
            assertThat(aliceHears.messages).isEmpty();

            // The server holds exactly what was acknowledged.
            long stored = 0;
            for (long before = 0; ; ) {
                var page = b.history(conversation, before, 200).join();
                stored += page.getMessagesCount();
                if (!page.getHasMore()) {
                    break;
                }
                before = page.getMessagesList().getLast().getSeq();
            }
            assertThat(stored).isEqualTo(total);
        }
    }

    @Test
    void pushesLostOnTheWayArePulledAndHandedOutInOrder() throws Exception {
        Session alice = account("alice");
        Session bob = account("bob");
        SdkRecorder bobHears = new SdkRecorder();
        AtomicInteger lost = new AtomicInteger();
        try (ChaosProxy bobNet = new ChaosProxy(server.node().tcpPort(), true);
             CourierClient a = client(alice, new SdkRecorder()).build();
             CourierClient b = client(bob, bobHears).tcpPort(bobNet.port()).build()) {
            a.connect().join();
            b.connect().join();
            bobNet.lose(e -> {
                boolean drop = e.hasMessage() && e.getMessage().getSeq() >= 2 && e.getMessage().getSeq() <= 4;
                if (drop) {
                    lost.incrementAndGet();
                }
                return drop;
            });
            for (int i = 1; i <= 6; i++) {
                a.sendText(bob.userId(), "n" + i).join();
            }
            bobHears.await("six messages", Duration.ofSeconds(10), r -> r.messages.size() >= 6);
            assertThat(lost.get()).isEqualTo(3);
            assertThat(seqs(bobHears.messages)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(bobHears.messages).extracting(m -> m.getContent().getText().getText())
                    .containsExactly("n1", "n2", "n3", "n4", "n5", "n6");
            assertThat(bobNet.accepted()).isEqualTo(1); // filled by a pull, not by a reconnect
        }
    }

    @Test
    void aReturningDeviceGetsWhatItMissedBeyondTheLoginBacklogInOrder() {
        Session alice = account("alice");
        Session bob = account("bob");
        String conversation = CourierClient.privateConversation(alice.userId(), bob.userId());
        try (CourierClient a = client(alice, new SdkRecorder()).build()) {
            a.connect().join();
            a.sendText(bob.userId(), "before").join();
            SdkRecorder first = new SdkRecorder();
            try (CourierClient b = client(bob, first).build()) {
                b.connect().join();
                first.await("the first message", Duration.ofSeconds(10), r -> r.messages.size() == 1);
            }
            for (int i = 0; i < 20; i++) {
                a.sendText(bob.userId(), "while away " + i).join();
            }
            // A new client of the same device: the server sends 5 (the backlog limit), a pull the rest.
            SdkRecorder back = new SdkRecorder();
            try (CourierClient b = client(bob, back).build()) {
                b.connect().join();
                back.await("the 20 missed messages", Duration.ofSeconds(10), r -> r.messagesOf(conversation).size() >= 20);
                assertThat(seqs(back.messagesOf(conversation))).containsExactlyElementsOf(LongStream.rangeClosed(2, 21).boxed().toList());
            }
        }
    }

    @Test
    void conversationsTheCappedBacklogDidNotReachArePulledFromTheDeliveredCursor() {
        Session bob = account("bob");
        List<Session> friends = List.of(account("carol"), account("dave"), account("erin"));
        for (Session friend : friends) {
            try (CourierClient c = client(friend, new SdkRecorder()).build()) {
                c.connect().join();
                for (int i = 0; i < 4; i++) {
                    c.sendText(bob.userId(), friend.username() + " " + i).join();
                }
            }
        }
        // 12 messages in 3 conversations; the login backlog stops at 5, so one conversation gets none of it.
        SdkRecorder back = new SdkRecorder();
        try (CourierClient b = client(bob, back).build()) {
            b.connect().join();
            back.await("all 12 messages", Duration.ofSeconds(10), r -> r.messages.size() >= 12);
            for (Session friend : friends) {
                String conversation = CourierClient.privateConversation(bob.userId(), friend.userId());
                assertThat(seqs(back.messagesOf(conversation))).containsExactly(1L, 2L, 3L, 4L);
            }
            assertThat(back.messages).hasSize(12);
        }
    }

    @Test
    void aClientKeepsRetryingWhileTheServerIsUnreachableAndSendsWhatWasQueued() throws Exception {
        Session alice = account("alice");
        Session bob = account("bob");
        SdkRecorder aliceSide = new SdkRecorder();
        SdkRecorder bobHears = new SdkRecorder();
        try (ChaosProxy aliceNet = new ChaosProxy(server.node().tcpPort(), true);
             CourierClient a = client(alice, aliceSide).tcpPort(aliceNet.port()).build();
             CourierClient b = client(bob, bobHears).build()) {
            a.connect().join();
            b.connect().join();
            aliceNet.refuse(true);
            aliceNet.cutAll();
            aliceSide.await("the disconnect", Duration.ofSeconds(5), r -> r.disconnects.contains(true));
            CompletableFuture<SendAck> queued = a.sendText(bob.userId(), "sent while down");
            awaitConnections(aliceNet, aliceNet.accepted() + 3); // reconnect attempts while refused
            assertThat(queued).isNotDone();
            assertThat(a.isConnected()).isFalse();

            aliceNet.refuse(false);
            assertThat(queued.get(10, TimeUnit.SECONDS).getSeq()).isEqualTo(1);
            bobHears.await("the queued message", Duration.ofSeconds(10), r -> r.messages.size() == 1);
            assertThat(aliceSide.logins).hasSizeGreaterThanOrEqualTo(2);
            assertThat(a.isConnected()).isTrue();
        }
    }

    @Test
    void aNewerLoginOfTheSameDeviceEndsTheClientForGood() {
        Session alice = account("alice");
        SdkRecorder heard = new SdkRecorder();
        try (CourierClient a = client(alice, heard).build()) {
            a.connect().join();
            http.login(alice.username(), "secret1", "sdk").join();
            heard.await("the kick", Duration.ofSeconds(10), r -> r.disconnects.contains(false));
            assertThat(heard.kicks).isNotEmpty();
            assertThat(a.isConnected()).isFalse();
            assertThatThrownBy(() -> a.sendText(alice.userId(), "after").join())
                    .hasCauseInstanceOf(io.courier.client.NotConnectedException.class);
        }
    }

    @Test
    void aListenerMayWaitForTheAnswerToARequestItMakes() throws Exception {
        Session alice = account("alice");
        Session bob = account("bob");
        java.util.concurrent.atomic.AtomicReference<CourierClient> bobClient = new java.util.concurrent.atomic.AtomicReference<>();
        List<String> readAcks = new java.util.concurrent.CopyOnWriteArrayList<>();
        SdkRecorder bobHears = new SdkRecorder() {
            @Override
            public void onMessage(Message message) {
                try {
                    bobClient.get().markRead(message.getConversationId(), message.getSeq()).get(5, TimeUnit.SECONDS);
                    readAcks.add("read " + message.getSeq());
                } catch (Exception e) {
                    readAcks.add("failed " + e);
                }
                super.onMessage(message);
            }
        };
        try (CourierClient a = client(alice, new SdkRecorder()).build();
             CourierClient b = client(bob, bobHears).build()) {
            bobClient.set(b);
            a.connect().join();
            b.connect().join();
            a.sendText(bob.userId(), "one").join();
            a.sendText(bob.userId(), "two").join();
            bobHears.await("both messages", Duration.ofSeconds(15), r -> r.messages.size() == 2);
            assertThat(readAcks).containsExactly("read 1", "read 2");
        }
    }

    @Test
    void connectDuringAReconnectWaitsForTheNewLogin() throws Exception {
        Session alice = account("alice");
        SdkRecorder heard = new SdkRecorder();
        try (ChaosProxy net = new ChaosProxy(server.node().tcpPort(), true);
             CourierClient a = client(alice, heard).tcpPort(net.port()).build()) {
            long first = a.connect().join().getServerTs();
            net.refuse(true);
            net.cutAll();
            heard.await("the disconnect", Duration.ofSeconds(5), r -> r.disconnects.contains(true));
            CompletableFuture<io.courier.protocol.v1.LoginOk> again = a.connect();
            awaitConnections(net, net.accepted() + 2); // two attempts refused since
            assertThat(again).isNotDone();
            net.refuse(false);
            assertThat(again.get(10, TimeUnit.SECONDS).getServerTs()).isGreaterThanOrEqualTo(first);
            assertThat(heard.logins).hasSize(2);
        }
    }

    @Test
    void aFirstConnectGivesUpAtOnceByDefaultOrAfterItsAttempts() throws Exception {
        Session alice = account("alice");
        try (ChaosProxy net = new ChaosProxy(server.node().tcpPort(), true)) {
            net.refuse(true);
            try (CourierClient once = client(alice, new SdkRecorder()).tcpPort(net.port()).build()) {
                assertThatThrownBy(() -> once.connect().join()).hasCauseInstanceOf(io.courier.client.NotConnectedException.class);
            }
            int before = net.accepted();
            try (CourierClient patient = client(alice, new SdkRecorder()).tcpPort(net.port()).connectAttempts(3).build()) {
                assertThatThrownBy(() -> patient.connect().join()).hasCauseInstanceOf(io.courier.client.NotConnectedException.class);
                assertThat(net.accepted() - before).isEqualTo(3);
                net.refuse(false);
                assertThat(patient.connect().get(10, TimeUnit.SECONDS).getUserId()).isEqualTo(alice.userId());
            }
        }
    }

    @Test
    void refusedRequestsFailWithTheServersErrorCode() {
        Session alice = account("alice");
        try (CourierClient a = client(alice, new SdkRecorder()).build()) {
            a.connect().join();
            assertThatThrownBy(() -> a.sendText(987_654_321L, "nobody").join())
                    .cause().isInstanceOfSatisfying(CourierClientException.class,
                            e -> assertThat(e.name()).isEqualTo("USER_NOT_FOUND"));
            assertThatThrownBy(() -> a.pull("p:1:not-a-number", 0, 10).join())
                    .cause().isInstanceOf(CourierClientException.class);
            assertThat(a.sendText(alice.userId() == 1 ? 2 : 1, "").handle((ack, e) -> e).join())
                    .isInstanceOf(CourierClientException.class);
            assertThat(a.isConnected()).isTrue();
        }
    }

    @Test
    void groupsThroughTheSdk() {
        Session alice = account("alice");
        Session bob = account("bob");
        SdkRecorder bobHears = new SdkRecorder();
        try (CourierClient a = client(alice, new SdkRecorder()).build();
             CourierClient b = client(bob, bobHears).transport(Transport.WEBSOCKET).build()) {
            a.connect().join();
            b.connect().join();
            GroupInfo group = a.groups().create("Book club", "novels", JoinPolicy.OPEN, List.of()).join();
            b.groups().join(group.getGroupId(), "hi").join();
            assertThat(a.groups().members(group.getGroupId(), 0, 10).join().getTotal()).isEqualTo(2);
            SendAck ack = a.sendGroupText(group.getGroupId(), "first chapter").join();
            bobHears.await("the group message", Duration.ofSeconds(10), r -> r.messages.stream()
                    .anyMatch(m -> m.getSeq() == ack.getSeq() && m.getContent().hasText()));
            assertThat(b.groups().mine().join()).extracting(GroupInfo::getGroupId).contains(group.getGroupId());
            assertThat(a.groups().readState(group.getGroupId(), ack.getSeq()).join().getUnreadCount()).isEqualTo(1);
        }
    }

    private static void awaitConnections(ChaosProxy proxy, int atLeast) {
        Awaitility.await("connection " + atLeast + " through the proxy").atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5)).until(() -> proxy.accepted() >= atLeast);
    }
}
