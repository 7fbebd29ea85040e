package io.courier.server.mpim;

import io.courier.server.HttpApi.Account;
import io.courier.server.NodeExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** Bad input on the MPIM line protocol: every case gets its line (or none) and the connection lives on. */
class MpimBadInputTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    private static int port() {
        return server.node().mpimPort();
    }

    private static LineClient line(Account account) {
        return LineClient.login(port(), account.username(), "password-" + account.username());
    }

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            out.writeBytes(p instanceof byte[] b ? b : p.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void aLineOverTheLimitIsReportedAndTheConnectionGoesOn() {
        Account tess = server.api.account("tess");
        Account theo = server.api.account("theo");
        try (LineClient c = LineClient.connect(port())) {
            assertThat(c.ask("x".repeat(70_000))).isEqualTo("-ERR line too long");
            assertThat(c.ask("LOGIN tess password-tess")).isEqualTo("+OK uid=" + tess.id());
            assertThat(c.ask("SEND " + theo.id() + " " + "y".repeat(65_536))).isEqualTo("-ERR line too long");
            // Within the line limit but over the text limit: the send's own error.
            assertThat(c.ask("SEND " + theo.id() + " " + "y".repeat(20_000)))
                    .isEqualTo("-ERR send: The message text is longer than 8192 characters");
            assertThat(c.ask("SEND " + theo.id() + " still here")).startsWith("+OK msg_id=");
        }
    }

    @Test
    void invalidUtf8BecomesReplacementCharactersAndNeverKillsTheConnection() {
        Account ute = server.api.account("ute");
        Account udo = server.api.account("udo");
        try (LineClient u = line(ute); LineClient d = line(udo)) {
            u.sendRaw(bytes("SEND " + udo.id() + " caf", new byte[] {(byte) 0xC3}, " ok ", new byte[] {(byte) 0xFF, (byte) 0xFE}, "\n"));
            assertThat(u.next()).startsWith("+OK msg_id=");
            assertThat(d.next()).endsWith(" text=caf\uFFFD ok \uFFFD\uFFFD");

            u.sendRaw(new byte[] {(byte) 0xFF, (byte) 0xFE, 'X', '\n'});
            assertThat(u.next()).isEqualTo("-ERR unknown cmd");
            assertThat(u.ask("GETFRIENDS")).isEqualTo("+OK friends: ");
        }
    }

    @Test
    void emptyAndBlankLinesGetNoAnswer() {
        try (LineClient c = LineClient.connect(port())) {
            c.sendRaw(bytes("\n", "\r\n", "   \n", "\t\n", "HELLO\n"));
            assertThat(c.next()).isEqualTo("-ERR unknown cmd");
        }
    }

    @Test
    void hugeAndNegativeNumbersAreBadIdsNotCrashes() {
        Account hal = server.api.account("hal");
        try (LineClient h = line(hal)) {
            assertThat(h.ask("SEND 99999999999999999999999999 x")).isEqualTo("-ERR bad toUid");
            assertThat(h.ask("SEND 9223372036854775807 x")).isEqualTo("-ERR bad toUid");
            assertThat(h.ask("SEND 18446744073709551615 x")).isEqualTo("-ERR bad toUid");
            assertThat(h.ask("SEND +5 x")).isEqualTo("-ERR bad toUid");
            assertThat(h.ask("ADDFRIEND 18446744073709551616")).isEqualTo("-ERR bad friend_id");
            assertThat(h.ask("ADDFRIEND -1")).isEqualTo("-ERR bad friend_id");
            assertThat(h.ask("ADDFRIEND 9223372036854775807")).isEqualTo("-ERR friend not found");
            assertThat(h.ask("JOINGROUP 9223372036854775807")).isEqualTo("-ERR bad group_id");
            assertThat(h.ask("JOINGROUP 9223372036854775808")).isEqualTo("-ERR bad group_id");
            assertThat(h.ask("SENDGROUP 1e9 x")).isEqualTo("-ERR bad group_id");
            assertThat(h.ask("GETFRIENDS")).isEqualTo("+OK friends: ");
        }
    }

    @Test
    void linesSentTogetherAreAnsweredOneByOneInOrder() {
        Account ola = server.api.account("ola");
        Account ove = server.api.account("ove");
        try (LineClient o = LineClient.connect(port()); LineClient v = line(ove)) {
            StringBuilder burst = new StringBuilder("LOGIN ola password-ola\n");
            for (int i = 1; i <= 20; i++) {
                burst.append("SEND ").append(ove.id()).append(" n").append(i).append('\n');
            }
            burst.append("FOO\nGETFRIENDS\n");
            o.sendRaw(burst.toString().getBytes(StandardCharsets.UTF_8));

            assertThat(o.next()).isEqualTo("+OK uid=" + ola.id());
            long previous = 0;
            for (int i = 1; i <= 20; i++) {
                String ok = o.next();
                assertThat(ok).startsWith("+OK msg_id=");
                long id = Long.parseLong(ok.substring("+OK msg_id=".length()));
                assertThat(id).isGreaterThan(previous);
                previous = id;
                assertThat(v.next()).endsWith(" text=n" + i);
            }
            assertThat(o.next()).isEqualTo("-ERR unknown cmd");
            assertThat(o.next()).isEqualTo("+OK friends: ");
        }
    }

    @Test
    void aSecondLoginOfTheSameUserKicksTheFirstConnection() {
        Account kit = server.api.account("kit");
        Account kip = server.api.account("kip");
        try (LineClient first = line(kit); LineClient other = line(kip)) {
            try (LineClient second = line(kit)) {
                assertThat(first.next()).isEqualTo("-ERR kicked: replaced");
                assertThat(first.awaitClosed(Duration.ofSeconds(5))).isTrue();

                other.ask("SEND " + kit.id() + " to the new one");
                assertThat(second.next()).endsWith(" text=to the new one");
                assertThat(second.ask("GETFRIENDS")).isEqualTo("+OK friends: ");
            }
        }
    }

    @Test
    void aClientThatClosesWithoutLogoutLeavesNoDeviceBehind() {
        Account cleo = server.api.account("cleo");
        Account carl = server.api.account("carl");
        Account bystander = server.api.account("bystander");
        try (LineClient c = line(cleo)) {
            assertThat(c.ask("ADDFRIEND " + carl.id())).isEqualTo("+OK friend request sent");
            assertThat(server.api.post("/api/friends/requests", obj("user_id", cleo.id()), carl.token()).status()).isEqualTo(200);
        }
        LineClient.awaitOffline(server.api, carl, cleo);
        // Offline again: a message to the user waits for the next PULL, and a new connection logs in as usual.
        try (LineClient k = line(carl)) {
            k.ask("SEND " + cleo.id() + " later");
            k.settle(bystander.id());
        }
        try (LineClient c = line(cleo)) {
            assertThat(c.pull()).singleElement().satisfies(l -> assertThat(l).endsWith(" text=later"));
        }
    }
}
