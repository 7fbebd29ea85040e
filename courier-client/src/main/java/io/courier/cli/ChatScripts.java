package io.courier.cli;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** The message subcommands. */
final class ChatScripts {
    static final List<Class<? extends Script>> ALL = List.of(Send.class, Chat.class, SendGroup.class, Pull.class,
            Conversations.class, History.class, Read.class, Recall.class);

    private ChatScripts() {
    }

    @Command(name = "send", description = "Send a message to a user or a group; prints its #seq.")
    static final class Send extends Script {
        @ArgGroup(multiplicity = "1")
        To to;
        @Parameters(arity = "1..*", paramLabel = "TEXT", description = "the words are joined with spaces")
        List<String> text;

        static final class To {
            @Option(names = "--to", paramLabel = "USER", required = true, description = "username or user id")
            String user;
            @Option(names = "--group", paramLabel = "GID", required = true)
            String group;
        }

        @Override
        io.courier.cli.Command command() {
            Peer peer = to.user != null ? new Peer.User(UserRef.parse(to.user)) : new Peer.Group(GroupIds.parse(to.group));
            return new ChatCommand.Send(peer, String.join(" ", text));
        }
    }

    @Command(name = "chat", description = "Send a message, as in the shell: chat USER|g:GID TEXT...")
    static final class Chat extends Script {
        @Parameters(index = "0", paramLabel = "USER|g:GID")
        String peer;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT")
        List<String> text;

        @Override
        io.courier.cli.Command command() {
            return new ChatCommand.Send(Peer.parse(peer), String.join(" ", text));
        }
    }

    @Command(name = "sendgroup", description = "Send a message to a group.")
    static final class SendGroup extends Script {
        @Parameters(index = "0", paramLabel = "GID")
        String group;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT")
        List<String> text;

        @Override
        io.courier.cli.Command command() {
            return new ChatCommand.Send(new Peer.Group(GroupIds.parse(group)), String.join(" ", text));
        }
    }

    @Command(name = "pull", description = "Print the unread messages of every conversation and mark them read.")
    static final class Pull extends Script {
        @Override
        io.courier.cli.Command command() {
            return new ChatCommand.Pull();
        }
    }

    @Command(name = "conversations", description = "Your conversations, with unread counts.")
    static final class Conversations extends Script {
        @Override
        io.courier.cli.Command command() {
            return new ChatCommand.Conversations();
        }
    }

    @Command(name = "history", description = "The last messages of a conversation, oldest first, with their #seq.")
    static final class History extends Script {
        @Parameters(paramLabel = "USER|g:GID")
        String peer;
        @Option(names = {"-n", "--limit"}, paramLabel = "N", defaultValue = "" + CommandCatalog.DEFAULT_HISTORY,
                description = "how many, 1-200 (default: ${DEFAULT-VALUE})")
        int limit;

        @Override
        io.courier.cli.Command command() {
            if (limit < 1 || limit > 200) {
                throw new UsageException("--limit must be from 1 to 200: " + limit);
            }
            return new ChatCommand.History(Peer.parse(peer), limit);
        }
    }

    @Command(name = "read", description = "Mark a conversation read.")
    static final class Read extends Script {
        @Parameters(paramLabel = "USER|g:GID")
        String peer;

        @Override
        io.courier.cli.Command command() {
            return new ChatCommand.MarkRead(Peer.parse(peer));
        }
    }

    @Command(name = "recall", description = "Take back one of your messages (its #seq from history).")
    static final class Recall extends Script {
        @Parameters(index = "0", paramLabel = "USER|g:GID")
        String peer;
        @Parameters(index = "1", paramLabel = "SEQ")
        long seq;

        @Override
        io.courier.cli.Command command() {
            return new ChatCommand.Recall(Peer.parse(peer), seq);
        }
    }
}
