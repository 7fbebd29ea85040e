package io.courier.server.mpim;

import io.courier.server.HttpApi;
import io.courier.server.HttpApi.Account;
import io.courier.server.NodeExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command of the MPIM line protocol against a real node over a raw socket: each success and each
 * failure of the compatibility table with its exact line, and Courier's lines for the cases MPIM names none.
 */
class MpimCommandsTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    private static int port() {
        return server.node().mpimPort();
    }

    private static String password(String username) {
        return "password-" + username;
    }

    /** A user registered over HTTP, logged in on a line connection. */
    private static LineClient line(Account account) {
        return LineClient.login(port(), account.username(), password(account.username()));
    }

    @Test
    void aNewConnectionIsGreetedFirst() {
        try (LineClient c = LineClient.open(port())) {
            assertThat(c.next()).isEqualTo("+OK welcome. Commands: REGISTER/LOGIN/SEND/PULL");
        }
    }

    @Test
    void registerCreatesTheAccountAndLogsTheConnectionIn() {
        try (LineClient c = LineClient.connect(port())) {
            String answer = c.ask("REGISTER reggie secret1");

            long id = server.api.login("reggie", "secret1", "phone").get("user_id").asLong();
            assertThat(answer).isEqualTo("+OK uid=" + id);
            assertThat(c.ask("GETFRIENDS")).isEqualTo("+OK friends: ");
        }
    }

    /** MPIM's own register_users tool registers all its users, one after the other, on one connection. */
    @Test
    void aLoggedInConnectionSwitchesToTheUserOfANewRegisterOrLoginAsInMpim() {
        Account sender = server.api.account("switch-sender");
        try (LineClient c = LineClient.connect(port())) {
            long first = uid(c.ask("REGISTER switcher0 secret0"));
            List<Long> ids = new java.util.ArrayList<>(List.of(first));
            for (int i = 1; i < 16; i++) {
                ids.add(uid(c.ask("REGISTER switcher" + i + " secret" + i)));
            }
            assertThat(ids).doesNotHaveDuplicates();
            for (int i = 0; i < 16; i++) { // every account exists with its password
                assertThat(server.api.login("switcher" + i, "secret" + i, "phone").get("user_id").asLong()).isEqualTo(ids.get(i));
            }
            long last = ids.getLast();
            // A REGISTER that fails leaves the connection as it was.
            assertThat(c.ask("REGISTER switcher3 again1")).isEqualTo("-ERR exists");
            // Pushes follow the switch: a message to the first user is not written here, one to the last is.
            assertThat(server.api.post("/api/messages", obj("to_user_id", first, "text", "for the first"), sender.token()).status())
                    .isEqualTo(200);
            assertThat(server.api.post("/api/messages", obj("to_user_id", last, "text", "for the last"), sender.token()).status())
                    .isEqualTo(200);
            assertThat(c.await(l -> l.startsWith("MSG "))).endsWith("text=for the last");

            // Logging in as the first user again: this connection is not kicked by its own new session.
            assertThat(c.ask("LOGIN switcher0 secret0")).isEqualTo("+OK uid=" + first);
            assertThat(c.ask("LOGIN switcher0 secret0")).isEqualTo("+OK uid=" + first);
            assertThat(c.pull()).singleElement().satisfies(l -> assertThat(l).endsWith("text=for the first"));
            // A LOGIN that fails leaves the connection logged out.
            assertThat(c.ask("LOGIN switcher0 wrong-password")).isEqualTo("-ERR auth bad cred");
            assertThat(c.ask("GETFRIENDS")).isEqualTo("-ERR not login");
        }
    }

    private static long uid(String answer) {
        assertThat(answer).startsWith("+OK uid=");
        return Long.parseLong(answer.substring("+OK uid=".length()));
    }

    @Test
    void registerFailuresAreOneLineEach() {
        server.api.register("taken", "secret1");
        try (LineClient c = LineClient.connect(port())) {
            assertThat(c.ask("REGISTER taken another1")).isEqualTo("-ERR exists");
            assertThat(c.ask("REGISTER TAKEN another1")).isEqualTo("-ERR exists");
            assertThat(c.ask("REGISTER")).isEqualTo("-ERR REGISTER <user> <pwd>");
            assertThat(c.ask("REGISTER onlyname")).isEqualTo("-ERR REGISTER <user> <pwd>");
            assertThat(c.ask("REGISTER one two three")).isEqualTo("-ERR REGISTER <user> <pwd>");
            assertThat(c.ask("REGISTER shorty 123")).isEqualTo("-ERR register: A password is 6-72 characters");
            assertThat(c.ask("REGISTER 9lives secret1"))
                    .isEqualTo("-ERR register: A username is 3-32 characters: letters, digits, '_', '.' or '-', starting with a letter");
            // Still not logged in.
            assertThat(c.ask("GETFRIENDS")).isEqualTo("-ERR not login");
        }
    }

    @Test
    void loginAnswersTheUserIdOrOneErrorLine() {
        Account lou = server.api.account("lou");
        try (LineClient c = LineClient.connect(port())) {
            assertThat(c.ask("LOGIN lou wrong-password")).isEqualTo("-ERR auth bad cred");
            assertThat(c.ask("LOGIN nobody-here secret1")).isEqualTo("-ERR auth bad cred");
            assertThat(c.ask("LOGIN")).isEqualTo("-ERR LOGIN <user> <pwd>");
            assertThat(c.ask("LOGIN lou")).isEqualTo("-ERR LOGIN <user> <pwd>");
            assertThat(c.ask("LOGIN lou a b")).isEqualTo("-ERR LOGIN <user> <pwd>");

            assertThat(c.ask("LOGIN lou " + password("lou"))).isEqualTo("+OK uid=" + lou.id());
            assertThat(c.ask("LOGIN lou " + password("lou"))).as("logged in again, not kicked").isEqualTo("+OK uid=" + lou.id());
            assertThat(c.ask("GETFRIENDS")).isEqualTo("+OK friends: ");
        }
    }

    @Test
    void everyCommandButRegisterAndLoginNeedsALogin() {
        try (LineClient c = LineClient.connect(port())) {
            for (String command : List.of("SEND 1 hi", "SEND", "PULL", "LOGOUT", "ADDFRIEND 1", "GETFRIENDS",
                    "CREATEGROUP g", "JOINGROUP 1", "SENDGROUP 1 hi")) {
                assertThat(c.ask(command)).as(command).isEqualTo("-ERR not login");
            }
        }
    }

    @Test
    void commandWordsIgnoreCaseAndLinesMayEndInCrLf() {
        Account cora = server.api.account("cora");
        try (LineClient c = LineClient.connect(port())) {
            c.sendRaw(("login cora " + password("cora") + "\r\n").getBytes(StandardCharsets.UTF_8));
            assertThat(c.next()).isEqualTo("+OK uid=" + cora.id());
            c.sendRaw("gEtFrIeNdS\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(c.next()).isEqualTo("+OK friends: ");
            c.sendRaw("Pull\r\n".getBytes(StandardCharsets.UTF_8));
            assertThat(c.next()).isEqualTo("+OK pull_done");
        }
    }

    @Test
    void anUnknownCommandIsSaidSoBeforeAndAfterLogin() {
        Account uma = server.api.account("uma");
        try (LineClient c = LineClient.connect(port())) {
            assertThat(c.ask("HELLO")).isEqualTo("-ERR unknown cmd");
            assertThat(c.ask("SENDX 1 hi")).isEqualTo("-ERR unknown cmd");
            assertThat(c.ask("chat:5:hi")).isEqualTo("-ERR unknown cmd");
            assertThat(c.ask("LOGIN uma " + password("uma"))).isEqualTo("+OK uid=" + uma.id());
            assertThat(c.ask("HELP")).isEqualTo("-ERR unknown cmd");
        }
    }

    @Test
    void sendAnswersTheStoredMessageIdOrOneErrorLine() {
        Account sam = server.api.account("sam");
        Account sal = server.api.account("sal");
        try (LineClient c = line(sam)) {
            String ok = c.ask("SEND " + sal.id() + " hello: with spaces");
            assertThat(ok).matches("\\+OK msg_id=[1-9][0-9]*");
            HttpApi.Reply history = server.api.get("/api/messages/private/" + sal.id(), sam.token());
            assertThat(history.data().get("messages").get(0).get("server_message_id").asText())
                    .isEqualTo(ok.substring("+OK msg_id=".length()));
            assertThat(history.data().get("messages").get(0).at("/content/text").asText()).isEqualTo("hello: with spaces");

            assertThat(c.ask("SEND")).isEqualTo("-ERR SEND <toUid> <text>");
            assertThat(c.ask("SEND " + sal.id())).isEqualTo("-ERR SEND <toUid> <text>");
            assertThat(c.ask("SEND " + sal.id() + " ")).isEqualTo("-ERR SEND <toUid> <text>");
            assertThat(c.ask("SEND sal hi")).isEqualTo("-ERR bad toUid");
            assertThat(c.ask("SEND 0 hi")).isEqualTo("-ERR bad toUid");
            assertThat(c.ask("SEND -3 hi")).isEqualTo("-ERR bad toUid");
            assertThat(c.ask("SEND 987654321 hi")).isEqualTo("-ERR bad toUid");
            assertThat(c.ask("SEND " + sam.id() + " to me")).isEqualTo("-ERR send: You cannot do that to yourself");
            assertThat(c.ask("SEND " + sal.id() + "    ")).isEqualTo("-ERR send: The message has no content");
            assertThat(c.ask("SEND " + sal.id() + " " + "x".repeat(8193)))
                    .isEqualTo("-ERR send: The message text is longer than 8192 characters");
        }
    }

    @Test
    void sendingToSomeoneWhoBlockedYouIsRefusedInOneLine() {
        Account bea = server.api.account("bea");
        Account ben = server.api.account("ben");
        assertThat(server.api.send("PUT", "/api/blocks/" + bea.id(), null, ben.token()).status()).isEqualTo(200);
        try (LineClient c = line(bea)) {
            assertThat(c.ask("SEND " + ben.id() + " hi")).isEqualTo("-ERR send: The recipient does not accept messages from you");
        }
    }

    @Test
    void logoutEndsTheSessionAndTheSameConnectionMayLogInAgain() {
        Account leo = server.api.account("leo");
        Account lia = server.api.account("lia");
        try (LineClient c = line(leo)) {
            assertThat(c.ask("LOGOUT")).isEqualTo("+OK logout success");
            assertThat(c.ask("LOGOUT")).isEqualTo("-ERR not login");
            assertThat(c.ask("PULL")).isEqualTo("-ERR not login");
            assertThat(c.ask("SEND " + lia.id() + " hi")).isEqualTo("-ERR not login");

            assertThat(c.ask("LOGIN lia " + password("lia"))).isEqualTo("+OK uid=" + lia.id());
            assertThat(c.ask("GETFRIENDS")).isEqualTo("+OK friends: ");
        }
    }

    @Test
    void addFriendAsksAndTheOthersAddFriendMakesTheFriendship() {
        Account fay = server.api.account("fay");
        Account fin = server.api.account("fin");
        try (LineClient f = line(fay); LineClient g = line(fin)) {
            assertThat(f.ask("ADDFRIEND " + fin.id())).isEqualTo("+OK friend request sent");
            assertThat(f.ask("ADDFRIEND " + fin.id())).isEqualTo("-ERR addfriend: A friend request to this user is already pending");
            // Not friends yet: nothing but a request, which Fin sees as any other.
            assertThat(f.ask("GETFRIENDS")).isEqualTo("+OK friends: ");
            assertThat(g.ask("GETFRIENDS")).isEqualTo("+OK friends: ");
            assertThat(server.api.get("/api/friends/requests?direction=incoming", fin.token()).data().toString())
                    .contains("\"from\":{\"user_id\":\"" + fay.id() + "\"");

            assertThat(g.ask("ADDFRIEND " + fay.id())).isEqualTo("+OK friend added");
            assertThat(f.ask("ADDFRIEND " + fin.id())).isEqualTo("-ERR already friends");
            assertThat(g.ask("ADDFRIEND " + fay.id())).isEqualTo("-ERR already friends");
            assertThat(f.ask("GETFRIENDS")).isEqualTo("+OK friends: " + fin.id());
            assertThat(g.ask("GETFRIENDS")).isEqualTo("+OK friends: " + fay.id());
        }
        // The rest of Courier sees the same friendship.
        assertThat(server.api.get("/api/friends", fin.token()).data().toString()).contains("\"user_id\":\"" + fay.id() + "\"");
    }

    @Test
    void getFriendsListsIdsInAscendingOrder() {
        Account hub = server.api.account("hub");
        Account one = server.api.account("spoke1");
        Account two = server.api.account("spoke2");
        Account three = server.api.account("spoke3");
        try (LineClient h = line(hub)) {
            for (Account a : List.of(three, one, two)) { // each asked first, so ADDFRIEND accepts
                assertThat(server.api.post("/api/friends/requests", obj("user_id", hub.id()), a.token()).status()).isEqualTo(200);
                assertThat(h.ask("ADDFRIEND " + a.id())).isEqualTo("+OK friend added");
            }
            assertThat(h.ask("GETFRIENDS")).isEqualTo("+OK friends: " + one.id() + "," + two.id() + "," + three.id());
        }
    }

    @Test
    void addFriendFailuresAreMpimsLines() {
        Account ada = server.api.account("ada");
        try (LineClient c = line(ada)) {
            assertThat(c.ask("ADDFRIEND")).isEqualTo("-ERR ADDFRIEND <friend_id>");
            assertThat(c.ask("ADDFRIEND 1 2")).isEqualTo("-ERR ADDFRIEND <friend_id>");
            assertThat(c.ask("ADDFRIEND bob")).isEqualTo("-ERR bad friend_id");
            assertThat(c.ask("ADDFRIEND " + ada.id())).isEqualTo("-ERR bad friend_id");
            assertThat(c.ask("ADDFRIEND 987654321")).isEqualTo("-ERR friend not found");
        }
    }

    @Test
    void aSilentBlockLooksLikeAnUnknownUserAndIsNotOverridden() {
        Account ivy = server.api.account("ivy");
        Account ike = server.api.account("ike");
        assertThat(server.api.send("PUT", "/api/blocks/" + ivy.id(), null, ike.token()).status()).isEqualTo(200);
        try (LineClient c = line(ivy)) {
            assertThat(c.ask("ADDFRIEND " + ike.id())).isEqualTo("-ERR friend not found");
            assertThat(c.ask("GETFRIENDS")).isEqualTo("+OK friends: ");
        }
        assertThat(server.api.get("/api/friends", ike.token()).data().toString()).doesNotContain("\"user_id\":\"" + ivy.id() + "\"");
    }

    @Test
    void addFriendAcceptsAPendingRequestFromTheOtherSide() {
        Account pia = server.api.account("pia");
        Account pat = server.api.account("pat");
        assertThat(server.api.post("/api/friends/requests", obj("user_id", pat.id()), pia.token()).status()).isEqualTo(200);
        try (LineClient c = line(pat)) {
            assertThat(c.ask("ADDFRIEND " + pia.id())).isEqualTo("+OK friend added");
            assertThat(c.ask("GETFRIENDS")).isEqualTo("+OK friends: " + pia.id());
        }
        assertThat(server.api.get("/api/friends/requests", pat.token()).data().toString()).doesNotContain("\"pending\"");
    }

    @Test
    void createGroupMakesAnOpenGroupWithItsDescription() {
        Account gil = server.api.account("gil");
        try (LineClient c = line(gil)) {
            String ok = c.answer("CREATEGROUP book-club we read: slowly");
            assertThat(ok).matches("\\+OK group_id=[1-9][0-9]*");
            long group = Long.parseLong(ok.substring("+OK group_id=".length()));
            var info = server.api.get("/api/groups/" + group, gil.token()).data();
            assertThat(info.get("name").asText()).isEqualTo("book-club");
            assertThat(info.get("description").asText()).isEqualTo("we read: slowly");
            assertThat(info.get("join_policy").asText()).isEqualTo("open");
            assertThat(info.get("owner_id").asLong()).isEqualTo(gil.id());

            assertThat(c.answer("CREATEGROUP solo")).matches("\\+OK group_id=[1-9][0-9]*");
            assertThat(c.answer("CREATEGROUP")).isEqualTo("-ERR CREATEGROUP <group_name> [description]");
            assertThat(c.answer("CREATEGROUP " + "n".repeat(65))).isEqualTo("-ERR creategroup: A group name is 1-64 characters");
        }
    }

    @Test
    void joinGroupJoinsAnOpenGroupAndSaysWhatHappenedOtherwise() {
        Account own = server.api.account("owner1");
        Account joe = server.api.account("joe");
        long open = createGroup(own, "open");
        long approval = createGroup(own, "approval");
        long inviteOnly = createGroup(own, "invite_only");
        long dissolved = createGroup(own, "open");
        assertThat(server.api.send("DELETE", "/api/groups/" + dissolved, null, own.token()).status()).isEqualTo(200);
        try (LineClient c = line(joe)) {
            assertThat(c.answer("JOINGROUP " + open)).isEqualTo("+OK joined group");
            assertThat(c.answer("JOINGROUP " + open)).isEqualTo("-ERR joingroup: Already a member of this group");
            assertThat(c.answer("JOINGROUP " + approval)).isEqualTo("+OK join requested");
            assertThat(c.answer("JOINGROUP " + inviteOnly)).isEqualTo("-ERR joingroup: This group can only be joined by invitation");
            assertThat(c.answer("JOINGROUP " + dissolved)).isEqualTo("-ERR bad group_id");
            assertThat(c.answer("JOINGROUP 987654321")).isEqualTo("-ERR bad group_id");
            assertThat(c.answer("JOINGROUP club")).isEqualTo("-ERR bad group_id");
            assertThat(c.answer("JOINGROUP 0")).isEqualTo("-ERR bad group_id");
            assertThat(c.answer("JOINGROUP")).isEqualTo("-ERR JOINGROUP <group_id>");
            assertThat(c.answer("JOINGROUP 1 2")).isEqualTo("-ERR JOINGROUP <group_id>");
        }
        var members = server.api.get("/api/groups/" + open + "/members", own.token()).data().get("members");
        assertThat(members.toString()).contains("\"user_id\":\"" + joe.id() + "\"");
    }

    @Test
    void sendGroupChecksMembershipAndMutesInTheCore() {
        Account mod = server.api.account("mod");
        Account mem = server.api.account("mem");
        Account out = server.api.account("outsider");
        long group = createGroup(mod, "open");
        try (LineClient m = line(mem); LineClient o = line(out)) {
            assertThat(m.answer("JOINGROUP " + group)).isEqualTo("+OK joined group");
            assertThat(m.answer("SENDGROUP " + group + " hello: all of you")).matches("\\+OK group_msg_id=[1-9][0-9]*");
            assertThat(o.answer("SENDGROUP " + group + " let me in")).isEqualTo("-ERR sendgroup: You are not a member of this group");
            assertThat(server.api.post("/api/groups/" + group + "/mute", obj("target_id", mem.id(), "duration_s", 3600), mod.token())
                    .status()).isEqualTo(200);
            assertThat(m.answer("SENDGROUP " + group + " still here?")).startsWith("-ERR sendgroup: You are muted in this group until ");

            assertThat(m.answer("SENDGROUP")).isEqualTo("-ERR SENDGROUP <group_id> <text>");
            assertThat(m.answer("SENDGROUP " + group)).isEqualTo("-ERR SENDGROUP <group_id> <text>");
            assertThat(m.answer("SENDGROUP club hi")).isEqualTo("-ERR bad group_id");
            assertThat(m.answer("SENDGROUP 987654321 hi")).isEqualTo("-ERR bad group_id");
        }
    }

    /** A group of {@code owner} with a join policy, over HTTP; returns its id. */
    private static long createGroup(Account owner, String joinPolicy) {
        HttpApi.Reply r = server.api.post("/api/groups", obj("name", "g-" + joinPolicy, "join_policy", joinPolicy), owner.token());
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.data().get("group_id").asLong();
    }
}
