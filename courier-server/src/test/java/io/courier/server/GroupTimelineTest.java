package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Empty;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.GroupCommand;
import io.courier.protocol.v1.GroupEvent;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.Targets;
import io.courier.protocol.v1.Text;
import io.courier.server.HttpApi.Account;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import static io.courier.protocol.v1.GroupEvent.Type.CREATED;
import static io.courier.protocol.v1.GroupEvent.Type.INFO_CHANGED;
import static io.courier.protocol.v1.GroupEvent.Type.JOINED;
import static io.courier.protocol.v1.GroupEvent.Type.KICKED;
import static io.courier.protocol.v1.GroupEvent.Type.LEFT;
import static io.courier.protocol.v1.GroupEvent.Type.MUTED;
import static io.courier.protocol.v1.GroupEvent.Type.ROLE_CHANGED;
import static io.courier.server.GroupKit.code;
import static io.courier.server.GroupKit.create;
import static io.courier.server.GroupKit.history;
import static io.courier.server.GroupKit.ok;
import static io.courier.server.GroupKit.okHttp;
import static io.courier.server.GroupKit.sent;
import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** Group changes are messages of the group's timeline: one gapless order of events and chat, the same for everyone. */
class GroupTimelineTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    /** One expected entry of the timeline: an event (with its operator) or a chat text (with its sender). */
    private record Entry(GroupEvent.Type event, String text, long from, List<Long> targets, String extra) {
        static Entry event(GroupEvent.Type type, Account operator, List<Long> targets, String extra) {
            return new Entry(type, null, operator.id(), targets, extra);
        }

        static Entry chat(Account sender, String text) {
            return new Entry(null, text, sender.id(), List.of(), "");
        }
    }

    private static NativeClient login(Account a) {
        return GroupKit.online(server.node().tcpPort(), a.token());
    }

    @Test
    void changesAndMessagesShareOneGaplessTimelineInTheOrderTheyHappened() {
        Account owner = server.api.account("owner");
        Account alice = server.api.account("alice");
        Account bob = server.api.account("bob");
        Account carol = server.api.account("carol");
        Account dave = server.api.account("dave"); // a member throughout who only watches
        List<Entry> expected = new ArrayList<>();
        long id;
        try (NativeClient b = login(bob); NativeClient a = login(alice); NativeClient o = login(owner); NativeClient c = login(carol);
             NativeClient d = login(dave)) {
            // An ack (or an HTTP answer) comes once an entry is stored, just before it is fanned out: each
            // step waits until the watcher has it, so that the next membership change does not race its delivery.
            id = create(server.api, owner, "open", alice, bob, dave);
            expected.add(Entry.event(CREATED, owner, List.of(alice.id(), bob.id(), dave.id()), ""));
            GroupKit.awaitSeq(d, id, expected.size());

            sent(o, id, "welcome");
            expected.add(Entry.chat(owner, "welcome"));
            GroupKit.awaitSeq(d, id, expected.size());

            okHttp(server.api.post("/api/groups/" + id + "/join", null, carol.token()));
            expected.add(Entry.event(JOINED, carol, List.of(carol.id()), ""));
            GroupKit.awaitSeq(d, id, expected.size());

            sent(a, id, "hi carol");
            expected.add(Entry.chat(alice, "hi carol"));
            GroupKit.awaitSeq(d, id, expected.size());

            okHttp(server.api.post("/api/groups/" + id + "/admin", obj("target_id", bob.id(), "is_admin", true), owner.token()));
            expected.add(Entry.event(ROLE_CHANGED, owner, List.of(bob.id()), "admin"));
            GroupKit.awaitSeq(d, id, expected.size());

            okHttp(server.api.post("/api/groups/" + id + "/mute", obj("target_id", carol.id(), "duration_s", 60), owner.token()));
            expected.add(Entry.event(MUTED, owner, List.of(carol.id()), null)); // extra: the mute's end, checked below
            GroupKit.awaitSeq(d, id, expected.size());

            sent(b, id, "rules: be nice");
            expected.add(Entry.chat(bob, "rules: be nice"));
            GroupKit.awaitSeq(d, id, expected.size());

            okHttp(server.api.put("/api/groups/" + id, obj("announcement", "be nice"), owner.token()));
            expected.add(Entry.event(INFO_CHANGED, owner, List.of(), "announcement"));
            GroupKit.awaitSeq(d, id, expected.size());

            ok(b, id, GroupCommand.newBuilder().setKick(Targets.newBuilder().addUserIds(carol.id())));
            expected.add(Entry.event(KICKED, bob, List.of(carol.id()), ""));
            GroupKit.awaitSeq(d, id, expected.size());

            sent(o, id, "bye carol");
            expected.add(Entry.chat(owner, "bye carol"));
            GroupKit.awaitSeq(d, id, expected.size());

            ok(a, id, GroupCommand.newBuilder().setLeave(Empty.getDefaultInstance()));
            expected.add(Entry.event(LEFT, alice, List.of(alice.id()), ""));
            GroupKit.awaitSeq(d, id, expected.size());

            sent(b, id, "just us now");
            expected.add(Entry.chat(bob, "just us now"));
            GroupKit.awaitSeq(d, id, expected.size());

            // Bob was there throughout: his device got every entry but his own sends (acked instead), in order
            List<Long> pushedToBob = b.drainMessages(Duration.ofMillis(300)).stream().map(e -> e.getMessage().getSeq()).toList();
            assertThat(pushedToBob).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 8L, 9L, 10L, 11L);
            // Carol saw from her join to her kick; Alice up to her own leaving
            assertThat(c.drainMessages(Duration.ofMillis(100))).extracting(e -> e.getMessage().getSeq())
                    .containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(a.drainMessages(Duration.ofMillis(100))).extracting(e -> e.getMessage().getSeq())
                    .containsExactly(1L, 2L, 3L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
            assertThat(code(history(c, id))).isEqualTo(5005);

            // the native history (newest first) of a member, turned around
            List<Message> nativeTimeline = new ArrayList<>(history(b, id).getMessages().getMessagesList()).reversed();
            assertThat(nativeTimeline).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                Message m = nativeTimeline.get(i);
                Entry e = expected.get(i);
                assertThat(m.getSeq()).isEqualTo(i + 1);
                assertThat(m.getSenderId()).as("sender of seq %d", i + 1).isEqualTo(e.from());
                if (e.event() == null) {
                    assertThat(m.getContent().getText().getText()).as("seq %d", i + 1).isEqualTo(e.text());
                } else {
                    GroupEvent event = m.getContent().getEvent();
                    assertThat(event.getType()).as("seq %d", i + 1).isEqualTo(e.event());
                    assertThat(event.getOperatorId()).isEqualTo(e.from());
                    assertThat(event.getGroupId()).isEqualTo(id);
                    assertThat(event.getTargetIdsList()).containsExactlyInAnyOrderElementsOf(e.targets());
                    if (e.extra() != null) {
                        assertThat(event.getExtra()).as("extra of seq %d", i + 1).isEqualTo(e.extra());
                    } else {
                        assertThat(Long.parseLong(event.getExtra())).isGreaterThan(System.currentTimeMillis());
                    }
                }
            }
        }

        // the same over HTTP, in its JSON form: types 20-28 for events, 2 for group text
        List<JsonNode> timeline = GroupKit.httpHistory(server.api, owner.token(), id);
        assertThat(timeline).extracting(m -> m.get("seq").asLong())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, expected.size()).boxed().toList());
        for (int i = 0; i < expected.size(); i++) {
            JsonNode m = timeline.get(i);
            Entry e = expected.get(i);
            assertThat(m.get("from").asLong()).isEqualTo(e.from());
            assertThat(m.get("group_id").asLong()).isEqualTo(id);
            assertThat(m.get("conversation_id").asText()).isEqualTo(GroupKit.conversation(id));
            if (e.event() == null) {
                assertThat(m.get("type").asInt()).as("type of seq %d", i + 1).isEqualTo(2);
                assertThat(m.get("content").get("text").asText()).isEqualTo(e.text());
            } else {
                assertThat(m.get("type").asInt()).as("type of seq %d", i + 1).isEqualTo(GroupKit.jsonType(e.event()));
                JsonNode content = m.get("content");
                assertThat(content.get("type").asText()).isEqualTo(e.event().name().toLowerCase(Locale.ROOT));
                assertThat(content.get("operator_id").asLong()).isEqualTo(e.from());
                List<Long> targets = new ArrayList<>();
                content.path("target_ids").forEach(t -> targets.add(t.asLong()));
                assertThat(targets).containsExactlyInAnyOrderElementsOf(e.targets());
                if (e.extra() != null && !e.extra().isEmpty()) {
                    assertThat(content.get("extra").asText()).isEqualTo(e.extra());
                }
            }
        }
        assertThat(timeline).extracting(m -> m.get("type").asInt()).containsExactly(20, 2, 21, 2, 24, 25, 2, 27, 23, 2, 22, 2);

        // paging backwards in small pages gives the same order
        JsonNode page = okHttp(server.api.get("/api/messages/group/" + id + "?limit=5&last_seq=9&events=true", bob.token()));
        assertThat(page.get("messages")).extracting(m -> m.get("seq").asLong()).containsExactly(8L, 7L, 6L, 5L, 4L);
        assertThat(page.get("has_more").asBoolean()).isTrue();
    }

    @Test
    void aDevicesPushesOfAGroupArriveInSeqOrderEvenWhileChangesAndMessagesInterleave() throws Exception {
        Account owner = server.api.account("conductor");
        List<Account> talkers = List.of(server.api.account("talker1"), server.api.account("talker2"), server.api.account("talker3"));
        Account listener = server.api.account("listener");
        Account joiner = server.api.account("joiner");
        long id = create(server.api, owner, "open", talkers.get(0), talkers.get(1), talkers.get(2), listener);
        try (NativeClient l = login(listener)) {
            List<Thread> threads = new ArrayList<>();
            for (Account t : talkers) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try (NativeClient c = login(t)) {
                        for (int i = 0; i < 30; i++) {
                            sent(c, id, t.username() + " " + i);
                        }
                    }
                }));
            }
            // changes at the same time as the chatter
            for (int i = 0; i < 5; i++) {
                okHttp(server.api.put("/api/groups/" + id, obj("announcement", "round " + i), owner.token()));
                okHttp(server.api.post("/api/groups/" + id + "/join", null, joiner.token()));
                okHttp(server.api.post("/api/groups/" + id + "/leave", null, joiner.token()));
            }
            for (Thread t : threads) {
                t.join();
            }
            long last = 1 + 90 + 15;
            List<Long> seqs = new ArrayList<>();
            while (seqs.isEmpty() || seqs.getLast() < last) {
                seqs.add(l.await(Envelope::hasMessage).getMessage().getSeq());
            }
            assertThat(seqs).as("every entry once, in seq order").containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
            assertThat(l.drainMessages(Duration.ofMillis(200))).isEmpty();
        }
    }
    /** A member added while the group was busy: their join point, the group's last seq at the end, and what was pushed. */
    private record Arrival(String name, long joinPoint, long lastSeq, List<Long> pushed) {
    }

    /**
     * Join requests accepted by the owner while the group is busy: many live members, and three members
     * talking all the time. A member's join point is the group's last seq when they were added; here it
     * is the read_seq their sync reports (their own read cursor has not moved: the owner wrote JOINED).
     */
    private static List<Arrival> membersAddedWhileTheGroupIsBusy(String prefix, int rounds) throws Exception {
        int crowd = 150;
        Account owner = server.api.account(prefix + "_doorkeeper");
        List<Account> talkers = List.of(server.api.account(prefix + "_talker_a"), server.api.account(prefix + "_talker_b"),
                server.api.account(prefix + "_talker_c"));
        List<Account> members = new ArrayList<>();
        for (int i = 0; i < crowd; i++) {
            members.add(server.api.account(prefix + "_crowd" + i));
        }
        List<Account> joiners = new ArrayList<>();
        for (int i = 0; i < rounds; i++) {
            joiners.add(server.api.account(prefix + "_arrival" + i));
        }
        List<Account> initial = new ArrayList<>(members);
        initial.addAll(talkers);
        long id = create(server.api, owner, "approval", initial.toArray(Account[]::new));
        List<NativeClient> devices = new ArrayList<>();
        ExecutorService background = Executors.newFixedThreadPool(32);
        AtomicBoolean talking = new AtomicBoolean(true);
        AtomicLong chatter = new AtomicLong(); // messages acknowledged to the talkers
        try {
            List<NativeClient> crowdDevices = new ArrayList<>();
            for (Account m : members) {
                NativeClient c = login(m);
                crowdDevices.add(c);
                devices.add(c);
            }
            for (int r = 0; r < 16; r++) { // the crowd reads what it gets
                List<NativeClient> share = List.copyOf(crowdDevices.subList(r * crowd / 16, (r + 1) * crowd / 16));
                background.submit(() -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        share.forEach(c -> c.drainMessages(Duration.ofMillis(1))); // waits on each inbox, not on the clock
                    }
                    return null;
                });
            }
            List<Future<Integer>> talk = new ArrayList<>();
            for (Account talker : talkers) {
                NativeClient t = login(talker);
                devices.add(t);
                talk.add(background.submit(() -> {
                    int n = 0;
                    while (talking.get()) {
                        List<Long> requests = new ArrayList<>();
                        for (int k = 0; k < 20; k++, n++) {
                            long request = t.nextRequestId();
                            requests.add(request);
                            t.write(Envelope.newBuilder().setRequestId(request).setSend(SendMessage.newBuilder().setToGroupId(id)
                                    .setClientMsgId(talker.username() + "-" + n).setContent(Content.newBuilder()
                                            .setText(Text.newBuilder().setText("chatter " + n)))).build());
                        }
                        for (long request : requests) {
                            if (!t.await(e -> e.getRequestId() == request).hasSendAck()) {
                                throw new AssertionError("send failed");
                            }
                            chatter.incrementAndGet();
                        }
                        t.drainMessages(Duration.ZERO);
                    }
                    return n;
                }));
            }
            List<NativeClient> joined = new ArrayList<>();
            for (Account joiner : joiners) {
                NativeClient j = login(joiner);
                joined.add(j);
                devices.add(j);
                long request = okHttp(server.api.post("/api/groups/" + id + "/join", null, joiner.token())).get("request")
                        .get("request_id").asLong();
                okHttp(server.api.post("/api/groups/requests/" + request + "/accept", null, owner.token()));
                long before = chatter.get(); // the next join comes after more chatter, whatever the machine's speed
                Awaitility.await("chatter after a join").atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO)
                        .pollInterval(Duration.ofMillis(1)).until(() -> chatter.get() >= before + 20);
            }
            talking.set(false);
            for (var f : talk) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isPositive();
            }
            List<Arrival> arrivals = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                NativeClient j = joined.get(i);
                var state = GroupKit.synced(j, id).orElseThrow();
                List<Long> pushed = j.drainMessages(Duration.ofMillis(50)).stream().map(e -> e.getMessage().getSeq()).toList();
                arrivals.add(new Arrival(joiners.get(i).username(), state.getReadSeq(), state.getLastSeq(), pushed));
            }
            return arrivals;
        } finally {
            talking.set(false);
            background.shutdownNow();
            devices.forEach(NativeClient::close);
        }
    }

    /** What came before a member's join point is history, not news: it is never pushed to them. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aNewMemberIsPushedNothingFromBeforeTheirJoinPoint() throws Exception {
        List<String> early = new ArrayList<>();
        for (Arrival a : membersAddedWhileTheGroupIsBusy("early", 25)) {
            List<Long> tooEarly = a.pushed().stream().filter(seq -> seq <= a.joinPoint()).toList();
            if (!tooEarly.isEmpty()) {
                early.add(a.name() + " (join point " + a.joinPoint() + ") was pushed " + tooEarly);
            }
        }
        assertThat(early).as("pushes from before the join point").isEmpty();
    }

    /** Everything after a member's join point is news: it is pushed to their live device. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aNewMemberIsPushedEverythingAfterTheirJoinPoint() throws Exception {
        List<String> missing = new ArrayList<>();
        for (Arrival a : membersAddedWhileTheGroupIsBusy("later", 60)) {
            Set<Long> got = new HashSet<>(a.pushed());
            List<Long> lost = LongStream.rangeClosed(a.joinPoint() + 1, a.lastSeq()).boxed().filter(seq -> !got.contains(seq)).toList();
            if (!lost.isEmpty()) {
                missing.add(a.name() + " (join point " + a.joinPoint() + ") was not pushed " + lost);
            }
        }
        assertThat(missing).as("news after the join point that was not pushed").isEmpty();
    }
}
