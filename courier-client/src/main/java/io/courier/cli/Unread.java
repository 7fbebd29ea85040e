package io.courier.cli;

import io.courier.protocol.v1.ConversationState;
import io.courier.protocol.v1.SyncResponse;

import java.util.Optional;

/** The line that tells a user who comes back what waits for them. */
final class Unread {
    private Unread() {
    }

    static Optional<String> summary(SyncResponse sync) {
        long messages = 0;
        int conversations = 0;
        for (ConversationState c : sync.getConversationsList()) {
            if (c.getUnread() > 0) {
                messages += c.getUnread();
                conversations++;
            }
        }
        if (messages == 0) {
            return Optional.empty();
        }
        return Optional.of(messages + (messages == 1 ? " unread message" : " unread messages") + " in "
                + conversations + (conversations == 1 ? " conversation" : " conversations") + ": pull shows them");
    }
}
