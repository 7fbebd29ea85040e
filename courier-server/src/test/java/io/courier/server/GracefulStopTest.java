package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.Text;
import io.courier.server.HttpApi.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to a real server process while a client has sends in flight and others sit connected on
 * each protocol: the process stops by itself, every send it answered is stored (once), every
 * answer is an ack or a retryable refusal, and idle devices are told why they are cut off.
 */
class GracefulStopTest {
    private static final int SENDS = 2000;

    @TempDir
    Path dir;

    @Test
    void sigtermFinishesTheSendsInFlightAndTellsEveryDeviceWhy() throws Exception {
        List<String> acked = new ArrayList<>();
        Account alice;
        Account bob;
        try (ProcessNode node = ProcessNode.start(dir)) {
            HttpApi api = node.api();
            alice = api.account("alice");
            bob = api.account("bob");
            Account carol = api.account("carol");
            try (NativeClient a = NativeClient.login(node.tcpPort(), alice.token());
                 WsClient b = WsClient.connect(node.httpPort(), bob.token());
                 Socket c = new Socket("127.0.0.1", node.mpimPort())) {
                BufferedReader carolReads = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                OutputStream carolWrites = c.getOutputStream();
                assertThat(carolReads.readLine()).startsWith("+OK welcome");
                carolWrites.write("LOGIN carol password-carol\n".getBytes(StandardCharsets.UTF_8));
                carolWrites.flush();
                assertThat(carolReads.readLine()).isEqualTo("+OK uid=" + carol.id());

                List<Long> requests = new ArrayList<>();
                for (int i = 0; i < SENDS; i++) { // pipelined: all on the wire before any answer
                    long request = a.nextRequestId();
                    requests.add(request);
                    a.write(Envelope.newBuilder().setRequestId(request).setSend(SendMessage.newBuilder().setToUserId(bob.id())
                            .setClientMsgId("m-" + i).setContent(Content.newBuilder().setText(Text.newBuilder().setText("m " + i))))
                            .build());
                }
                Envelope first = a.await(e -> e.getRequestId() == requests.getFirst(), Duration.ofSeconds(30));
                assertThat(first.hasSendAck()).as("first answer %s", first).isTrue();
                acked.add("m-0");

                assertThat(node.terminate()).as("exit code after SIGTERM\n%s", node.output()).isEqualTo(143);

                for (int i = 1; i < SENDS; i++) {
                    long request = requests.get(i);
                    Envelope answer;
                    try {
                        answer = a.await(e -> e.getRequestId() == request, Duration.ofSeconds(10));
                    } catch (AssertionError closed) {
                        break; // the connection ended; the rest were never answered, so the client retries them
                    }
                    if (answer.hasSendAck()) {
                        acked.add("m-" + i);
                    } else {
                        assertThat(answer.getError().getName()).as("a refusal a client retries").isIn("OVERLOADED", "UNAVAILABLE");
                    }
                }
                JsonNode kicked = b.await(f -> f.path("type").asInt() == 100, Duration.ofSeconds(10));
                assertThat(kicked.at("/content/reason").asText()).isEqualTo("shutdown");
                String line;
                while ((line = carolReads.readLine()) != null && line.startsWith("MSG ")) {
                    // pushes before the goodbye
                }
                assertThat(line).isEqualTo("-ERR kicked: shutdown");
                assertThat(carolReads.readLine()).as("then the end of the stream").isNull();
            }
            assertThat(node.output()).contains("Courier stopping").contains("closed 3 devices").contains("Courier stopped in");
        }

        try (ProcessNode again = ProcessNode.start(dir)) {
            List<String> stored = GroupKit.httpHistory(again.api(), bob.token(), "/api/messages/private/" + alice.id()).stream()
                    .map(m -> m.get("message_id").asText()).toList(); // the client's message id
            Set<String> unique = new HashSet<>(stored);
            assertThat(unique).as("stored once each").hasSameSizeAs(stored);
            assertThat(unique).as("every acknowledged send is stored").containsAll(acked);
            System.out.printf("SIGTERM with %d sends in flight: %d acknowledged, %d stored%n", SENDS, acked.size(), stored.size());
        }
    }
}
