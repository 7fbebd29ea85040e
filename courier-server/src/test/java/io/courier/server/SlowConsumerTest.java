package io.courier.server;

import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Delivery;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Login;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.Text;
import io.courier.server.HttpApi.Account;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A device that stops reading is disconnected once its outbound buffer passes the limit, instead of
 * the server buffering without bound; it loses nothing, because storage is the truth and it gets
 * the messages again when it logs back in.
 */
class SlowConsumerTest {
    private static final int BATCH = 100;
    private static final int MAX_MESSAGES = 4_000;

    @TempDir
    Path dir;

    @Test
    void aDeviceThatStopsReadingIsKickedAndGetsEverythingOnReturn() throws Exception {
        try (TestNode node = TestNode.start(dir, Map.of("gateway.max-outbound", "64KiB", "gateway.login-backlog", "5000"))) {
            Account sender = node.api.account("firehose");
            Account sleeper = node.api.account("sleeper");
            String text = "x".repeat(8_000);
            int sentInAll;
            try (Socket stalled = new Socket("127.0.0.1", node.node().tcpPort())) {
                // Small, but not below the loopback MSS: a smaller window makes the kernel back off
                // for a long time once the server has closed, which would only measure the kernel.
                stalled.setReceiveBufferSize(64 * 1024);
                DataOutputStream out = new DataOutputStream(stalled.getOutputStream());
                byte[] login = Envelope.newBuilder().setRequestId(1).setLogin(Login.newBuilder().setToken(sleeper.token())
                        .setDelivery(Delivery.ACKED)).build().toByteArray(); // what sat in kernel buffers comes again
                out.writeInt(login.length);
                out.write(login);
                out.flush();
                // ... and never reads until the firehose is done.
                long t0 = System.nanoTime();
                int sent = 0;
                try (NativeClient c = NativeClient.login(node.node().tcpPort(), sender.token())) {
                    // The stalled device's login was only written: wait until the server has it, or the
                    // loop below would see one device and stop before it began.
                    Awaitility.await("the stalled device logged in").atMost(Duration.ofSeconds(30))
                            .until(() -> node.api.get("/stats", null).json().get("current_count").asInt() == 2);
                    // Kernel buffers absorb megabytes first, so keep sending until the server reports
                    // that the stalled device is gone (only the sender's device is left).
                    while (node.api.get("/stats", null).json().get("current_count").asInt() > 1) {
                        assertThat(sent).as("the stalled device was never cut off").isLessThan(MAX_MESSAGES);
                        List<Long> ids = new ArrayList<>();
                        for (int i = 0; i < BATCH; i++, sent++) {
                            long id = c.nextRequestId();
                            ids.add(id);
                            c.write(Envelope.newBuilder().setRequestId(id).setSend(SendMessage.newBuilder().setToUserId(sleeper.id())
                                    .setClientMsgId("f-" + sent).setContent(Content.newBuilder().setText(Text.newBuilder().setText(text))))
                                    .build());
                        }
                        for (long id : ids) {
                            assertThat(c.await(e -> e.getRequestId() == id, Duration.ofSeconds(60)).hasSendAck()).isTrue();
                        }
                    }
                }
                System.out.printf("cut off after %d messages, %d ms%n", sent, (System.nanoTime() - t0) / 1_000_000);
                // Now read what the server had managed to send before it cut the connection. (The kick
                // frame itself may not have fitted into the full buffer; the close is what counts.)
                stalled.setSoTimeout(10_000);
                DataInputStream in = new DataInputStream(stalled.getInputStream());
                Envelope last = null;
                int pushed = 0;
                try {
                    while (true) {
                        byte[] frame = new byte[in.readInt()];
                        in.readFully(frame);
                        last = Envelope.parseFrom(frame);
                        if (last.hasMessage()) {
                            pushed++;
                        }
                    }
                } catch (EOFException | java.net.SocketException closed) { // end of stream or reset
                    // the server closed the connection
                }
                long closedAfter = (System.nanoTime() - t0) / 1_000_000;
                sentInAll = sent;
                System.out.printf("read %d pushes, closed after %d ms, last %s%n", pushed, closedAfter,
                        last == null ? null : last.getBodyCase());
                assertThat(pushed).as("pushed before the cut").isLessThan(sent);
                if (last != null && last.hasKicked()) {
                    assertThat(last.getKicked().getReason()).isEqualTo("slow_consumer");
                }
                // Cut well before the idle timeout (90 s) could have closed it.
                assertThat(closedAfter).as("ms until the connection was cut").isLessThan(30_000);
                // and counted, with help text, for an operator to see
                String metrics = node.api.get("/metrics", null).text();
                assertThat(metrics).contains("# HELP courier_kicks_total Client connections the server cut off, by reason")
                        .containsPattern("courier_kicks_total\\{[^}]*reason=\"slow_consumer\"[^}]*} 1\\.0");
            }
            // Back online: every message is there.
            try (NativeClient back = NativeClient.login(node.node().tcpPort(), sleeper.token())) {
                Set<Long> seqs = new HashSet<>();
                for (int i = 0; i < sentInAll; i++) {
                    seqs.add(back.await(Envelope::hasMessage, Duration.ofSeconds(30)).getMessage().getSeq());
                }
                assertThat(seqs).hasSize(sentInAll);
            }
        }
    }
}
