package io.courier.server;

import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.Text;
import io.courier.server.HttpApi.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Senders faster than the message writer are slowed down, not refused: a refused message would be
 * retried after the sender's later ones were stored, out of order. With a writer queue of 8, four
 * devices each pipeline 1,500 messages without waiting; every one must be acknowledged, and each
 * sender's messages must be stored in the order they were sent.
 */
class WriterBackPressureTest {
    private static final int SENDERS = 4;
    private static final int MESSAGES = 1_500;

    @TempDir
    Path dir;

    @Test
    void aFullWriterQueueSlowsSendersDownAndKeepsTheirOrder() throws Exception {
        try (TestNode node = TestNode.start(dir, Map.of("messaging.max-queued", "8", "messaging.max-batch", "4"));
             ExecutorService senders = Executors.newFixedThreadPool(SENDERS)) {
            Account to = node.api.account("sink");
            List<Future<List<Envelope>>> answers = new ArrayList<>();
            for (int s = 0; s < SENDERS; s++) {
                Account from = node.api.account("flood" + s);
                answers.add(senders.submit(() -> pipeline(node, from, to)));
            }
            for (Future<List<Envelope>> f : answers) {
                List<Envelope> acks = f.get();
                assertThat(acks).hasSize(MESSAGES);
                long previous = 0;
                for (Envelope e : acks) {
                    assertThat(e.hasSendAck()).as("answer %s", e).isTrue();
                    assertThat(e.getSendAck().getSeq()).as("seq of a later message").isGreaterThan(previous);
                    previous = e.getSendAck().getSeq();
                }
            }
        }
    }

    /** Writes every message before reading any answer; returns the answers in sending order. */
    private static List<Envelope> pipeline(TestNode node, Account from, Account to) {
        try (NativeClient c = NativeClient.login(node.node().tcpPort(), from.token())) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                long id = c.nextRequestId();
                ids.add(id);
                c.write(Envelope.newBuilder().setRequestId(id).setSend(SendMessage.newBuilder().setToUserId(to.id())
                        .setClientMsgId("m-" + i).setContent(Content.newBuilder().setText(Text.newBuilder().setText("n" + i))))
                        .build());
            }
            List<Envelope> answers = new ArrayList<>();
            for (long id : ids) {
                answers.add(c.await(e -> e.getRequestId() == id, Duration.ofSeconds(60)));
            }
            return answers;
        }
    }
}
