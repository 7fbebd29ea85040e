package io.courier.server.mpim;

import io.courier.server.HttpApi.Account;
import io.courier.server.NodeExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The rate limits reach the MPIM line protocol too, as an -ERR line that says when to retry. */
class MpimRateLimitTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension(Map.of("limits.enabled", "true", "limits.messages", "2/1h"));

    @Test
    void aSenderOverTheLimitIsToldWhenToRetryAndTheConnectionLives() {
        server.api.account("ivy");
        Account jon = server.api.account("jon");
        try (LineClient c = LineClient.login(server.node().mpimPort(), "ivy", "password-ivy")) {
            assertThat(c.answer("SEND " + jon.id() + " one")).startsWith("+OK msg_id=");
            assertThat(c.answer("SEND " + jon.id() + " two")).startsWith("+OK msg_id=");
            assertThat(c.answer("SEND " + jon.id() + " three"))
                    .matches("-ERR send: Too many messages from this user \\(at most 2 per hour\\) \\(retry in \\d+ s\\)");
            assertThat(c.pull()).isEmpty(); // still connected and logged in
        }
    }
}
