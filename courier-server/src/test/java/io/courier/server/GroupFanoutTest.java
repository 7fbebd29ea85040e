package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.ConversationState;
import io.courier.protocol.v1.Delivered;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.GroupCommand;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.ReadState;
import io.courier.protocol.v1.ReadStateResult;
import io.courier.protocol.v1.SendAck;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.Text;
import io.courier.server.HttpApi.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.LongStream;

import static io.courier.protocol.v1.GroupEvent.Type.CREATED;
import static io.courier.server.GroupKit.conversation;
import static io.courier.server.GroupKit.create;
import static io.courier.server.GroupKit.history;
import static io.courier.server.GroupKit.httpConversation;
import static io.courier.server.GroupKit.okHttp;
import static io.courier.server.GroupKit.sent;
import static io.courier.server.GroupKit.synced;
import static org.assertj.core.api.Assertions.assertThat;

/** Delivery of group messages: a 500-member group over 500 live connections, and members who were offline. */
class GroupFanoutTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    private static final int GROUP_SIZE = 500;
    private static final int SENDERS = 3;
    private static final int PER_SENDER = 20;

    private static NativeClient login(Account a) {
        return GroupKit.online(server.node().tcpPort(), a.token());
    }

    private static <T> List<T> inParallel(ExecutorService pool, int n, IntFunction<T> task) throws Exception {
        List<Future<T>> futures = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = i;
            futures.add(pool.submit(() -> task.apply(k)));
        }
        List<T> out = new ArrayList<>(n);
        for (Future<T> f : futures) {
            out.add(f.get(60, TimeUnit.SECONDS));
        }
        return out;
    }

    @Test
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void everyOneOfFiveHundredOnlineMembersReceivesEveryMessageExactlyOnceInSeqOrder() throws Exception {
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        Queue<NativeClient> opened = new ConcurrentLinkedQueue<>();
        try {
            List<Account> users = inParallel(pool, GROUP_SIZE, i -> server.api.account("crowd" + i));
            Account owner = users.getFirst();
            long id = create(server.api, owner, "open", users.subList(1, GROUP_SIZE).toArray(Account[]::new));
            assertThat(okHttp(server.api.get("/api/groups/" + id, owner.token())).get("member_count").asInt()).isEqualTo(GROUP_SIZE);
            long registered = System.nanoTime();

            List<NativeClient> clients = inParallel(pool, GROUP_SIZE, i -> {
                NativeClient c = login(users.get(i));
                opened.add(c);
                return c;
            });
            long connected = System.nanoTime();

            // three members send twenty messages each, all at once, pipelined on their connections
            int[] senders = {1, GROUP_SIZE / 2, GROUP_SIZE - 1};
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<SendAck>>> sending = new ArrayList<>();
            for (int s : senders) {
                NativeClient c = clients.get(s);
                String name = users.get(s).username();
                sending.add(pool.submit(() -> {
                    go.await();
                    List<Long> requests = new ArrayList<>();
                    for (int i = 0; i < PER_SENDER; i++) {
                        long request = c.nextRequestId();
                        requests.add(request);
                        c.write(Envelope.newBuilder().setRequestId(request).setSend(SendMessage.newBuilder().setToGroupId(id)
                                .setClientMsgId(name + "-" + i).setContent(Content.newBuilder()
                                        .setText(Text.newBuilder().setText(name + " says " + i)))).build());
                    }
                    List<SendAck> acks = new ArrayList<>();
                    for (long request : requests) {
                        Envelope answer = c.await(e -> e.getRequestId() == request, Duration.ofSeconds(30));
                        if (!answer.hasSendAck()) {
                            throw new AssertionError("send failed: " + answer);
                        }
                        acks.add(answer.getSendAck());
                    }
                    return acks;
                }));
            }
            go.countDown();
            Map<Long, Long> senderOf = new HashMap<>();
            Set<Long> seqs = new HashSet<>();
            int lastSender = -1; // the member whose message has the highest seq
            long total = (long) SENDERS * PER_SENDER;
            for (int k = 0; k < SENDERS; k++) {
                List<SendAck> acks = sending.get(k).get(60, TimeUnit.SECONDS);
                assertThat(acks).extracting(SendAck::getSeq).as("a connection's sends keep their order").isSorted();
                for (SendAck ack : acks) {
                    if (ack.getSeq() == total + 1) {
                        lastSender = senders[k];
                    }
                    assertThat(senderOf.put(ack.getMessageId(), users.get(senders[k]).id())).as("message ids are unique").isNull();
                    assertThat(seqs.add(ack.getSeq())).isTrue();
                    assertThat(ack.getConversationId()).isEqualTo(conversation(id));
                    assertThat(ack.getDuplicate()).isFalse();
                }
            }
            assertThat(seqs).as("seqs 2.. after the CREATED event, without gaps")
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(2, total + 1).boxed().toList());
            long sentAll = System.nanoTime();

            // every member: each message exactly once, a sender's own only as its ack, seqs strictly increasing
            inParallel(pool, GROUP_SIZE, i -> {
                NativeClient c = clients.get(i);
                long me = users.get(i).id();
                Set<Long> expected = new HashSet<>();
                senderOf.forEach((message, sender) -> {
                    if (sender != me) {
                        expected.add(message);
                    }
                });
                Set<Long> got = new HashSet<>();
                List<Long> arrival = new ArrayList<>();
                while (got.size() < expected.size()) {
                    Message m = c.await(Envelope::hasMessage, Duration.ofSeconds(30)).getMessage();
                    assertThat(m.getConversationId()).isEqualTo(conversation(id));
                    arrival.add(m.getSeq());
                    if (m.getContent().hasText()) {
                        assertThat(m.getSenderId()).as("member %d got its own message pushed", i).isNotEqualTo(me);
                        assertThat(got.add(m.getMessageId())).as("member %d got message %d twice", i, m.getMessageId()).isTrue();
                    } else {
                        assertThat(m.getContent().getEvent().getType()).isEqualTo(CREATED);
                    }
                }
                assertThat(got).as("member %d", i).isEqualTo(expected);
                assertThat(arrival.getFirst()).as("the login backlog (CREATED) comes first").isEqualTo(1);
                for (int k = 1; k < arrival.size(); k++) {
                    assertThat(arrival.get(k)).as("member %d: seqs in arrival order %s", i, arrival).isGreaterThan(arrival.get(k - 1));
                }
                return null;
            });
            long delivered = System.nanoTime();
            // and nothing more: no duplicate arrives late. A connection's pushes keep seq order, so a
            // late copy of any message would come before one more message from the last sender (who
            // thereby stays the only sender to have read past the last seq).
            int marker = lastSender;
            long end = GroupKit.sendText(clients.get(marker), id, "that is all").getSendAck().getSeq();
            inParallel(pool, GROUP_SIZE, i -> {
                if (i != marker) {
                    Message next = clients.get(i).await(Envelope::hasMessage, Duration.ofSeconds(30)).getMessage();
                    assertThat(next.getSeq()).as("member %d got more than it should: %s", i, next).isEqualTo(end);
                }
                return null;
            });

            // read state at the size where readers are still named: ten members read the last message
            long lastSeq = total + 1;
            Set<Long> senderIds = new HashSet<>(senderOf.values());
            List<Long> readers = new ArrayList<>();
            for (int i = 10; readers.size() < 10; i++) {
                if (!senderIds.contains(users.get(i).id())) {
                    assertThat(GroupKit.markRead(clients.get(i), id, lastSeq).hasOk()).isTrue();
                    readers.add(users.get(i).id());
                }
            }
            ReadStateResult state = GroupKit.ok(clients.getFirst(), id, GroupCommand.newBuilder()
                    .setReadState(ReadState.newBuilder().setSeq(lastSeq))).getReadState();
            assertThat(state.getReadCount()).isEqualTo(10);
            assertThat(state.getUnreadCount()).as("everyone but the sender and the readers").isEqualTo(GROUP_SIZE - 1 - 10);
            assertThat(state.getReadUserIdsList()).containsExactlyInAnyOrderElementsOf(readers);

            System.out.printf("500-member group: accounts and group %d ms, 500 logins %d ms, 60 sends acked %d ms, "
                            + "all delivered %d ms, total %d ms%n",
                    ms(registered - started), ms(connected - registered), ms(sentAll - connected), ms(delivered - sentAll),
                    ms(System.nanoTime() - started));
        } finally {
            opened.forEach(NativeClient::close);
            pool.shutdownNow();
        }
    }

    /**
     * A device that logs in while the group is busy: its login backlog and the live pushes meet, and
     * each message must still arrive once. Repeated logins of the member fanned out to last (highest
     * user id), while another member streams messages to a group with many live connections.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aDeviceLoggingInWhileTheGroupIsBusyGetsEachMessageOnce() throws Exception {
        int online = 300;
        int messages = 600;
        ExecutorService pool = Executors.newFixedThreadPool(32);
        Queue<NativeClient> opened = new ConcurrentLinkedQueue<>();
        try {
            List<Account> users = inParallel(pool, online, i -> server.api.account("busy" + i));
            Account late = server.api.account("busy_late"); // registered last: the highest id, fanned out to last
            Account sender = users.getFirst();
            List<Account> others = new ArrayList<>(users.subList(1, online));
            others.add(late);
            long id = create(server.api, sender, "open", others.toArray(Account[]::new));
            List<NativeClient> clients = inParallel(pool, online, i -> {
                NativeClient c = login(users.get(i));
                opened.add(c);
                return c;
            });
            for (int r = 0; r < 16; r++) { // the others throw away what they get, to keep the test's memory small
                List<NativeClient> share = clients.subList(1 + r * (online - 1) / 16, 1 + (r + 1) * (online - 1) / 16);
                pool.submit(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        share.forEach(c -> c.drainMessages(Duration.ofMillis(1))); // waits on each inbox, not on the clock
                    }
                    return null;
                });
            }
            NativeClient s = clients.getFirst();
            Future<?> streaming = pool.submit(() -> {
                for (int i = 0; i < messages; i += 10) {
                    List<Long> requests = new ArrayList<>();
                    for (int k = i; k < i + 10; k++) {
                        long request = s.nextRequestId();
                        requests.add(request);
                        s.write(Envelope.newBuilder().setRequestId(request).setSend(SendMessage.newBuilder().setToGroupId(id)
                                .setClientMsgId("stream-" + k).setContent(Content.newBuilder()
                                        .setText(Text.newBuilder().setText("stream " + k)))).build());
                    }
                    for (long request : requests) {
                        if (!s.await(e -> e.getRequestId() == request, Duration.ofSeconds(30)).hasSendAck()) {
                            throw new AssertionError("send failed");
                        }
                    }
                }
                return null;
            });
            List<String> duplicates = new ArrayList<>();
            int logins = 0;
            while (!streaming.isDone()) {
                logins++;
                List<Long> seqs = new ArrayList<>();
                try (NativeClient l = NativeClient.login(server.node().tcpPort(), late.token())) {
                    long until = System.nanoTime() + Duration.ofMillis(100).toNanos();
                    for (long left; (left = until - System.nanoTime()) > 0; ) {
                        try {
                            seqs.add(l.await(Envelope::hasMessage, Duration.ofNanos(left)).getMessage().getSeq());
                        } catch (AssertionError quiet) {
                            break;
                        }
                    }
                    if (!seqs.isEmpty()) {
                        l.request(Envelope.newBuilder().setDelivered(Delivered.newBuilder().setConversationId(conversation(id))
                                .setSeq(seqs.stream().mapToLong(Long::longValue).max().orElseThrow())));
                    }
                }
                if (seqs.size() != new HashSet<>(seqs).size()) {
                    duplicates.add("login " + logins + ": " + seqs);
                }
            }
            streaming.get();
            assertThat(duplicates).as("logins (of %d) that received a message twice", logins).isEmpty();
        } finally {
            opened.forEach(NativeClient::close);
            pool.shutdownNow();
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    @Test
    void offlineMembersCatchUpFromTheirJoinPointAndSyncShowsTheirUnreadCount() {
        Account owner = server.api.account("keeper");
        Account early = server.api.account("early");       // a member from the start, never online until the end
        Account roamer = server.api.account("roamer");     // online for a while, then away
        Account late = server.api.account("latecomer");    // joins while everyone talks, then away
        Account witness = server.api.account("witness");   // online throughout
        long id = create(server.api, owner, "open", early, roamer, witness); // seq 1
        List<Long> before = new ArrayList<>();
        List<Long> after = new ArrayList<>();
        try (NativeClient o = login(owner); NativeClient w = login(witness)) {
            try (NativeClient r = login(roamer)) {
                assertThat(r.await(e -> GroupKit.isEvent(e, id, CREATED)).getMessage().getSeq()).isEqualTo(1);
                for (int i = 1; i <= 3; i++) {
                    before.add(sent(o, id, "before " + i)); // seqs 2-4
                }
                GroupKit.awaitSeq(r, id, before.getLast());
                assertThat(r.request(Envelope.newBuilder().setDelivered(Delivered.newBuilder().setConversationId(conversation(id))
                        .setSeq(before.getLast()))).hasOk()).isTrue();
            }
            okHttp(server.api.post("/api/groups/" + id + "/join", null, late.token())); // seq 5; joined at 4
            for (int i = 1; i <= 5; i++) {
                after.add(sent(o, id, "after " + i)); // seqs 6-10
            }
            // an ack comes just before the fan-out: the offline members log in once it is over
            GroupKit.awaitSeq(w, id, after.getLast());
        }
        assertThat(before).containsExactly(2L, 3L, 4L);
        assertThat(after).containsExactly(6L, 7L, 8L, 9L, 10L);
        List<Long> all = LongStream.rangeClosed(1, 10).boxed().toList();

        try (NativeClient e = login(early)) {
            // the whole backlog, pushed without asking, each once and in order
            List<Message> backlog = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                backlog.add(e.await(Envelope::hasMessage).getMessage());
            }
            assertThat(backlog).extracting(Message::getSeq).containsExactlyElementsOf(all);
            assertThat(backlog.get(9).getContent().getText().getText()).isEqualTo("after 5");
            assertThat(e.drainMessages(Duration.ofMillis(300))).isEmpty();

            ConversationState state = synced(e, id).orElseThrow();
            assertThat(state.getGroupId()).isEqualTo(id);
            assertThat(state.getLastSeq()).isEqualTo(10);
            assertThat(state.getUnread()).isEqualTo(10);
            assertThat(state.getMentioned()).isFalse();
            assertThat(state.getLastMessage().getContent().getText().getText()).isEqualTo("after 5");
            JsonNode listed = httpConversation(server.api, early, id);
            assertThat(listed.get("unread").asInt()).isEqualTo(10);
            assertThat(listed.get("group_id").asLong()).isEqualTo(id);

            // acknowledged: the next login of this device brings nothing again
            e.request(Envelope.newBuilder().setDelivered(Delivered.newBuilder().setConversationId(conversation(id)).setSeq(10)));
        }
        try (NativeClient again = login(early)) {
            assertThat(again.drainMessages(Duration.ofMillis(400))).isEmpty();
        }

        try (NativeClient l = login(late)) {
            // from the join point on: their JOINED event and what followed, not the earlier history
            List<Long> backlog = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                backlog.add(l.await(Envelope::hasMessage).getMessage().getSeq());
            }
            assertThat(backlog).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(l.drainMessages(Duration.ofMillis(300))).isEmpty();
            ConversationState state = synced(l, id).orElseThrow();
            assertThat(state.getLastSeq()).isEqualTo(10);
            // counted from the join point; their own JOINED event is read, as a sender's own messages are
            assertThat(state.getReadSeq()).isEqualTo(5);
            assertThat(state.getUnread()).isEqualTo(5);
            // the earlier history is theirs to read on request
            List<Message> history = new ArrayList<>(history(l, id).getMessages().getMessagesList()).reversed();
            assertThat(history).extracting(Message::getSeq).containsExactlyElementsOf(all);
            assertThat(history.get(1).getContent().getText().getText()).isEqualTo("before 1");
        }

        try (NativeClient r = login(roamer)) {
            // what came after the device's acknowledged cursor
            List<Long> backlog = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                backlog.add(r.await(Envelope::hasMessage).getMessage().getSeq());
            }
            assertThat(backlog).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
            assertThat(r.drainMessages(Duration.ofMillis(300))).isEmpty();
            assertThat(synced(r, id).orElseThrow().getUnread()).as("delivered is not read").isEqualTo(10);
        }
        assertThat(httpConversation(server.api, owner, id).get("unread").asInt()).as("a sender has read their own").isZero();
    }
}
