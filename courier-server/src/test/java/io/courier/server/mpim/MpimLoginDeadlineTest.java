package io.courier.server.mpim;

import io.courier.server.NodeExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A line connection that never logs in used to stay forever: now it gets the login deadline too. */
class MpimLoginDeadlineTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension(Map.of("mpim.login-timeout", "1s"));

    @Test
    void aLineConnectionWithoutLoginIsToldAndClosed() {
        server.api.account("moe");
        try (LineClient lurker = LineClient.connect(server.node().mpimPort());
             LineClient user = LineClient.login(server.node().mpimPort(), "moe", "password-moe")) {
            assertThat(lurker.await(line -> line.startsWith("-ERR"))).isEqualTo("-ERR login timeout: no LOGIN or REGISTER within 1 s");
            assertThat(lurker.awaitClosed(Duration.ofSeconds(10))).isTrue();
            // logged in before the deadline, so it stays
            assertThat(user.pull()).isEmpty();
            assertThat(user.awaitClosed(Duration.ZERO)).isFalse();
        }
    }
}
