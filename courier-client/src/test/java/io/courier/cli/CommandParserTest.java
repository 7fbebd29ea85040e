package io.courier.cli;

import io.courier.cli.AccountCommand.Login;
import io.courier.cli.AccountCommand.Register;
import io.courier.cli.ChatCommand.History;
import io.courier.cli.ChatCommand.Recall;
import io.courier.cli.ChatCommand.Send;
import io.courier.cli.FriendCommand.AddFriend;
import io.courier.cli.FriendCommand.Answer;
import io.courier.cli.GroupCommand.Create;
import io.courier.cli.GroupCommand.Invite;
import io.courier.cli.GroupCommand.Join;
import io.courier.cli.GroupCommand.SetAdmin;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The two syntaxes a person may type: MPIM's colon form and the space form. */
class CommandParserTest {
    private final CommandParser parser = new CommandParser(CommandCatalog.standard());

    @Test
    void mpimColonFormAndSpaceFormMeanTheSame() {
        assertThat(parser.parse("register:alice:secret1")).isEqualTo(new Register("alice", "secret1"));
        assertThat(parser.parse("register alice secret1")).isEqualTo(new Register("alice", "secret1"));
        assertThat(parser.parse("login:alice:secret1")).isEqualTo(new Login("alice", "secret1"));
        assertThat(parser.parse("  LOGIN   alice   secret1  ")).isEqualTo(new Login("alice", "secret1"));
        assertThat(parser.parse("addfriend:12")).isEqualTo(new AddFriend(new UserRef("12"), null));
        assertThat(parser.parse("getfriends")).isEqualTo(new FriendCommand.ListFriends());
        assertThat(parser.parse("joingroup:5")).isEqualTo(new Join(5));
        assertThat(parser.parse("pull")).isEqualTo(new ChatCommand.Pull());
        assertThat(parser.parse("logout")).isEqualTo(new AccountCommand.Logout());
        assertThat(parser.parse("exit")).isEqualTo(new ShellCommand.Quit());
        assertThat(parser.parse("quit")).isEqualTo(new ShellCommand.Quit());
        assertThat(parser.parse("help")).isEqualTo(new ShellCommand.Help(null));
        assertThat(parser.parse("help chat")).isEqualTo(new ShellCommand.Help("chat"));
    }

    @Test
    void theTextOfAMessageKeepsItsColonsAndSpaces() {
        assertThat(parser.parse("chat:5:Hello World!")).isEqualTo(send(user("5"), "Hello World!"));
        assertThat(parser.parse("chat:bob:Hello: how are you? 12:30")).isEqualTo(send(user("bob"), "Hello: how are you? 12:30"));
        assertThat(parser.parse("chat bob   two  spaces: kept ")).isEqualTo(send(user("bob"), "two  spaces: kept"));
        assertThat(parser.parse("sendgroup:5:hi: all")).isEqualTo(send(new Peer.Group(5), "hi: all"));
        assertThat(parser.parse("sendgroup 5 hi all")).isEqualTo(send(new Peer.Group(5), "hi all"));
        assertThat(parser.parse("login:alice:pass:with:colons")).isEqualTo(new Login("alice", "pass:with:colons"));
    }

    @Test
    void aGroupConversationIsWrittenGColonId() {
        assertThat(parser.parse("chat:g:7:hi: there")).isEqualTo(send(new Peer.Group(7), "hi: there"));
        assertThat(parser.parse("chat g:7 hi")).isEqualTo(send(new Peer.Group(7), "hi"));
        assertThat(parser.parse("history g:5")).isEqualTo(new History(new Peer.Group(5), CommandCatalog.DEFAULT_HISTORY));
        assertThat(parser.parse("history:g:5:10")).isEqualTo(new History(new Peer.Group(5), 10));
        assertThat(parser.parse("history bob 5")).isEqualTo(new History(user("bob"), 5));
        assertThat(parser.parse("recall bob #3")).isEqualTo(new Recall(user("bob"), 3));
    }

    @Test
    void courierCommandsTakeUsersByNameOrId() {
        assertThat(parser.parse("addfriend bob hi, it's Alice")).isEqualTo(new AddFriend(new UserRef("bob"), "hi, it's Alice"));
        assertThat(parser.parse("accept #4")).isEqualTo(new Answer(new RequestRef.ById(4), true));
        assertThat(parser.parse("decline carol")).isEqualTo(new Answer(new RequestRef.ByUser(new UserRef("carol")), false));
        assertThat(parser.parse("invite 5 bob, carol 7")).isEqualTo(
                new Invite(5, List.of(new UserRef("bob"), new UserRef("carol"), new UserRef("7"))));
        assertThat(parser.parse("admin 5 bob on")).isEqualTo(new SetAdmin(5, new UserRef("bob"), true));
        assertThat(parser.parse("creategroup:Chess club:for players: all levels"))
                .isEqualTo(new Create("Chess club", "for players: all levels"));
        assertThat(parser.parse("creategroup Chess")).isEqualTo(new Create("Chess", null));
        assertThat(parser.parse("presence @bob 3")).isEqualTo(
                new FriendCommand.Presence(List.of(new UserRef("bob"), new UserRef("3"))));
    }

    @Test
    void whatCannotBeUnderstoodSaysWhatWasExpected() {
        assertThatThrownBy(() -> parser.parse("frobnicate now")).isInstanceOf(UsageException.class)
                .hasMessage("Unknown command: frobnicate. Type help to see the commands");
        assertThatThrownBy(() -> parser.parse("chat")).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("Usage: chat <user|g:gid> <text>");
        assertThatThrownBy(() -> parser.parse("chat:bob:")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> parser.parse("joingroup:chess")).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("Not a group id: chess");
        assertThatThrownBy(() -> parser.parse("logout now")).isInstanceOf(UsageException.class)
                .hasMessageStartingWith("Too many arguments");
        assertThatThrownBy(() -> parser.parse("history bob 0")).isInstanceOf(UsageException.class)
                .hasMessageContaining("from 1 to 200");
        assertThatThrownBy(() -> parser.parse("admin 5 bob maybe")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> parser.parse("mute 5 bob -1")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> parser.parse("chat 12abc hi")).isInstanceOf(UsageException.class)
                .hasMessage("Not a user id: 12abc");
        assertThatThrownBy(() -> parser.parse(":")).isInstanceOf(UsageException.class);
    }

    private static Send send(Peer to, String text) {
        return new Send(to, text);
    }

    private static Peer user(String name) {
        return new Peer.User(new UserRef(name));
    }
}
