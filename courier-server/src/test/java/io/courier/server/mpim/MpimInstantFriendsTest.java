package io.courier.server.mpim;

import io.courier.server.HttpApi.Account;
import io.courier.server.NodeExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mpim.instant-friends}: MPIM's own rule, for deployments that want it, friends both ways at once. */
class MpimInstantFriendsTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension(Map.of("mpim.instant-friends", "true"));

    @Test
    void addFriendMakesAnInstantMutualFriendship() {
        Account fay = server.api.account("fay");
        Account fin = server.api.account("fin");
        try (LineClient f = LineClient.login(server.node().mpimPort(), "fay", "password-fay");
             LineClient g = LineClient.login(server.node().mpimPort(), "fin", "password-fin")) {
            assertThat(f.ask("ADDFRIEND " + fin.id())).isEqualTo("+OK friend added");
            assertThat(f.ask("ADDFRIEND " + fin.id())).isEqualTo("-ERR already friends");
            assertThat(g.ask("ADDFRIEND " + fay.id())).isEqualTo("-ERR already friends");
            assertThat(f.ask("GETFRIENDS")).isEqualTo("+OK friends: " + fin.id());
            assertThat(g.ask("GETFRIENDS")).isEqualTo("+OK friends: " + fay.id());
        }
        // The rest of Courier sees the same friendship.
        assertThat(server.api.get("/api/friends", fin.token()).data().toString()).contains("\"user_id\":\"" + fay.id() + "\"");
    }
}
