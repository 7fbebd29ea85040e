package io.courier.cli;

import io.courier.cli.AccountCommand.Login;
import io.courier.cli.AccountCommand.Logout;
import io.courier.cli.AccountCommand.Register;
import io.courier.cli.AccountCommand.WhoAmI;
import io.courier.cli.ChatCommand.Conversations;
import io.courier.cli.ChatCommand.History;
import io.courier.cli.ChatCommand.MarkRead;
import io.courier.cli.ChatCommand.Pull;
import io.courier.cli.ChatCommand.Recall;
import io.courier.cli.ChatCommand.Send;
import io.courier.cli.FriendCommand.AddFriend;
import io.courier.cli.FriendCommand.Answer;
import io.courier.cli.FriendCommand.Block;
import io.courier.cli.FriendCommand.Cancel;
import io.courier.cli.FriendCommand.ListBlocks;
import io.courier.cli.FriendCommand.ListFriends;
import io.courier.cli.FriendCommand.ListRequests;
import io.courier.cli.FriendCommand.Presence;
import io.courier.cli.FriendCommand.Unfriend;
import io.courier.cli.GroupCommand.Create;
import io.courier.cli.GroupCommand.Dissolve;
import io.courier.cli.GroupCommand.Info;
import io.courier.cli.GroupCommand.Invite;
import io.courier.cli.GroupCommand.Join;
import io.courier.cli.GroupCommand.Kick;
import io.courier.cli.GroupCommand.Leave;
import io.courier.cli.GroupCommand.Members;
import io.courier.cli.GroupCommand.Mine;
import io.courier.cli.GroupCommand.Mute;
import io.courier.cli.GroupCommand.MuteAll;
import io.courier.cli.GroupCommand.SetAdmin;
import io.courier.cli.GroupCommand.Transfer;
import io.courier.cli.ShellCommand.Help;
import io.courier.cli.ShellCommand.Quit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static io.courier.cli.CommandSpec.optionalRest;
import static io.courier.cli.CommandSpec.optionalWord;
import static io.courier.cli.CommandSpec.peer;
import static io.courier.cli.CommandSpec.rest;
import static io.courier.cli.CommandSpec.word;

/**
 * Every command of the shell, in the order {@code help} lists them. The names are MPIM's where MPIM
 * has the command ({@code register}, {@code chat}, {@code addfriend}, {@code getfriends},
 * {@code creategroup}, ...), so a person who knows MPIM's client types what they know.
 */
final class CommandCatalog {
    static final String ACCOUNT = "Account";
    static final String FRIENDS = "Friends";
    static final String MESSAGES = "Messages";
    static final String GROUPS = "Groups";
    static final String SHELL = "Shell";
    static final int DEFAULT_HISTORY = 20;

    private final Map<String, CommandSpec> byName = new LinkedHashMap<>();
    private final List<CommandSpec> all;

    private CommandCatalog(List<CommandSpec> all) {
        this.all = all;
        for (CommandSpec spec : all) {
            byName.put(spec.name(), spec);
            spec.aliases().forEach(a -> byName.put(a, spec));
        }
    }

    List<CommandSpec> all() {
        return all;
    }

    Optional<CommandSpec> find(String name) {
        return Optional.ofNullable(byName.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Names and aliases, for tab completion. */
    List<String> names() {
        return List.copyOf(byName.keySet());
    }

    static CommandCatalog standard() {
        return new CommandCatalog(List.of(
                spec("register", ACCOUNT, "create an account and log in as it",
                        a -> new Register(a.word(0), a.optional(1)), word("user"), optionalRest("password")),
                spec("login", ACCOUNT, "log in; the session is saved for later runs",
                        a -> new Login(a.word(0), a.optional(1)), word("user"), optionalRest("password")),
                spec("logout", ACCOUNT, "log out and forget the saved session", a -> new Logout()),
                spec("whoami", ACCOUNT, "who is logged in, on which server and device", a -> new WhoAmI()),

                spec("addfriend", FRIENDS, "ask a user to be your friend (they accept with accept)",
                        a -> new AddFriend(a.user(0), a.optional(1)), word("user"), optionalRest("message")),
                spec("friends", List.of("getfriends"), FRIENDS, "your friends, online or not", a -> new ListFriends()),
                spec("requests", FRIENDS, "friend requests to you and from you", a -> new ListRequests()),
                spec("accept", FRIENDS, "accept a friend request (by its sender, or #id from requests)",
                        a -> new Answer(a.request(0), true), word("user|#id")),
                spec("decline", FRIENDS, "decline a friend request",
                        a -> new Answer(a.request(0), false), word("user|#id")),
                spec("cancel", FRIENDS, "withdraw a friend request you sent",
                        a -> new Cancel(a.request(0)), word("user|#id")),
                spec("unfriend", FRIENDS, "end a friendship", a -> new Unfriend(a.user(0)), word("user")),
                spec("block", FRIENDS, "refuse a user's messages and requests",
                        a -> new Block(a.user(0), true), word("user")),
                spec("unblock", FRIENDS, "undo a block", a -> new Block(a.user(0), false), word("user")),
                spec("blocks", FRIENDS, "the users you blocked", a -> new ListBlocks()),
                spec("presence", FRIENDS, "whether friends are online",
                        a -> new Presence(a.users(0)), rest("users...")),

                spec("chat", List.of("send", "msg"), MESSAGES, "send a message to a user or a group",
                        a -> new Send(a.peer(0), a.word(1)), peer(), rest("text")),
                spec("sendgroup", MESSAGES, "send a message to a group",
                        a -> new Send(new Peer.Group(a.groupId(0)), a.word(1)), word("gid"), rest("text")),
                spec("pull", MESSAGES, "show the unread messages of every conversation and mark them read",
                        a -> new Pull()),
                spec("conversations", MESSAGES, "your conversations, with unread counts",
                        a -> new Conversations()),
                spec("history", MESSAGES, "the last n messages of a conversation (default " + DEFAULT_HISTORY + ")",
                        a -> new History(a.peer(0), a.number(1, DEFAULT_HISTORY, 1, 200)), peer(), optionalWord("n")),
                spec("read", MESSAGES, "mark a conversation read", a -> new MarkRead(a.peer(0)), peer()),
                spec("recall", MESSAGES, "take back one of your messages (its #seq from history)",
                        a -> new Recall(a.peer(0), a.seq(1)), peer(), word("seq")),

                spec("creategroup", GROUPS, "create a group that anyone may join; you own it",
                        a -> new Create(a.word(0), a.optional(1)), word("name"), optionalRest("description")),
                spec("joingroup", GROUPS, "join a group (or ask to, if it needs approval)",
                        a -> new Join(a.groupId(0)), word("gid")),
                spec("groups", GROUPS, "the groups you are in", a -> new Mine()),
                spec("group", GROUPS, "a group's details", a -> new Info(a.groupId(0)), word("gid")),
                spec("members", GROUPS, "a group's members", a -> new Members(a.groupId(0)), word("gid")),
                spec("invite", GROUPS, "invite users to a group (they accept with joingroup)",
                        a -> new Invite(a.groupId(0), a.users(1)), word("gid"), rest("users...")),
                spec("kick", GROUPS, "remove a member", a -> new Kick(a.groupId(0), a.user(1)), word("gid"), word("user")),
                spec("admin", GROUPS, "make a member an admin, or an admin a member",
                        a -> new SetAdmin(a.groupId(0), a.user(1), a.onOff(2)), word("gid"), word("user"), word("on|off")),
                spec("transfer", GROUPS, "hand the group to another member",
                        a -> new Transfer(a.groupId(0), a.user(1)), word("gid"), word("user")),
                spec("mute", GROUPS, "mute a member for some seconds (0 unmutes)",
                        a -> new Mute(a.groupId(0), a.user(1), a.number(2, 0, 0, 366 * 24 * 3600)),
                        word("gid"), word("user"), word("seconds")),
                spec("muteall", GROUPS, "let only the owner and admins speak, or everyone again",
                        a -> new MuteAll(a.groupId(0), a.onOff(1)), word("gid"), word("on|off")),
                spec("leave", GROUPS, "leave a group", a -> new Leave(a.groupId(0)), word("gid")),
                spec("dissolve", GROUPS, "close a group for good (owner)", a -> new Dissolve(a.groupId(0)), word("gid")),

                spec("help", List.of("?"), SHELL, "this list, or one command in detail",
                        a -> new Help(a.optional(0)), optionalWord("command")),
                spec("quit", List.of("exit"), SHELL, "leave the shell (you stay logged in)", a -> new Quit())));
    }

    private static CommandSpec spec(String name, String section, String summary, Function<Args, Command> build,
                                    CommandSpec.Param... params) {
        return spec(name, List.of(), section, summary, build, params);
    }

    private static CommandSpec spec(String name, List<String> aliases, String section, String summary,
                                    Function<Args, Command> build, CommandSpec.Param... params) {
        return new CommandSpec(name, aliases, section, summary, List.of(params), build);
    }
}
