package io.courier.server;

import io.courier.protocol.v1.Delivered;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.HistoryRequest;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.SendAck;
import io.courier.server.HttpApi.Account;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server is killed with SIGKILL while clients send and receive over the native protocol. After
 * the restart: every message whose ack a sender received is in history exactly once, with the seq
 * and id of its ack; a sender that retries everything it ever sent (acked or not) gets the original
 * acks back and creates no second copy; every conversation's seqs are gapless; and each recipient
 * that reconnects receives everything after what it had acknowledged.
 */
class MessageCrashTest {
    private static final int SENDERS = 4;
    private static final int RECIPIENTS = 2;
    private static final int MESSAGES_PER_SENDER = 150;

    @TempDir
    Path dir;

    private final Map<String, SendAck> acked = new ConcurrentHashMap<>();
    /** client message id → recipient, for every send attempted */
    private final Map<String, Long> attempted = new ConcurrentHashMap<>();
    /** recipient user id → conversation → the delivered cursor the server confirmed */
    private final Map<Long, Map<String, Long>> confirmedCursor = new ConcurrentHashMap<>();
    /**
     * recipient user id → conversation → the highest delivered cursor asked for; one asked for just
     * before the kill may have been applied without its answer arriving, so the server's cursor is
     * somewhere from the confirmed one to this one.
     */
    private final Map<Long, Map<String, Long>> requestedCursor = new ConcurrentHashMap<>();

    @Test
    void acknowledgedMessagesSurviveKillDashNineExactlyOnceAndReconnectingDevicesGetTheRest() throws Exception {
        List<Account> senders = new ArrayList<>();
        List<Account> recipients = new ArrayList<>();
        try (ProcessNode node = ProcessNode.start(dir)) {
            HttpApi api = node.api();
            for (int i = 0; i < SENDERS; i++) {
                senders.add(api.account("sender" + i));
            }
            for (int i = 0; i < RECIPIENTS; i++) {
                recipients.add(api.account("recipient" + i));
            }
            List<Thread> threads = new ArrayList<>();
            List<NativeClient> receivers = new ArrayList<>();
            for (Account r : recipients) {
                NativeClient c = NativeClient.login(node.tcpPort(), r.token());
                receivers.add(c);
                threads.add(Thread.ofPlatform().start(() -> receiveAndAcknowledge(c, r.id())));
            }
            AtomicInteger ackCount = new AtomicInteger();
            for (Account s : senders) {
                threads.add(Thread.ofPlatform().start(() -> sendUntilCut(node.tcpPort(), s, recipients, ackCount)));
            }
            Awaitility.await("a third of the messages acknowledged").atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(5)).until(() -> ackCount.get() >= SENDERS * MESSAGES_PER_SENDER / 3);
            assertThat(node.killDashNine()).isEqualTo(137);
            for (Thread t : threads) {
                t.join(30_000);
            }
            receivers.forEach(NativeClient::close);
        }
        assertThat(acked).as("messages acknowledged before the kill").hasSizeGreaterThan(50);
        System.out.printf("killed with %d of %d attempted messages acknowledged%n", acked.size(), attempted.size());

        try (ProcessNode node = ProcessNode.start(dir)) {
            HttpApi api = node.api();
            // Senders retry everything they ever sent: acked ones come back with their original ack.
            for (Account s : senders) {
                String token = api.login(s.username(), "password-" + s.username(), "test-device").get("token").asText();
                try (NativeClient c = NativeClient.login(node.tcpPort(), token)) {
                    for (Map.Entry<String, Long> e : attempted.entrySet()) {
                        if (!e.getKey().startsWith(s.username() + "-")) {
                            continue;
                        }
                        Envelope answer = c.sendText(e.getValue(), e.getKey(), textOf(e.getKey()));
                        assertThat(answer.hasSendAck()).as(answer.toString()).isTrue();
                        SendAck original = acked.get(e.getKey());
                        if (original != null) {
                            assertThat(answer.getSendAck().getDuplicate()).as("retry of acknowledged " + e.getKey()).isTrue();
                            assertThat(answer.getSendAck().getMessageId()).isEqualTo(original.getMessageId());
                            assertThat(answer.getSendAck().getSeq()).isEqualTo(original.getSeq());
                        }
                    }
                }
            }
            // History: each conversation gapless, each attempted message exactly once, acks matching.
            Map<String, List<Message>> byConversation = new HashMap<>();
            for (Account s : senders) {
                String token = api.login(s.username(), "password-" + s.username(), "history").get("token").asText();
                try (NativeClient reader = NativeClient.login(node.tcpPort(), token)) {
                    for (Account r : recipients) {
                        String conversation = "p:" + Math.min(s.id(), r.id()) + ":" + Math.max(s.id(), r.id());
                        byConversation.put(conversation, history(reader, conversation));
                    }
                }
            }
            Set<String> stored = new HashSet<>();
            for (Map.Entry<String, List<Message>> e : byConversation.entrySet()) {
                List<Message> messages = e.getValue();
                for (int i = 0; i < messages.size(); i++) {
                    assertThat(messages.get(i).getSeq()).as("gapless seq in " + e.getKey()).isEqualTo(i + 1);
                    assertThat(stored.add(messages.get(i).getClientMsgId())).as("stored once: " + messages.get(i).getClientMsgId()).isTrue();
                }
            }
            assertThat(stored).containsExactlyInAnyOrderElementsOf(attempted.keySet());
            for (Map.Entry<String, SendAck> e : acked.entrySet()) {
                Message m = byConversation.get(e.getValue().getConversationId()).get((int) e.getValue().getSeq() - 1);
                assertThat(m.getClientMsgId()).isEqualTo(e.getKey());
                assertThat(m.getMessageId()).isEqualTo(e.getValue().getMessageId());
            }
            // Recipients reconnect on the same device and get everything after what they had acknowledged.
            for (Account r : recipients) {
                String token = api.login(r.username(), "password-" + r.username(), "test-device").get("token").asText();
                try (NativeClient c = NativeClient.login(node.tcpPort(), token)) {
                    Map<String, Long> confirmed = confirmedCursor.getOrDefault(r.id(), Map.of());
                    Map<String, Long> requested = requestedCursor.getOrDefault(r.id(), Map.of());
                    Map<String, Set<Long>> mustArrive = new HashMap<>();
                    Map<String, Set<Long>> mayArrive = new HashMap<>();
                    for (Map.Entry<String, List<Message>> e : byConversation.entrySet()) {
                        if (e.getKey().endsWith(":" + r.id()) || e.getKey().startsWith("p:" + r.id() + ":")) {
                            long low = confirmed.getOrDefault(e.getKey(), 0L);
                            long high = requested.getOrDefault(e.getKey(), 0L);
                            for (Message m : e.getValue()) {
                                if (m.getSeq() > high) {
                                    mustArrive.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(m.getSeq());
                                }
                                if (m.getSeq() > low) {
                                    mayArrive.computeIfAbsent(e.getKey(), k -> new HashSet<>()).add(m.getSeq());
                                }
                            }
                        }
                    }
                    Map<String, Set<Long>> got = new HashMap<>();
                    for (Envelope e : c.drainMessages(Duration.ofSeconds(2))) {
                        Message m = e.getMessage();
                        assertThat(got.computeIfAbsent(m.getConversationId(), k -> new HashSet<>()).add(m.getSeq()))
                                .as("pushed once").isTrue();
                    }
                    for (Map.Entry<String, Set<Long>> e : mustArrive.entrySet()) {
                        assertThat(got.getOrDefault(e.getKey(), Set.of())).as("unacknowledged messages of " + e.getKey())
                                .containsAll(e.getValue());
                    }
                    for (Map.Entry<String, Set<Long>> e : got.entrySet()) {
                        assertThat(mayArrive.getOrDefault(e.getKey(), Set.of())).as("nothing already acknowledged in " + e.getKey())
                                .containsAll(e.getValue());
                    }
                    assertThat(c.drainMessages(Duration.ofMillis(300))).isEmpty();
                }
            }
        }
    }

    private void sendUntilCut(int port, Account sender, List<Account> recipients, AtomicInteger ackCount) {
        try (NativeClient c = NativeClient.login(port, sender.token())) {
            for (int i = 0; i < MESSAGES_PER_SENDER; i++) {
                long to = recipients.get(i % recipients.size()).id();
                String clientId = sender.username() + "-" + i;
                attempted.put(clientId, to);
                Envelope answer = c.sendText(to, clientId, textOf(clientId));
                if (answer.hasSendAck()) {
                    acked.put(clientId, answer.getSendAck());
                    ackCount.incrementAndGet();
                }
            }
        } catch (RuntimeException | AssertionError connectionCut) {
            // the server was killed; what was acknowledged is recorded
        }
    }

    private void receiveAndAcknowledge(NativeClient c, long userId) {
        Map<String, Long> highest = new HashMap<>();
        AtomicLong received = new AtomicLong();
        try {
            while (!c.isClosedByServer()) {
                Message m;
                try {
                    m = c.await(Envelope::hasMessage, Duration.ofMillis(200)).getMessage();
                } catch (AssertionError nothingYet) {
                    continue;
                }
                highest.merge(m.getConversationId(), m.getSeq(), Math::max);
                if (received.incrementAndGet() % 10 == 0) {
                    String conversation = m.getConversationId();
                    long seq = highest.get(conversation);
                    requestedCursor.computeIfAbsent(userId, k -> new ConcurrentHashMap<>()).merge(conversation, seq, Math::max);
                    Envelope ok = c.request(Envelope.newBuilder().setDelivered(Delivered.newBuilder()
                            .setConversationId(conversation).setSeq(seq)));
                    if (ok.hasOk()) {
                        confirmedCursor.computeIfAbsent(userId, k -> new ConcurrentHashMap<>()).merge(conversation, seq, Math::max);
                    }
                }
            }
        } catch (RuntimeException | AssertionError connectionCut) {
            // the server was killed
        }
    }

    private static List<Message> history(NativeClient c, String conversation) {
        List<Message> all = new ArrayList<>();
        long before = 0;
        while (true) {
            var page = c.request(Envelope.newBuilder().setHistory(HistoryRequest.newBuilder()
                    .setConversationId(conversation).setBeforeSeq(before).setLimit(200))).getMessages();
            all.addAll(0, page.getMessagesList().reversed());
            if (!page.getHasMore()) {
                return all;
            }
            before = page.getMessages(page.getMessagesCount() - 1).getSeq();
        }
    }

    private static String textOf(String clientId) {
        return "message " + clientId;
    }
}
