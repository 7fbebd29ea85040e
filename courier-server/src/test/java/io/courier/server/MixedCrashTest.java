package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.v1.ConversationState;
import io.courier.protocol.v1.Delivered;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.MarkRead;
import io.courier.protocol.v1.SendAck;
import io.courier.protocol.v1.SyncRequest;
import io.courier.server.HttpApi.Reply;
import io.courier.store.Backend;
import io.courier.store.Database;
import io.courier.store.DatabaseSettings;
import io.courier.store.TestDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every kind of write the server acknowledges survives kill -9: registrations, nickname changes,
 * friend requests and friendships, blocks, group creations and kicks, 1:1 messages, delivered and
 * read cursors. Workers drive all of them at once over HTTP and the native protocol and record
 * every answer; the server process is killed with SIGKILL in the middle, restarted on the same
 * data, and every acknowledged write must be there, once, and no cursor may have moved back.
 * Round after round on the same data, so that each recovery is crashed into again.
 *
 * <p>Run on the embedded database (both durabilities), MariaDB and PostgreSQL. The long runs of
 * docs/architecture.md: {@code -Dcourier.crash.rounds=100 -Dcourier.crash.databases=embedded,h2}
 * ({@code h2}: the engine of earlier releases, storing its pages at every commit; not in the suite).
 */
class MixedCrashTest {
    private static final int ROUNDS = Integer.getInteger("courier.crash.rounds", 3);
    private static final int WORKERS = 4;
    /** Acknowledged writes per round before the kill; the kill lands while the workers still write. */
    private static final int WRITES_PER_ROUND = 120;

    @RegisterExtension
    static final TestDatabases.PerClass databases = TestDatabases.perClass();

    @TempDir
    Path dir;

    private final CrashLedger ledger = new CrashLedger();

    static List<String> databases() {
        return List.of(System.getProperty("courier.crash.databases", "embedded,embedded-power,mariadb,postgresql").split(","));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void nothingAcknowledgedIsLostDuplicatedOrMovedBackwardsThroughRepeatedKillDashNine(String database) throws Exception {
        Map<String, String> settings = settings(database);
        for (int round = 0; round < ROUNDS; round++) {
            ProcessNode node = ProcessNode.start(dir, settings);
            try {
                Verifier.verify(node, ledger);
                int before = ledger.acknowledged();
                writeUntilKilled(node, round);
                System.out.printf("%s round %d: killed with %s%n", database, round, ledger.summary());
                assertThat(ledger.acknowledged()).as("writes acknowledged in round " + round).isGreaterThan(before + WRITES_PER_ROUND / 2);
            } finally {
                node.close();
            }
        }
        try (ProcessNode last = ProcessNode.start(dir, settings)) {
            Verifier.verify(last, ledger);
        }
        assertThat(ledger.users).hasSizeGreaterThan(10);
        assertThat(ledger.friendships).isNotEmpty();
        assertThat(ledger.groups).isNotEmpty();
        assertThat(ledger.messages).hasSizeGreaterThan(20);
        assertThat(ledger.delivered).isNotEmpty();
    }

    private Map<String, String> settings(String database) {
        return switch (database) {
            case "embedded" -> Map.of();
            case "h2" -> Map.of("db.url", Database.h2Url(dir.resolve("h2").resolve("courier")));
            case "embedded-power" -> Map.of("db.durability", "power");
            case "mariadb", "postgresql" -> {
                DatabaseSettings db = databases.createEmpty(database.equals("mariadb") ? Backend.MARIADB : Backend.POSTGRESQL);
                yield Map.of("db.url", db.url(), "db.user", db.user(), "db.password", db.password());
            }
            default -> throw new IllegalArgumentException(database);
        };
    }

    private void writeUntilKilled(ProcessNode node, int round) throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger written = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            Worker worker = new Worker(node, ledger, "r" + round + "w" + w, new Random(31L * round + w), killed, written);
            workers.add(Thread.ofPlatform().name("crash-worker-" + w).start(worker));
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> written.get() >= WRITES_PER_ROUND);
        killed.set(true);
        assertThat(node.killDashNine()).isEqualTo(137);
        for (Thread t : workers) {
            t.join(60_000);
            assertThat(t.isAlive()).as(t.getName() + " stopped after the kill").isFalse();
        }
    }

    /**
     * One client's traffic: its own users, among whom it makes friends, groups and conversations.
     * Each write's answer goes into the ledger the moment it arrives; a write cut off by the kill is
     * recorded as attempted, which is what may or may not be there.
     */
    private record Worker(ProcessNode node, CrashLedger ledger, String name, Random random, AtomicBoolean killed,
                          AtomicInteger written) implements Runnable {
        @Override
        public void run() {
            HttpApi api = node.api();
            Map<Long, String> tokens = new HashMap<>();
            Map<Long, NativeClient> connections = new HashMap<>();
            List<Long> mine = new ArrayList<>();
            try {
                for (int i = 0; !killed.get(); i++) {
                    int dice = random.nextInt(100);
                    if (mine.size() < 4 || dice < 15) {
                        register(api, name + "u" + i, mine, tokens);
                    } else if (dice < 30) {
                        befriend(api, pick(mine), pick(mine), tokens);
                    } else if (dice < 38) {
                        createGroup(api, mine, tokens);
                    } else if (dice < 43) {
                        kick(api, tokens);
                    } else if (dice < 48) {
                        block(api, pick(mine), pick(mine), tokens);
                    } else if (dice < 56) {
                        rename(api, pick(mine), tokens, i);
                    } else {
                        message(pick(mine), pick(mine), tokens, connections);
                    }
                }
            } catch (RuntimeException | AssertionError cutByTheKill) {
                // the server is gone: everything answered before is in the ledger
            } finally {
                connections.values().forEach(NativeClient::close);
            }
        }

        private long pick(List<Long> users) {
            return users.get(random.nextInt(users.size()));
        }

        private void acknowledged() {
            written.incrementAndGet();
        }

        private void register(HttpApi api, String username, List<Long> mine, Map<Long, String> tokens) {
            Reply r = api.post("/api/register", obj("username", username, "password", CrashLedger.password(username)), null);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            long id = r.data().get("user_id").asLong();
            ledger.users.put(id, username);
            acknowledged();
            mine.add(id);
            tokens.put(id, api.login(username, CrashLedger.password(username), CrashLedger.DEVICE).get("token").asText());
        }

        private void befriend(HttpApi api, long from, long to, Map<Long, String> tokens) {
            if (from == to || ledger.friendships.contains(CrashLedger.pair(from, to))) {
                return;
            }
            Reply request = api.post("/api/friends/requests", obj("user_id", to), tokens.get(from));
            if (request.status() != 200) {
                return; // already pending the other way, or blocked: refused, and nothing was written
            }
            acknowledged();
            long requestId = request.data().get("request_id").asLong();
            Reply accept = api.post("/api/friends/requests/" + requestId + "/accept", null, tokens.get(to));
            assertThat(accept.status()).as(accept.toString()).isEqualTo(200);
            ledger.friendships.add(CrashLedger.pair(from, to));
            acknowledged();
        }

        private void createGroup(HttpApi api, List<Long> mine, Map<Long, String> tokens) {
            long owner = pick(mine);
            List<Long> members = mine.stream().filter(u -> u != owner).limit(3).toList();
            Reply r = api.post("/api/groups", obj("name", name + " group", "member_ids", members), tokens.get(owner));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            long group = r.data().get("group_id").asLong();
            CrashLedger.Group g = new CrashLedger.Group(owner);
            g.members.add(owner);
            g.members.addAll(members);
            ledger.groups.put(group, g);
            acknowledged();
        }

        private void kick(HttpApi api, Map<Long, String> tokens) {
            var own = ledger.groups.entrySet().stream()
                    .filter(e -> tokens.containsKey(e.getValue().owner) && e.getValue().members.size() > 1).toList();
            if (own.isEmpty()) {
                return;
            }
            var entry = own.get(random.nextInt(own.size()));
            CrashLedger.Group g = entry.getValue();
            long target = g.members.stream().filter(u -> u != g.owner).findFirst().orElseThrow();
            g.maybeGone.add(target);
            Reply r = api.post("/api/groups/" + entry.getKey() + "/kick", obj("target_ids", List.of(target)), tokens.get(g.owner));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            g.members.remove(target);
            acknowledged();
        }

        /**
         * Only between users who never wrote to each other: a retry of a stored message after the
         * recipient blocked its sender is refused, not answered with its first ack (docs/protocol.md).
         */
        private void block(HttpApi api, long user, long blocked, Map<Long, String> tokens) {
            String pair = CrashLedger.pair(user, blocked);
            if (user == blocked || ledger.talked.contains(pair)) {
                return;
            }
            ledger.blocking.add(pair);
            Reply r = api.put("/api/blocks/" + blocked, null, tokens.get(user));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            ledger.blocks.add(CrashLedger.pair(user, blocked) + ">" + user);
            acknowledged();
        }

        private void rename(HttpApi api, long user, Map<Long, String> tokens, int i) {
            String nickname = name + " nick " + i;
            ledger.nicknameAttempts.computeIfAbsent(user, k -> new ArrayList<>()).add(nickname);
            Reply r = api.put("/api/user/info", obj("nickname", nickname), tokens.get(user));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            ledger.nicknames.put(user, nickname);
            acknowledged();
        }

        /** A message, then the recipient's device confirms delivery and reads it. */
        private void message(long from, long to, Map<Long, String> tokens, Map<Long, NativeClient> connections) {
            String pair = CrashLedger.pair(from, to);
            if (from == to || ledger.blocking.contains(pair)) {
                return;
            }
            ledger.talked.add(pair);
            NativeClient sender = connections.computeIfAbsent(from, u -> NativeClient.login(node.tcpPort(), tokens.get(u)));
            String clientId = name + "-" + from + "-" + ledger.attemptedMessages.size() + "-" + random.nextInt(1_000_000);
            ledger.attemptedMessages.put(clientId, new long[] {from, to});
            Envelope answer = sender.sendText(to, clientId, "text of " + clientId);
            assertThat(answer.hasSendAck()).as(answer.toString()).isTrue();
            SendAck ack = answer.getSendAck();
            ledger.messages.put(clientId, ack);
            acknowledged();
            NativeClient recipient = connections.computeIfAbsent(to, u -> NativeClient.login(node.tcpPort(), tokens.get(u)));
            String conversation = ack.getConversationId();
            Envelope delivered = recipient.request(Envelope.newBuilder().setDelivered(Delivered.newBuilder()
                    .setConversationId(conversation).setSeq(ack.getSeq())));
            assertThat(delivered.hasOk()).as(delivered.toString()).isTrue();
            ledger.delivered.merge(to + "/" + conversation, ack.getSeq(), Math::max);
            acknowledged();
            if (random.nextBoolean()) {
                Envelope read = recipient.request(Envelope.newBuilder().setRead(MarkRead.newBuilder()
                        .setConversationId(conversation).setSeq(ack.getSeq())));
                assertThat(read.hasOk()).as(read.toString()).isTrue();
                ledger.read.merge(to + "/" + conversation, ack.getSeq(), Math::max);
                acknowledged();
            }
        }
    }

    /** After a restart: the ledger against what the server says, through its own API. */
    private static final class Verifier {
        static void verify(ProcessNode node, CrashLedger ledger) {
            HttpApi api = node.api();
            Map<Long, String> tokens = new HashMap<>();
            for (var user : ledger.users.entrySet()) {
                String username = user.getValue();
                Reply login = api.post("/api/login", obj("username", username, "password", CrashLedger.password(username),
                        "device_id", CrashLedger.DEVICE), null);
                assertThat(login.status()).as("acknowledged registration of " + username + " survived: " + login).isEqualTo(200);
                assertThat(login.data().get("user_id").asLong()).isEqualTo(user.getKey());
                tokens.put(user.getKey(), login.data().get("token").asText());
                // A retried registration is not a second account.
                Reply again = api.post("/api/register", obj("username", username, "password", "other-password"), null);
                assertThat(again.status()).as(again.toString()).isEqualTo(409);
            }
            for (var nick : ledger.nicknames.entrySet()) {
                JsonNode me = api.get("/api/user/info", tokens.get(nick.getKey())).data();
                List<String> attempts = ledger.nicknameAttempts.get(nick.getKey());
                // The last acknowledged nickname, or one attempted after it whose answer the kill cut off.
                List<String> allowed = attempts.subList(attempts.lastIndexOf(nick.getValue()), attempts.size());
                assertThat(me.get("nickname").asText()).as("nickname of " + nick.getKey()).isIn(allowed);
            }
            for (String pair : ledger.friendships) {
                long a = Long.parseLong(pair.split(":")[0]);
                long b = Long.parseLong(pair.split(":")[1]);
                List<Long> friends = new ArrayList<>();
                api.get("/api/friends", tokens.get(a)).data().get("friends").forEach(f -> friends.add(f.get("user_id").asLong()));
                assertThat(friends).as("friends of " + a).contains(b);
                assertThat(friends).as("no friend twice").doesNotHaveDuplicates();
            }
            for (String block : ledger.blocks) {
                long user = Long.parseLong(block.substring(block.indexOf('>') + 1));
                String[] ids = block.substring(0, block.indexOf('>')).split(":");
                long blocked = Long.parseLong(ids[0]) == user ? Long.parseLong(ids[1]) : Long.parseLong(ids[0]);
                List<Long> blocks = new ArrayList<>();
                api.get("/api/blocks", tokens.get(user)).data().get("users").forEach(b -> blocks.add(b.get("user_id").asLong()));
                assertThat(blocks).as("blocks of " + user).contains(blocked);
            }
            for (var entry : ledger.groups.entrySet()) {
                CrashLedger.Group g = entry.getValue();
                Reply r = api.get("/api/groups/" + entry.getKey() + "/members?page_size=100", tokens.get(g.owner));
                assertThat(r.status()).as("acknowledged group " + entry.getKey() + ": " + r).isEqualTo(200);
                List<Long> members = new ArrayList<>();
                r.data().get("members").forEach(m -> members.add(m.get("user_id").asLong()));
                List<Long> kept = g.members.stream().filter(u -> !g.maybeGone.contains(u)).toList(); // a kick cut off may have landed
                assertThat(members).as("members of group " + entry.getKey()).containsAll(kept).doesNotHaveDuplicates();
                List<Long> allowed = new ArrayList<>(g.members);
                allowed.addAll(g.maybeGone);
                assertThat(allowed).as("no acknowledged kick undone in group " + entry.getKey()).containsAll(members);
            }
            verifyMessages(node, ledger, tokens);
        }

        private static void verifyMessages(ProcessNode node, CrashLedger ledger, Map<Long, String> tokens) {
            Map<Long, NativeClient> clients = new HashMap<>();
            try {
                // A retry of every message ever attempted: the acknowledged come back with their first ack.
                for (var attempt : ledger.attemptedMessages.entrySet()) {
                    long from = attempt.getValue()[0];
                    long to = attempt.getValue()[1];
                    if (!tokens.containsKey(from) || !tokens.containsKey(to)) {
                        continue; // a user whose registration the kill cut off; their sends never left
                    }
                    NativeClient c = clients.computeIfAbsent(from, u -> NativeClient.login(node.tcpPort(), tokens.get(u)));
                    Envelope answer = c.sendText(to, attempt.getKey(), "text of " + attempt.getKey());
                    assertThat(answer.hasSendAck()).as(answer.toString()).isTrue();
                    SendAck first = ledger.messages.get(attempt.getKey());
                    if (first != null) {
                        assertThat(answer.getSendAck().getDuplicate()).as("retry of acknowledged " + attempt.getKey()).isTrue();
                        assertThat(answer.getSendAck().getMessageId()).isEqualTo(first.getMessageId());
                        assertThat(answer.getSendAck().getSeq()).isEqualTo(first.getSeq());
                    } else {
                        ledger.messages.put(attempt.getKey(), answer.getSendAck()); // stored now, once, whatever happened before
                    }
                }
                // Cursors, as each recipient's device sees them in a sync.
                Map<Long, Map<String, ConversationState>> states = new HashMap<>();
                for (long user : tokens.keySet()) {
                    if (!ledger.hasCursor(user)) {
                        continue;
                    }
                    NativeClient c = clients.computeIfAbsent(user, u -> NativeClient.login(node.tcpPort(), tokens.get(u)));
                    Map<String, ConversationState> byConversation = new HashMap<>();
                    c.request(Envelope.newBuilder().setSync(SyncRequest.newBuilder())).getSyncResult().getConversationsList()
                            .forEach(s -> byConversation.put(s.getConversationId(), s));
                    states.put(user, byConversation);
                }
                ledger.delivered.forEach((key, seq) -> {
                    long user = Long.parseLong(key.substring(0, key.indexOf('/')));
                    ConversationState s = states.get(user).get(key.substring(key.indexOf('/') + 1));
                    assertThat(s).as("conversation " + key).isNotNull();
                    assertThat(s.getDeliveredSeq()).as("delivered cursor " + key + " not moved back").isGreaterThanOrEqualTo(seq);
                });
                ledger.read.forEach((key, seq) -> {
                    long user = Long.parseLong(key.substring(0, key.indexOf('/')));
                    ConversationState s = states.get(user).get(key.substring(key.indexOf('/') + 1));
                    assertThat(s.getReadSeq()).as("read cursor " + key + " not moved back").isGreaterThanOrEqualTo(seq);
                });
                // Every acknowledged message at its seq, and each conversation gapless.
                Map<String, Long> highest = new HashMap<>();
                ledger.messages.values().forEach(a -> highest.merge(a.getConversationId(), a.getSeq(), Math::max));
                for (var ack : ledger.messages.entrySet()) {
                    long from = ledger.attemptedMessages.get(ack.getKey())[0];
                    NativeClient c = clients.get(from);
                    var page = c.request(Envelope.newBuilder().setHistory(io.courier.protocol.v1.HistoryRequest.newBuilder()
                            .setConversationId(ack.getValue().getConversationId()).setBeforeSeq(ack.getValue().getSeq() + 1)
                            .setLimit(1))).getMessages();
                    assertThat(page.getMessagesList()).as("acknowledged message " + ack.getKey()).singleElement().satisfies(m -> {
                        assertThat(m.getClientMsgId()).isEqualTo(ack.getKey());
                        assertThat(m.getMessageId()).isEqualTo(ack.getValue().getMessageId());
                    });
                }
                highest.forEach((conversation, top) -> assertThat(ledger.messages.values().stream()
                        .filter(a -> a.getConversationId().equals(conversation)).map(SendAck::getSeq).distinct().count())
                        .as("conversation " + conversation + " holds seqs 1.." + top + ", each once").isEqualTo(top));
            } finally {
                clients.values().forEach(NativeClient::close);
            }
        }
    }
}
