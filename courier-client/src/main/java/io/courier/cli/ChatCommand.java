package io.courier.cli;

/** Messages and conversations. */
sealed interface ChatCommand extends Command {
    record Send(Peer to, String text) implements ChatCommand {
    }

    /** Prints the unread messages of every conversation and marks them read. */
    record Pull() implements ChatCommand {
    }

    record Conversations() implements ChatCommand {
    }

    record History(Peer peer, int limit) implements ChatCommand {
    }

    record MarkRead(Peer peer) implements ChatCommand {
    }

    record Recall(Peer peer, long seq) implements ChatCommand {
    }
}
