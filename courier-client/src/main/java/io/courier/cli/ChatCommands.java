package io.courier.cli;

import io.courier.cli.ChatCommand.Conversations;
import io.courier.cli.ChatCommand.History;
import io.courier.cli.ChatCommand.MarkRead;
import io.courier.cli.ChatCommand.Pull;
import io.courier.cli.ChatCommand.Recall;
import io.courier.cli.ChatCommand.Send;
import io.courier.client.CourierClient;
import io.courier.protocol.v1.ConversationState;
import io.courier.protocol.v1.GroupInfo;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.Messages;
import io.courier.protocol.v1.SendAck;
import io.courier.protocol.v1.SyncResponse;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Sending, pulling what is unread, the conversation list, history, read and recall. */
final class ChatCommands {
    /** Pull shows at most this many messages of one conversation at a time; pull again for more. */
    private static final int PULL_MAX_PER_CONVERSATION = 1000;
    private static final int PAGE = 200;
    private static final int PREVIEW_LENGTH = 60;

    private final Account account;
    private final NameResolver names;
    private final Output out;
    private final TimeText times;

    ChatCommands(Account account, NameResolver names, Output out, TimeText times) {
        this.account = account;
        this.names = names;
        this.out = out;
        this.times = times;
    }

    void run(ChatCommand command) {
        switch (command) {
            case Send s -> send(s.to(), s.text());
            case Pull p -> pull();
            case Conversations c -> conversations();
            case History h -> history(h.peer(), h.limit());
            case MarkRead r -> markRead(r.peer());
            case Recall r -> recall(r.peer(), r.seq());
        }
    }

    private void send(Peer to, String text) {
        CourierClient client = account.client();
        SendAck ack = Await.result(switch (to) {
            case Peer.User u -> client.sendText(names.id(u.user()), text);
            case Peer.Group g -> client.sendGroupText(g.groupId(), text);
        });
        out.print(Tone.DIM, "Sent to " + describe(to) + " (#" + ack.getSeq() + ").");
    }

    /**
     * MPIM's pull: what came while the user was away. Courier keeps it in the conversations
     * themselves, so this is: every conversation with unread messages (sync), its messages after
     * the read cursor (pull), then the cursor moved past them (read).
     */
    private void pull() {
        CourierClient client = account.client();
        MessageText text = text();
        SyncResponse sync = Await.result(client.sync(Map.of()));
        List<ConversationState> unread = sync.getConversationsList().stream().filter(c -> c.getUnread() > 0)
                .sorted(Comparator.comparingLong(ConversationState::getUpdatedAt)).toList();
        int shown = 0;
        for (ConversationState c : unread) {
            long readTo = c.getReadSeq();
            int printed = 0;
            boolean more = true;
            while (more && printed < PULL_MAX_PER_CONVERSATION) {
                Messages page = Await.result(client.pull(c.getConversationId(), readTo, PAGE));
                for (Message m : page.getMessagesList()) {
                    out.print(text.stamped(m));
                    readTo = m.getSeq();
                    printed++;
                }
                more = page.getHasMore() && page.getMessagesCount() > 0;
            }
            if (readTo > c.getReadSeq()) {
                Await.result(client.markRead(c.getConversationId(), readTo));
            }
            if (more) {
                out.print(Tone.NOTICE, "More unread messages wait in this conversation: pull again.");
            }
            shown += printed;
        }
        if (shown == 0) {
            out.print("No unread messages.");
        }
    }

    private void conversations() {
        CourierClient client = account.client();
        MessageText text = text();
        SyncResponse sync = Await.result(client.sync(Map.of()));
        if (sync.getConversationsCount() == 0) {
            out.print("No conversations yet.");
            return;
        }
        boolean anyGroup = sync.getConversationsList().stream().anyMatch(c -> c.getGroupId() != 0);
        Map<Long, String> groupNames = anyGroup ? Await.result(client.groups().mine()).stream()
                .collect(Collectors.toMap(GroupInfo::getGroupId, GroupInfo::getName, (a, b) -> a)) : Map.of();
        for (ConversationState c : sync.getConversationsList()) {
            Line line = c.getGroupId() != 0
                    ? Line.of(Tone.GROUP, "group " + c.getGroupId() + " "
                    + MessageText.safe(groupNames.getOrDefault(c.getGroupId(), "")).strip())
                    : Line.of(Tone.PEER, names.name(c.getPeerUserId()));
            line.add("  ").add(c.getUnread() > 0 ? Tone.NOTICE : Tone.DIM, c.getUnread() + " unread"
                    + (c.getMentioned() ? ", mentioned" : ""));
            if (c.hasLastMessage()) {
                line.add(Tone.DIM, "  " + preview(text.live(c.getLastMessage()).plain()));
            }
            out.print(line);
        }
    }

    private void history(Peer peer, int limit) {
        CourierClient client = account.client();
        Messages page = Await.result(client.history(conversation(peer), 0, limit));
        if (page.getMessagesCount() == 0) {
            out.print("No messages with " + describe(peer) + " yet.");
            return;
        }
        MessageText text = text();
        List<Message> newestFirst = page.getMessagesList();
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            out.print(text.numbered(newestFirst.get(i)));
        }
    }

    private void markRead(Peer peer) {
        CourierClient client = account.client();
        String conversation = conversation(peer);
        Messages newest = Await.result(client.history(conversation, 0, 1));
        if (newest.getMessagesCount() == 0) {
            out.print("Nothing to mark read with " + describe(peer) + ".");
            return;
        }
        long seq = newest.getMessages(0).getSeq();
        Await.result(client.markRead(conversation, seq));
        out.print(Tone.SUCCESS, "Marked read up to #" + seq + " with " + describe(peer) + ".");
    }

    private void recall(Peer peer, long seq) {
        Await.result(account.client().recall(conversation(peer), seq));
        out.print(Tone.SUCCESS, "Recalled #" + seq + " with " + describe(peer) + ".");
    }

    private String conversation(Peer peer) {
        return switch (peer) {
            case Peer.User u -> CourierClient.privateConversation(account.requireSession().userId(), names.id(u.user()));
            case Peer.Group g -> CourierClient.groupConversation(g.groupId());
        };
    }

    private String describe(Peer peer) {
        return switch (peer) {
            case Peer.User u -> names.name(names.id(u.user()));
            case Peer.Group g -> "group " + g.groupId();
        };
    }

    private MessageText text() {
        return new MessageText(names, account.requireSession().userId(), times);
    }

    private static String preview(String line) {
        String oneLine = line.replace('\n', ' ').replaceAll(" {2,}", " ");
        return oneLine.length() <= PREVIEW_LENGTH ? oneLine : oneLine.substring(0, PREVIEW_LENGTH - 3) + "...";
    }
}
