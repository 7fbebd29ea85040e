package io.courier.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two people chat through the interactive courier-cli, each in a shell of their own (a dumb JLine
 * terminal over pipes, in this JVM), against a real server: MPIM's command syntax and Courier's.
 */
class CliShellTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    @TempDir
    Path homes;

    @Test
    void aliceAndBobRegisterBefriendChatCatchUpAndTalkInAGroup() throws Exception {
        try (CliShellDriver alice = new CliShellDriver("alice", server, homes.resolve("alice"));
             CliShellDriver bob = new CliShellDriver("bob", server, homes.resolve("bob"))) {
            // MPIM syntax: register logs in too
            alice.type("register:alice:secret1");
            alice.expect("Logged in as alice");
            bob.type("register bob secret2");
            bob.expect("Logged in as bob");

            // addfriend is a request in Courier; the other side accepts it
            alice.type("addfriend:bob");
            alice.expect("Friend request #");
            bob.type("requests");
            bob.expect("from alice");
            bob.type("accept alice");
            bob.expect("You and alice are friends now.");
            bob.type("getfriends");
            bob.expect("alice (id ");

            // chat both ways; the text keeps its colons
            alice.type("chat:bob:Hello Bob: how are you?");
            alice.expect("Sent to bob");
            bob.expectEventually("[alice] Hello Bob: how are you?");
            bob.type("chat alice Fine, thanks: and you?");
            alice.expectEventually("[bob] Fine, thanks: and you?");
            // typed text is taken literally: no quoting, escapes or !history expansion
            bob.type("chat alice !! stays, a back\\slash too, and it's \"quoted\"");
            alice.expectEventually("[bob] !! stays, a back\\slash too, and it's \"quoted\"");

            // offline: bob logs out, alice writes, bob comes back and pulls what he missed
            bob.type("logout");
            bob.expect("Logged out bob.");
            alice.type("chat bob are you still there?");
            alice.expect("Sent to bob");
            alice.type("chat:bob:call me: 555-0100");
            alice.expect("Sent to bob");
            bob.type("login:bob:secret2");
            bob.expect("2 unread messages in 1 conversation: pull shows them");
            assertThat(bob.sinceMark()).doesNotContain("[alice] are you still there?"); // waits for pull
            bob.type("conversations");
            bob.expect("alice  2 unread");
            bob.type("pull");
            bob.expect("[alice] call me: 555-0100");
            assertThat(bob.sinceMark()).contains("[alice] are you still there?");
            bob.type("pull");
            bob.expect("No unread messages.");
            bob.type("conversations");
            bob.expect("alice  0 unread");

            // a group: create, join, both hear each other
            alice.type("creategroup:Chess club:for players");
            String gid = alice.expectMatch("Created group (\\d+) \\(Chess club\\)");
            bob.type("joingroup:" + gid);
            bob.expect("Joined group " + gid + " (Chess club).");
            alice.expectEventually("[group " + gid + "] bob joined");
            alice.type("sendgroup:" + gid + ":welcome: everyone");
            bob.expectEventually("[group " + gid + " alice] welcome: everyone");
            bob.type("sendgroup " + gid + " thanks for having me");
            alice.expectEventually("[group " + gid + " bob] thanks for having me");
            bob.type("chat g:" + gid + " the chat command takes groups too");
            alice.expectEventually("[group " + gid + " bob] the chat command takes groups too");

            // a few of Courier's own commands
            alice.type("history bob 10");
            alice.expect("[you → bob] call me: 555-0100");
            assertThat(alice.sinceMark()).containsPattern("#\\d+ \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\[bob] Fine, thanks: and you\\?");
            alice.type("members " + gid);
            alice.expect("bob (id ");
            alice.type("whoami");
            alice.expect("alice (id ");
            bob.type("groups");
            bob.expect("Chess club  member, 2 members");

            // bad input gets an answer, and the shell goes on
            bob.type("frobnicate now");
            bob.expect("Unknown command: frobnicate. Type help to see the commands");
            bob.type("chat");
            bob.expect("Usage: chat <user|g:gid> <text>");
            bob.type("chat nobody-here hi");
            bob.expect("USER_NOT_FOUND");
            bob.type("history g:99999");
            bob.expect("CONVERSATION_NOT_FOUND");
            bob.type("help");
            bob.expect("sendgroup <gid> <text>");
            assertThat(bob.isRunning()).isTrue();

            alice.quit();
            bob.quit();
        }
    }

    @Test
    void aLaterShellResumesTheSavedSessionAndSaysWhatWaits() throws Exception {
        Path carolHome = homes.resolve("carol");
        try (CliShellDriver carol = new CliShellDriver("carol", server, carolHome);
             CliShellDriver dave = new CliShellDriver("dave", server, homes.resolve("dave"))) {
            carol.type("register carol secret3");
            carol.expect("Logged in as carol");
            dave.type("register dave secret4");
            dave.expect("Logged in as dave");
            carol.quit();

            dave.type("chat carol ping while you were away");
            dave.expect("Sent to carol");
            dave.quit();
        }
        try (CliShellDriver carolAgain = new CliShellDriver("carol-again", server, carolHome)) {
            carolAgain.expectEventually("Logged in as carol (id ");
            carolAgain.expectEventually("1 unread message in 1 conversation: pull shows them");
            carolAgain.type("pull");
            carolAgain.expect("[dave] ping while you were away");
            carolAgain.quit();
        }
    }

    @Test
    void aPasswordLeftOutIsAskedForAndNeverLandsInTheHistory() throws Exception {
        Path erinHome = homes.resolve("erin");
        try (CliShellDriver erin = new CliShellDriver("erin", server, erinHome)) {
            erin.type("register erin secret5");
            erin.expect("Logged in as erin");
            erin.type("logout");
            erin.expect("Logged out erin.");
            erin.type("login erin");
            erin.expect("Password for erin: ");
            erin.type("secret5");
            erin.expect("Logged in as erin");
            erin.quit();
        }
        String history = java.nio.file.Files.readString(erinHome.resolve("history"));
        assertThat(history).contains("login erin").doesNotContain("secret5");
    }
}
