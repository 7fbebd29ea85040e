package io.courier.server.mpim;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.server.HttpApi;
import io.courier.server.HttpApi.Account;
import io.courier.server.NodeExtension;
import io.courier.server.WsClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages over the MPIM line protocol against a real node: live MSG lines with real ids, group
 * messages, offline messages fetched by PULL exactly once (also across reconnects and around live
 * pushes), and chats with WebSocket users.
 */
class MpimMessagingTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    /** Receives the messages that only mark a point in time (LineClient.settle). */
    private static Account bystander;

    @BeforeAll
    static void accounts() {
        bystander = server.api.account("bystander");
    }

    private static final Pattern MSG = Pattern.compile("MSG id=([1-9][0-9]*) from=([0-9]+) ts=([0-9]+)( group=[0-9]+)? text=(.*)");

    private static int port() {
        return server.node().mpimPort();
    }

    private static LineClient line(Account account) {
        return LineClient.login(port(), account.username(), "password-" + account.username());
    }

    private static long id(String answer, String prefix) {
        assertThat(answer).startsWith(prefix);
        return Long.parseLong(answer.substring(prefix.length()));
    }

    /** The text of each MSG line. */
    private static List<String> texts(List<String> msgLines) {
        return msgLines.stream().map(l -> {
            Matcher m = MSG.matcher(l);
            assertThat(m.matches()).as(l).isTrue();
            return m.group(5);
        }).toList();
    }

    @Test
    void aliceAndBobChatLiveAndEachLineCarriesTheStoredMessage() {
        Account alice = server.api.account("alice");
        Account bob = server.api.account("bob");
        try (LineClient a = line(alice); LineClient b = line(bob)) {
            long before = System.currentTimeMillis();
            long sent = id(a.ask("SEND " + bob.id() + " Hello Bob: how are you? 1 = 1"), "+OK msg_id=");
            long after = System.currentTimeMillis();

            String push = b.next();
            Matcher m = MSG.matcher(push);
            assertThat(m.matches()).as(push).isTrue();
            assertThat(push).isEqualTo("MSG id=" + sent + " from=" + alice.id() + " ts=" + m.group(3)
                    + " text=Hello Bob: how are you? 1 = 1");
            assertThat(Long.parseLong(m.group(3))).isBetween(before, after);
            JsonNode stored = server.api.get("/api/messages/private/" + alice.id(), bob.token()).data().get("messages").get(0);
            assertThat(stored.get("server_message_id").asText()).isEqualTo(Long.toString(sent));
            assertThat(stored.get("timestamp").asLong()).isEqualTo(Long.parseLong(m.group(3)));

            long reply = id(b.ask("SEND " + alice.id() + " Fine, thanks"), "+OK msg_id=");
            assertThat(a.next()).startsWith("MSG id=" + reply + " from=" + bob.id() + " ts=").endsWith(" text=Fine, thanks");
        }
    }

    @Test
    void groupMessagesAndTimelineEventsNameTheirGroup() {
        Account gus = server.api.account("gus");
        Account gwen = server.api.account("gwen");
        try (LineClient g = line(gus); LineClient w = line(gwen)) {
            long group = id(g.answer("CREATEGROUP hikers weekend trips"), "+OK group_id=");
            assertThat(g.next()).matches("MSG id=[1-9][0-9]* from=" + gus.id() + " ts=[0-9]+ group=" + group + " text=\\* " + gus.id()
                    + " created the group");
            assertThat(w.answer("JOINGROUP " + group)).isEqualTo("+OK joined group");
            String joined = " group=" + group + " text=* " + gwen.id() + " joined";
            assertThat(g.next()).startsWith("MSG id=").endsWith(joined);
            assertThat(w.next()).startsWith("MSG id=").endsWith(joined);

            long sent = id(w.answer("SENDGROUP " + group + " see you at 8: bring water"), "+OK group_msg_id=");
            String push = g.next();
            assertThat(push).matches("MSG id=" + sent + " from=" + gwen.id() + " ts=[0-9]+ group=" + group
                    + " text=see you at 8: bring water");
            JsonNode stored = server.api.get("/api/messages/group/" + group, gus.token()).data().get("messages").get(0);
            assertThat(stored.get("server_message_id").asText()).isEqualTo(Long.toString(sent));
            // The sender's own line device had the answer, not a push: its PULL is empty.
            assertThat(w.pull()).isEmpty();
        }
    }

    /** One order, every time: the answer, then the group's event line (it raced before). */
    @Test
    void aGroupCommandIsAnsweredBeforeItsEventLine() {
        Account hal = server.api.account("hal");
        Account ida = server.api.account("ida");
        try (LineClient h = line(hal); LineClient i = line(ida)) {
            for (int round = 0; round < 20; round++) {
                String created = h.ask("CREATEGROUP round-" + round);
                assertThat(created).as("round %d", round).startsWith("+OK group_id=");
                long group = id(created, "+OK group_id=");
                assertThat(h.next()).as("round %d", round).endsWith(" group=" + group + " text=* " + hal.id() + " created the group");

                assertThat(i.ask("JOINGROUP " + group)).as("round %d", round).isEqualTo("+OK joined group");
                assertThat(i.next()).as("round %d", round).endsWith(" group=" + group + " text=* " + ida.id() + " joined");
                assertThat(h.next()).as("round %d", round).endsWith(" group=" + group + " text=* " + ida.id() + " joined");
            }
        }
    }

    @Test
    void offlineMessagesComeWithPullInOrderAndOnlyOnce() {
        Account olga = server.api.account("olga");
        Account otto = server.api.account("otto");
        try (LineClient o = line(olga)) {
            for (int i = 1; i <= 3; i++) {
                assertThat(o.ask("SEND " + otto.id() + " while you were away " + i)).startsWith("+OK msg_id=");
            }
            o.settle(bystander.id());
        }
        try (LineClient t = line(otto)) {
            // A login pushes nothing: the next line is the answer to the next command.
            assertThat(t.ask("GETFRIENDS")).isEqualTo("+OK friends: ");
            List<String> pulled = t.pull();
            assertThat(texts(pulled)).containsExactly("while you were away 1", "while you were away 2", "while you were away 3");
            assertThat(pulled).allSatisfy(l -> assertThat(l).contains(" from=" + olga.id() + " "));
            assertThat(t.pull()).isEmpty();
        }
        // The delivered cursor survived the connection.
        try (LineClient again = line(otto)) {
            assertThat(again.pull()).isEmpty();
        }
    }

    @Test
    void aMessagePushedLiveIsNotPulledAgainNowOrAfterAReconnect() {
        Account lena = server.api.account("lena");
        Account lars = server.api.account("lars");
        try (LineClient a = line(lena); LineClient b = line(lars)) {
            a.ask("SEND " + lars.id() + " live one");
            assertThat(texts(List.of(b.next()))).containsExactly("live one");
            assertThat(b.pull()).isEmpty();
        }
        try (LineClient b = line(lars)) {
            assertThat(b.pull()).isEmpty();
        }
    }

    @Test
    void pullAfterAReconnectReturnsOnlyWhatCameSince() {
        Account rita = server.api.account("rita");
        Account rolf = server.api.account("rolf");
        try (LineClient r = line(rita)) {
            assertThat(r.ask("ADDFRIEND " + rolf.id())).isEqualTo("+OK friend request sent");
            assertThat(server.api.post("/api/friends/requests", obj("user_id", rita.id()), rolf.token()).status()).isEqualTo(200);
            r.ask("SEND " + rolf.id() + " first");
            r.ask("SEND " + rolf.id() + " second");
            r.settle(bystander.id());
            try (LineClient f = line(rolf)) {
                assertThat(texts(f.pull())).containsExactly("first", "second");
            }
            LineClient.awaitOffline(server.api, rita, rolf);
            r.ask("SEND " + rolf.id() + " third");
            r.settle(bystander.id());
        }
        try (LineClient f = line(rolf)) {
            assertThat(texts(f.pull())).containsExactly("third");
        }
    }

    @Test
    void liveMessagesDoNotHideOlderOnesThatWaitForPull() {
        Account nina = server.api.account("nina");
        Account nils = server.api.account("nils");
        try (LineClient n = line(nina)) {
            n.ask("SEND " + nils.id() + " sent while you were away");
            n.settle(bystander.id());
            try (LineClient s = line(nils)) {
                n.ask("SEND " + nils.id() + " sent while you are here");
                assertThat(texts(List.of(s.next()))).containsExactly("sent while you are here");

                assertThat(texts(s.pull())).containsExactly("sent while you were away");
                assertThat(s.pull()).isEmpty();
            }
        }
        try (LineClient s = line(nils)) {
            assertThat(s.pull()).isEmpty();
        }
    }

    @Test
    void aLineUserAndAWebSocketUserChatBothWays() {
        Account lina = server.api.account("lina");
        Account webb = server.api.account("webb");
        try (LineClient l = line(lina); WsClient w = WsClient.connect(server.node().httpPort(), webb.token())) {
            long sent = id(l.ask("SEND " + webb.id() + " hello from the line"), "+OK msg_id=");
            JsonNode got = w.await(f -> f.path("type").asInt() == 1);
            assertThat(got.at("/content/text").asText()).isEqualTo("hello from the line");
            assertThat(got.get("from").asLong()).isEqualTo(lina.id());
            assertThat(got.get("server_message_id").asText()).isEqualTo(Long.toString(sent));

            w.sendText("{\"type\":1,\"to\":" + lina.id() + ",\"message_id\":\"w-1\",\"content\":{\"text\":\"hello line\\nsecond line\"}}");
            JsonNode ack = w.await(f -> f.path("type").asInt() == 30);
            String push = l.next();
            assertThat(push).isEqualTo("MSG id=" + ack.at("/content/server_message_id").asText() + " from=" + webb.id() + " ts="
                    + ack.get("timestamp").asText() + " text=hello line\\nsecond line");
        }
    }

    @Test
    void contentsOtherThanTextArriveAsReadablePlaceholders() {
        Account pam = server.api.account("pam");
        Account pix = server.api.account("pix");
        try (LineClient p = line(pam); WsClient w = WsClient.connect(server.node().httpPort(), pix.token())) {
            w.sendText("{\"type\":4,\"to\":" + pam.id() + ",\"message_id\":\"img-1\",\"content\":{\"url\":\"https://cdn.example/cat.png\"}}");
            assertThat(p.next()).endsWith(" text=[image] https://cdn.example/cat.png");
            w.sendText("{\"type\":7,\"to\":" + pam.id() + ",\"message_id\":\"file-1\",\"content\":{\"url\":\"https://cdn.example/a.pdf\","
                    + "\"name\":\"a.pdf\"}}");
            assertThat(p.next()).endsWith(" text=[file] a.pdf https://cdn.example/a.pdf");
            // A typing indicator has no line: nothing is written for it, the next line is the next message.
            w.sendText("{\"type\":33,\"request_id\":1,\"to\":" + pam.id() + ",\"content\":{\"typing\":true}}");
            w.sendText("{\"type\":1,\"to\":" + pam.id() + ",\"message_id\":\"t-1\",\"content\":{\"text\":\"after typing\"}}");
            assertThat(p.next()).endsWith(" text=after typing");
        }
    }

    @Test
    void afterLogoutNothingIsPushedAndTheNextLoginPullsIt() {
        Account kai = server.api.account("kai");
        Account kim = server.api.account("kim");
        try (LineClient k = line(kai); LineClient m = line(kim)) {
            assertThat(m.ask("LOGOUT")).isEqualTo("+OK logout success");
            k.ask("SEND " + kim.id() + " are you there?");
            k.settle(bystander.id());
            // Logged out: the message is not pushed; the next line is the answer to the next command.
            assertThat(m.ask("GETFRIENDS")).isEqualTo("-ERR not login");
            assertThat(m.ask("LOGIN kim password-kim")).isEqualTo("+OK uid=" + kim.id());
            assertThat(texts(m.pull())).containsExactly("are you there?");
        }
    }

    @Test
    void theDeviceSessionIsOneOfTheUsersDevices() {
        Account dora = server.api.account("dora");
        Account dirk = server.api.account("dirk");
        try (LineClient d = line(dora)) {
            d.ask("SEND " + dirk.id() + " hi");
            d.settle(bystander.id());
        }
        // The line device is a device like any other: HTTP still works for the same user, and its token is untouched.
        HttpApi.Reply conversations = server.api.get("/api/conversations", dora.token());
        assertThat(conversations.status()).isEqualTo(200);
        assertThat(conversations.data().toString()).contains("\"peer_user_id\":\"" + dirk.id() + "\"");
        assertThat(server.api.post("/api/friends/requests", obj("user_id", dirk.id()), dora.token()).status()).isEqualTo(200);
        try (WsClient w = WsClient.connect(server.node().httpPort(), dirk.token())) {
            assertThat(w.await(f -> f.path("type").asInt() == 1).at("/content/text").asText()).isEqualTo("hi");
        }
    }
}
