package io.courier.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** The friend subcommands. */
final class FriendScripts {
    static final List<Class<? extends Script>> ALL = List.of(AddFriend.class, Friends.class, Requests.class,
            Accept.class, Decline.class, Cancel.class, Unfriend.class, Block.class, Unblock.class, Blocks.class,
            Presence.class);

    private FriendScripts() {
    }

    @Command(name = "addfriend", description = "Ask a user to be your friend (crossed requests make friends at once).")
    static final class AddFriend extends Script {
        @Parameters(index = "0", paramLabel = "USER", description = "username or user id")
        String user;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "MESSAGE")
        List<String> message;

        @Override
        io.courier.cli.Command command() {
            return new FriendCommand.AddFriend(UserRef.parse(user), message == null ? null : String.join(" ", message));
        }
    }

    @Command(name = "friends", aliases = "getfriends", description = "Your friends, online or not.")
    static final class Friends extends Script {
        @Override
        io.courier.cli.Command command() {
            return new FriendCommand.ListFriends();
        }
    }

    @Command(name = "requests", description = "Pending friend requests to you and from you.")
    static final class Requests extends Script {
        @Override
        io.courier.cli.Command command() {
            return new FriendCommand.ListRequests();
        }
    }

    @Command(name = "accept", description = "Accept a friend request, named by its sender or #id.")
    static final class Accept extends Script {
        @Parameters(paramLabel = "USER|#ID")
        String request;

        @Override
        io.courier.cli.Command command() {
            return new FriendCommand.Answer(RequestRef.parse(request), true);
        }
    }

    @Command(name = "decline", description = "Decline a friend request, named by its sender or #id.")
    static final class Decline extends Script {
        @Parameters(paramLabel = "USER|#ID")
        String request;

        @Override
        io.courier.cli.Command command() {
            return new FriendCommand.Answer(RequestRef.parse(request), false);
        }
    }

    @Command(name = "cancel", description = "Withdraw a friend request you sent.")
    static final class Cancel extends Script {
        @Parameters(paramLabel = "USER|#ID")
        String request;

        @Override
        io.courier.cli.Command command() {
            return new FriendCommand.Cancel(RequestRef.parse(request));
        }
    }

    @Command(name = "unfriend", description = "End a friendship.")
    static final class Unfriend extends Script {
        @Parameters(paramLabel = "USER")
        String user;

        @Override
        io.courier.cli.Command command() {
            return new FriendCommand.Unfriend(UserRef.parse(user));
        }
    }

    @Command(name = "block", description = "Refuse a user's messages and friend requests.")
    static final class Block extends Script {
        @Parameters(paramLabel = "USER")
        String user;

        @Override
        io.courier.cli.Command command() {
            return new FriendCommand.Block(UserRef.parse(user), true);
        }
    }

    @Command(name = "unblock", description = "Undo a block.")
    static final class Unblock extends Script {
        @Parameters(paramLabel = "USER")
        String user;

        @Override
        io.courier.cli.Command command() {
            return new FriendCommand.Block(UserRef.parse(user), false);
        }
    }

    @Command(name = "blocks", description = "The users you blocked.")
    static final class Blocks extends Script {
        @Override
        io.courier.cli.Command command() {
            return new FriendCommand.ListBlocks();
        }
    }

    @Command(name = "presence", description = "Whether friends are online (anyone else shows as offline).")
    static final class Presence extends Script {
        @Parameters(arity = "1..*", paramLabel = "USER")
        List<String> users;

        @Override
        io.courier.cli.Command command() {
            return new FriendCommand.Presence(users.stream().map(UserRef::parse).toList());
        }
    }
}
