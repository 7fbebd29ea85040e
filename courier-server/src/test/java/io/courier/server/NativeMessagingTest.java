package io.courier.server;

import io.courier.protocol.v1.Delivered;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.HistoryRequest;
import io.courier.protocol.v1.MarkRead;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.PresenceQuery;
import io.courier.protocol.v1.PullRequest;
import io.courier.protocol.v1.Recall;
import io.courier.protocol.v1.SyncRequest;
import io.courier.protocol.v1.Typing;
import io.courier.server.HttpApi.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** 1:1 messaging over the native TCP protocol against a real node. */
class NativeMessagingTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    private static int port() {
        return server.node().tcpPort();
    }

    /** Logs a user in on a named device over HTTP, then over TCP. */
    private static NativeClient device(String username, String deviceId) {
        String token = server.api.login(username, "password-" + username, deviceId).get("token").asText();
        return NativeClient.login(port(), token);
    }

    @Test
    void aliceAndBobChatBothWays() {
        Account alice = server.api.account("alice");
        Account bob = server.api.account("bob");
        try (NativeClient a = NativeClient.login(port(), alice.token()); NativeClient b = NativeClient.login(port(), bob.token())) {
            Envelope ack = a.sendText(bob.id(), "a-1", "Hello Bob");
            assertThat(ack.hasSendAck()).as(ack.toString()).isTrue();
            assertThat(ack.getSendAck().getSeq()).isEqualTo(1);
            assertThat(ack.getSendAck().getConversationId()).isEqualTo("p:" + alice.id() + ":" + bob.id());

            Message got = b.await(Envelope::hasMessage).getMessage();
            assertThat(got.getContent().getText().getText()).isEqualTo("Hello Bob");
            assertThat(got.getSenderId()).isEqualTo(alice.id());
            assertThat(got.getMessageId()).isEqualTo(ack.getSendAck().getMessageId());
            assertThat(got.getClientMsgId()).isEqualTo("a-1");

            Envelope reply = b.sendText(alice.id(), "b-1", "Hi Alice");
            assertThat(reply.getSendAck().getSeq()).isEqualTo(2);
            Message back = a.await(Envelope::hasMessage).getMessage();
            assertThat(back.getContent().getText().getText()).isEqualTo("Hi Alice");
            assertThat(back.getSenderId()).isEqualTo(bob.id());
        }
    }

    @Test
    void everyDeviceOfBothUsersSeesEveryMessage() {
        Account carol = server.api.account("carol");
        Account dave = server.api.account("dave");
        try (NativeClient c1 = device("carol", "c-phone"); NativeClient c2 = device("carol", "c-laptop");
             NativeClient d1 = device("dave", "d-phone"); NativeClient d2 = device("dave", "d-laptop");
             NativeClient d3 = device("dave", "d-tablet")) {
            Envelope ack = c1.sendText(dave.id(), "c-1", "to all of you");
            long id = ack.getSendAck().getMessageId();
            for (NativeClient d : List.of(d1, d2, d3, c2)) {
                assertThat(d.await(Envelope::hasMessage).getMessage().getMessageId()).isEqualTo(id);
            }
            // the sending device has its ack, not a push
            assertThat(c1.drainMessages(Duration.ofMillis(300))).isEmpty();
            long reply = d2.sendText(carol.id(), "d-1", "back").getSendAck().getMessageId();
            for (NativeClient d : List.of(c1, c2, d1, d3)) {
                assertThat(d.await(e -> e.hasMessage() && e.getMessage().getMessageId() == reply)).isNotNull();
            }
        }
    }

    @Test
    void offlineMessagesArriveRightAfterLoginWithoutAsking() {
        Account erin = server.api.account("erin");
        Account fred = server.api.account("fred");
        try (NativeClient e = NativeClient.login(port(), erin.token())) {
            for (int i = 1; i <= 5; i++) {
                e.sendText(fred.id(), "e-" + i, "while you were away " + i);
            }
        }
        try (NativeClient f = NativeClient.login(port(), fred.token())) {
            List<Envelope> got = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                got.add(f.await(Envelope::hasMessage));
            }
            assertThat(got).extracting(m -> m.getMessage().getSeq()).containsExactly(1L, 2L, 3L, 4L, 5L);
            assertThat(got.get(4).getMessage().getContent().getText().getText()).isEqualTo("while you were away 5");
            // acknowledged: a later login of the same device gets nothing again
            f.request(Envelope.newBuilder().setDelivered(Delivered.newBuilder()
                    .setConversationId(got.get(0).getMessage().getConversationId()).setSeq(5)));
        }
        try (NativeClient again = NativeClient.login(port(), fred.token())) {
            assertThat(again.drainMessages(Duration.ofMillis(400))).isEmpty();
        }
    }

    @Test
    void aRetryWithTheSameClientMessageIdGetsTheSameAckAndStoresOneMessage() {
        Account gina = server.api.account("gina");
        Account hank = server.api.account("hank");
        try (NativeClient g = NativeClient.login(port(), gina.token())) {
            Envelope first = g.sendText(hank.id(), "retry-me", "only once");
            Envelope second = g.sendText(hank.id(), "retry-me", "only once");
            assertThat(second.getSendAck().getMessageId()).isEqualTo(first.getSendAck().getMessageId());
            assertThat(second.getSendAck().getSeq()).isEqualTo(first.getSendAck().getSeq());
            assertThat(second.getSendAck().getServerTs()).isEqualTo(first.getSendAck().getServerTs());
            assertThat(second.getSendAck().getConversationId()).isEqualTo(first.getSendAck().getConversationId());
            assertThat(second.getSendAck().getDuplicate()).isTrue();
            assertThat(first.getSendAck().getDuplicate()).isFalse();
        }
        HttpApi.Reply history = server.api.get("/api/messages/private/" + hank.id(), gina.token());
        assertThat(history.data().get("messages")).hasSize(1);
    }

    @Test
    void tenSendersTimesAThousandMessagesArriveCompleteInOrderWithoutDuplicates() throws Exception {
        Account target = server.api.account("target");
        List<Account> senders = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            senders.add(server.api.account("sender" + s));
        }
        try (NativeClient t = NativeClient.login(port(), target.token())) {
            List<Thread> threads = new ArrayList<>();
            for (Account sender : senders) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try (NativeClient c = NativeClient.login(port(), sender.token())) {
                        // pipelined: all sends first, then all acks
                        List<Long> ids = new ArrayList<>();
                        for (int i = 0; i < 1000; i++) {
                            long id = c.nextRequestId();
                            ids.add(id);
                            c.write(Envelope.newBuilder().setRequestId(id).setSend(io.courier.protocol.v1.SendMessage.newBuilder()
                                    .setToUserId(target.id()).setClientMsgId(sender.username() + "-" + i)
                                    .setContent(io.courier.protocol.v1.Content.newBuilder()
                                            .setText(io.courier.protocol.v1.Text.newBuilder().setText("m" + i)))).build());
                        }
                        for (long id : ids) {
                            Envelope ack = c.await(e -> e.getRequestId() == id, Duration.ofSeconds(60));
                            if (!ack.hasSendAck()) {
                                throw new AssertionError("send failed: " + ack);
                            }
                        }
                    }
                }));
            }
            Map<String, List<Long>> seqs = new HashMap<>();
            Set<Long> messageIds = new HashSet<>();
            for (int n = 0; n < 10_000; n++) {
                Message m = t.await(Envelope::hasMessage, Duration.ofSeconds(60)).getMessage();
                seqs.computeIfAbsent(m.getConversationId(), k -> new ArrayList<>()).add(m.getSeq());
                assertThat(messageIds.add(m.getMessageId())).as("no message twice").isTrue();
                // each sender's i-th message has seq i+1: sent in order, stored in order
                assertThat(m.getContent().getText().getText()).isEqualTo("m" + (m.getSeq() - 1));
            }
            for (Thread th : threads) {
                th.join();
            }
            assertThat(seqs).hasSize(10);
            List<Long> expected = java.util.stream.LongStream.rangeClosed(1, 1000).boxed().toList();
            seqs.values().forEach(list -> assertThat(list).isEqualTo(expected));
            assertThat(t.drainMessages(Duration.ofMillis(300))).as("nothing extra").isEmpty();
        }
    }

    @Test
    void readReceiptsAndTypingReachTheOtherSide() {
        Account ivy = server.api.account("ivy");
        Account jack = server.api.account("jack");
        try (NativeClient i = NativeClient.login(port(), ivy.token()); NativeClient j = NativeClient.login(port(), jack.token())) {
            i.request(Envelope.newBuilder().setTyping(Typing.newBuilder().setToUserId(jack.id()).setTyping(true)));
            Typing typing = j.await(Envelope::hasTyping).getTyping();
            assertThat(typing.getFromUserId()).isEqualTo(ivy.id());
            assertThat(typing.getTyping()).isTrue();

            Envelope ack = i.sendText(jack.id(), "i-1", "read me");
            String conversation = ack.getSendAck().getConversationId();
            j.await(Envelope::hasMessage);
            Envelope sync = j.request(Envelope.newBuilder().setSync(SyncRequest.getDefaultInstance()));
            assertThat(sync.getSyncResult().getConversationsList()).anySatisfy(c -> {
                assertThat(c.getConversationId()).isEqualTo(conversation);
                assertThat(c.getUnread()).isEqualTo(1);
                assertThat(c.getPeerUserId()).isEqualTo(ivy.id());
                assertThat(c.getLastMessage().getContent().getText().getText()).isEqualTo("read me");
            });

            assertThat(j.request(Envelope.newBuilder().setRead(MarkRead.newBuilder().setConversationId(conversation).setSeq(1))).hasOk())
                    .isTrue();
            var receipt = i.await(Envelope::hasReadReceipt).getReadReceipt();
            assertThat(receipt.getReaderId()).isEqualTo(jack.id());
            assertThat(receipt.getSeq()).isEqualTo(1);
            assertThat(receipt.getConversationId()).isEqualTo(conversation);
            Envelope after = j.request(Envelope.newBuilder().setSync(SyncRequest.getDefaultInstance()));
            assertThat(after.getSyncResult().getConversationsList())
                    .filteredOn(c -> c.getConversationId().equals(conversation)).singleElement()
                    .satisfies(c -> assertThat(c.getUnread()).isZero());
        }
    }

    @Test
    void aSenderRecallsAMessageAndEveryoneIsTold() {
        Account kate = server.api.account("kate");
        Account liam = server.api.account("liam");
        try (NativeClient k = NativeClient.login(port(), kate.token()); NativeClient l = NativeClient.login(port(), liam.token())) {
            Envelope ack = k.sendText(liam.id(), "k-1", "oops");
            String conversation = ack.getSendAck().getConversationId();
            l.await(Envelope::hasMessage);

            Envelope notYours = l.request(Envelope.newBuilder().setRecall(Recall.newBuilder().setConversationId(conversation).setSeq(1)));
            assertThat(notYours.getError().getCode()).isEqualTo(5007);

            Envelope recalled = k.request(Envelope.newBuilder().setRecall(Recall.newBuilder().setConversationId(conversation).setSeq(1)));
            assertThat(recalled.getRecalled().getMessageId()).isEqualTo(ack.getSendAck().getMessageId());
            assertThat(l.await(Envelope::hasRecalled).getRecalled().getSeq()).isEqualTo(1);

            Envelope history = k.request(Envelope.newBuilder().setHistory(HistoryRequest.newBuilder().setConversationId(conversation)));
            Message m = history.getMessages().getMessages(0);
            assertThat(m.getRecalled()).isTrue();
            assertThat(m.hasContent()).isFalse();
        }
        HttpApi.Reply http = server.api.get("/api/messages/private/" + liam.id(), kate.token());
        assertThat(http.data().get("messages").get(0).get("revoked").asBoolean()).isTrue();
    }

    @Test
    void historyPagesBackwardsAndPullPagesForwards() {
        Account mona = server.api.account("mona");
        Account ned = server.api.account("ned");
        String conversation;
        try (NativeClient m = NativeClient.login(port(), mona.token())) {
            conversation = m.sendText(ned.id(), "h-1", "message 1").getSendAck().getConversationId();
            for (int i = 2; i <= 25; i++) {
                m.sendText(ned.id(), "h-" + i, "message " + i);
            }
            Envelope page1 = m.request(Envelope.newBuilder().setHistory(HistoryRequest.newBuilder().setConversationId(conversation).setLimit(10)));
            assertThat(page1.getMessages().getMessagesList()).extracting(Message::getSeq).containsExactly(25L, 24L, 23L, 22L, 21L, 20L, 19L, 18L, 17L, 16L);
            assertThat(page1.getMessages().getHasMore()).isTrue();
            Envelope page3 = m.request(Envelope.newBuilder().setHistory(HistoryRequest.newBuilder().setConversationId(conversation)
                    .setBeforeSeq(6).setLimit(10)));
            assertThat(page3.getMessages().getMessagesList()).extracting(Message::getSeq).containsExactly(5L, 4L, 3L, 2L, 1L);
            assertThat(page3.getMessages().getHasMore()).isFalse();
            Envelope pulled = m.request(Envelope.newBuilder().setPull(PullRequest.newBuilder().setConversationId(conversation)
                    .setAfterSeq(20)));
            assertThat(pulled.getMessages().getMessagesList()).extracting(Message::getSeq).containsExactly(21L, 22L, 23L, 24L, 25L);
        }
        HttpApi.Reply http = server.api.get("/api/messages/private/" + mona.id() + "?limit=10&last_seq=16", ned.token());
        assertThat(http.data().get("messages").findValuesAsText("seq")).containsExactly("15", "14", "13", "12", "11", "10", "9", "8", "7", "6");
        assertThat(http.data().get("has_more").asBoolean()).isTrue();
        HttpApi.Reply list = server.api.get("/api/conversations", ned.token());
        assertThat(list.data().get("conversations").get(0).get("unread").asInt()).isEqualTo(25);
        assertThat(list.data().get("conversations").get(0).get("peer_user_id").asLong()).isEqualTo(mona.id());
    }

    @Test
    void aSecondLoginOnTheSameDeviceKicksTheFirstWithAFrameItReceives() throws Exception {
        Account olga = server.api.account("olga");
        try (NativeClient first = NativeClient.login(port(), olga.token())) {
            try (NativeClient second = NativeClient.login(port(), olga.token())) {
                Envelope kicked = first.await(Envelope::hasKicked);
                assertThat(kicked.getKicked().getReason()).isEqualTo("replaced");
                assertThat(first.awaitClosedByServer(Duration.ofSeconds(5))).isTrue();
                assertThat(second.request(Envelope.newBuilder().setSync(SyncRequest.getDefaultInstance())).hasSyncResult()).isTrue();
            }
        }
    }

    @Test
    void presenceIsPushedToFriendsAndQueryable() {
        Account pia = server.api.account("pia");
        Account quin = server.api.account("quin");
        long request = server.api.post("/api/friends/requests", obj("user_id", quin.id()), pia.token()).data().get("request_id").asLong();
        server.api.post("/api/friends/requests/" + request + "/accept", null, quin.token());
        try (NativeClient p = NativeClient.login(port(), pia.token())) {
            try (NativeClient q = NativeClient.login(port(), quin.token())) {
                var change = p.await(e -> e.hasPresence() && e.getPresence().getUserId() == quin.id()).getPresence();
                assertThat(change.getOnline()).isTrue();
                var list = p.request(Envelope.newBuilder().setPresenceQuery(PresenceQuery.newBuilder().addUserIds(quin.id())));
                assertThat(list.getPresenceList().getUsers(0).getOnline()).isTrue();
                assertThat(server.api.get("/api/friends", pia.token()).data().get("friends").get(0).get("online").asBoolean()).isTrue();
            }
            var gone = p.await(e -> e.hasPresence() && e.getPresence().getUserId() == quin.id() && !e.getPresence().getOnline());
            assertThat(gone.getPresence().getLastSeen()).isPositive();
        }
    }

    @Test
    void logoutClosesThatDevicesLiveConnectionAndAPasswordChangeClosesThemAll() throws Exception {
        Account rita = server.api.account("rita");
        try (NativeClient phone = device("rita", "r-phone"); NativeClient laptop = device("rita", "r-laptop")) {
            String phoneToken = server.api.login("rita", "password-rita", "r-phone").get("token").asText();
            // that login replaced the phone's session: its live connection goes too
            assertThat(phone.await(Envelope::hasKicked).getKicked().getReason()).isEqualTo("replaced");
            try (NativeClient phone2 = NativeClient.login(port(), phoneToken)) {
                server.api.post("/api/user/logout", null, phoneToken);
                assertThat(phone2.await(Envelope::hasKicked).getKicked().getReason()).isEqualTo("logout");
                assertThat(phone2.awaitClosedByServer(Duration.ofSeconds(5))).isTrue();
                assertThat(laptop.request(Envelope.newBuilder().setSync(SyncRequest.getDefaultInstance())).hasSyncResult()).isTrue();

                String laptopToken = server.api.login("rita", "password-rita", "r-other").get("token").asText();
                server.api.post("/api/user/change-password", obj("old_password", "password-rita", "new_password", "changed-1"),
                        laptopToken);
                assertThat(laptop.await(Envelope::hasKicked).getKicked().getReason()).isEqualTo("password_changed");
                assertThat(laptop.awaitClosedByServer(Duration.ofSeconds(5))).isTrue();
            }
        }
        assertThat(rita.id()).isPositive();
    }

    @Test
    void presenceIsOnlyVisibleToFriendsWhoAreNotBlocked() {
        Account sam = server.api.account("sam");
        Account tess = server.api.account("tess");
        Account uma = server.api.account("uma");
        long request = server.api.post("/api/friends/requests", obj("user_id", tess.id()), sam.token()).data().get("request_id").asLong();
        server.api.post("/api/friends/requests/" + request + "/accept", null, tess.token());
        try (NativeClient t = NativeClient.login(port(), tess.token()); NativeClient s = NativeClient.login(port(), sam.token());
             NativeClient u = NativeClient.login(port(), uma.token())) {
            var friendView = s.request(Envelope.newBuilder().setPresenceQuery(PresenceQuery.newBuilder().addUserIds(tess.id())));
            assertThat(friendView.getPresenceList().getUsers(0).getOnline()).isTrue();
            var strangerView = u.request(Envelope.newBuilder().setPresenceQuery(PresenceQuery.newBuilder().addUserIds(tess.id())));
            assertThat(strangerView.getPresenceList().getUsers(0).getOnline()).isFalse();
            assertThat(strangerView.getPresenceList().getUsers(0).getLastSeen()).isZero();

            server.api.put("/api/blocks/" + sam.id(), null, tess.token());
            var blockedView = s.request(Envelope.newBuilder().setPresenceQuery(PresenceQuery.newBuilder().addUserIds(tess.id())));
            assertThat(blockedView.getPresenceList().getUsers(0).getOnline()).isFalse();
        }
    }
}
