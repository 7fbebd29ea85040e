package io.courier.server;

import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Heartbeat;
import io.courier.protocol.v1.Login;
import io.courier.server.HttpApi.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Native connections must log in soon after they connect, and one address may keep only so many waiting. */
class LoginDeadlineTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension(Map.of("gateway.login-timeout", "1s",
            "gateway.max-unauthenticated-per-address", "3"));

    @Test
    void aConnectionThatNeverLogsInIsToldAndClosedHeartbeatsOrNot() throws Exception {
        Account kai = server.api.account("kai");
        try (NativeClient member = NativeClient.login(server.node().tcpPort(), kai.token());
             NativeClient lurker = new NativeClient(server.node().tcpPort())) {
            lurker.write(Envelope.newBuilder().setRequestId(1).setHeartbeat(Heartbeat.newBuilder().setClientTs(1)).build());
            assertThat(lurker.await(e -> e.getRequestId() == 1).hasHeartbeat()).isTrue(); // answered, but no reprieve

            Envelope told = lurker.await(Envelope::hasError, Duration.ofSeconds(15));
            assertThat(told.getError().getName()).isEqualTo("NOT_LOGGED_IN");
            assertThat(told.getError().getMessage()).isEqualTo("No login within 1 s of connecting; closing");
            assertThat(lurker.awaitClosedByServer(Duration.ofSeconds(10))).isTrue();

            // The member, connected before the lurker, is past the deadline too and stays.
            Envelope pong = member.request(Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setClientTs(2)));
            assertThat(pong.getHeartbeat().getClientTs()).isEqualTo(2);
            assertThat(member.isClosedByServer()).isFalse();
        }
    }

    @Test
    void oneAddressMayHoldOnlySoManyConnectionsBeforeTheyLogIn(@TempDir Path dir) {
        // A deadline far away, so that only logins free places here.
        try (TestNode node = TestNode.start(dir, Map.of("gateway.login-timeout", "10m", "gateway.max-unauthenticated-per-address", "3"))) {
            Account lia = node.api.account("lia");
            List<NativeClient> four = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    four.add(new NativeClient(node.node().tcpPort()));
                }
                // The server may take the four in any order (two event loops): one of them is refused.
                await().atMost(Duration.ofSeconds(15)).until(() -> four.stream().filter(NativeClient::isClosedByServer).count() == 1);
                NativeClient refusedOne = four.stream().filter(NativeClient::isClosedByServer).findFirst().orElseThrow();
                Envelope refused = refusedOne.await(Envelope::hasError, Duration.ofSeconds(1));
                assertThat(refused.getError().getName()).isEqualTo("RATE_LIMITED");
                assertThat(refused.getError().getMessage()).contains("have not logged in");
                List<NativeClient> waiting = four.stream().filter(c -> c != refusedOne).toList();

                // A login frees a place at once.
                assertThat(waiting.get(0).request(Envelope.newBuilder().setLogin(Login.newBuilder().setToken(lia.token())))
                        .hasLoginOk()).isTrue();
                try (NativeClient fifth = new NativeClient(node.node().tcpPort())) {
                    String tablet = node.api.login("lia", "password-lia", "tablet").get("token").asText();
                    assertThat(fifth.request(Envelope.newBuilder().setLogin(Login.newBuilder().setToken(tablet))).hasLoginOk()).isTrue();
                }
                assertThat(waiting).noneMatch(NativeClient::isClosedByServer);
            } finally {
                four.forEach(NativeClient::close);
            }
        }
    }
}
