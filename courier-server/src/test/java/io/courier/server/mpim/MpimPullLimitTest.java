package io.courier.server.mpim;

import io.courier.server.HttpApi.Account;
import io.courier.server.NodeExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** PULL returns at most gateway.login-backlog messages; the next PULL goes on where it stopped. */
class MpimPullLimitTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension(Map.of("gateway.login-backlog", "3"));

    private static LineClient line(Account account) {
        return LineClient.login(server.node().mpimPort(), account.username(), "password-" + account.username());
    }

    private static List<String> texts(List<String> lines) {
        return lines.stream().map(l -> l.substring(l.indexOf(" text=") + " text=".length())).toList();
    }

    @Test
    void pullsGoOnWhereTheLastOneStoppedAndSkipWhatCameLive() {
        Account amy = server.api.account("amy");
        Account abe = server.api.account("abe");
        Account bystander = server.api.account("bystander");
        try (LineClient a = line(amy)) {
            for (int i = 1; i <= 5; i++) {
                a.ask("SEND " + abe.id() + " m" + i);
            }
            a.settle(bystander.id());
            try (LineClient b = line(abe)) {
                a.ask("SEND " + abe.id() + " live");
                assertThat(b.next()).endsWith(" text=live");

                assertThat(texts(b.pull())).containsExactly("m1", "m2", "m3");
                assertThat(texts(b.pull())).containsExactly("m4", "m5");
                assertThat(b.pull()).isEmpty();
            }
        }
        try (LineClient b = line(abe)) {
            assertThat(b.pull()).isEmpty();
        }
    }
}
