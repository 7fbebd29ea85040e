package io.courier.core.message;

import io.courier.core.auth.Principal;
import io.courier.core.error.CourierException;
import io.courier.protocol.v1.Message;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Offline messages as SimpleIM's API asks for them: what others sent that has not been delivered to
 * the calling device, fetched and acknowledged over HTTP by clients that hold no connection. It is
 * the same delivered cursor a connection's login backlog starts after, so a message acknowledged
 * here is not pushed again, and one pushed to a connection is not offline any more.
 */
public final class OfflineMessages {
    /** Most messages one page or one acknowledgement may hold. */
    public static final int MAX_PAGE = 500;
    /** The user's most recently active conversations that are looked at (as the login backlog does). */
    private static final int CONVERSATIONS = 1_000;

    /** A conversation with messages waiting: how many, and its newest message. */
    public record Waiting(String conversationId, long count, Message newest) {
    }

    private final MessageStore store;
    private final MessageService messages;

    public OfflineMessages(MessageStore store, MessageService messages) {
        this.store = store;
        this.messages = messages;
    }

    /**
     * At most {@code max} waiting messages, oldest first within a conversation, the most recently
     * active conversations first. The same ones come again until they are acknowledged.
     */
    public List<Message> list(Principal who, int max) {
        Map<String, Long> positions = messages.deliveredPositions(who);
        List<Message> out = new ArrayList<>();
        for (ConversationEntry e : store.conversationsOf(who.userId(), CONVERSATIONS)) {
            long cursor = positions.getOrDefault(e.conversationId(), e.floorSeq());
            while (cursor < e.lastSeq() && out.size() < max) {
                List<StoredMessage> page = store.after(e.conversationId(), cursor, MessageService.MAX_PAGE);
                if (page.isEmpty()) {
                    break;
                }
                for (StoredMessage m : page) {
                    if (out.size() == max) {
                        break;
                    }
                    if (m.senderId() != who.userId()) {
                        out.add(m.toProto());
                    }
                    cursor = m.seq();
                }
            }
            if (out.size() >= max) {
                break;
            }
        }
        return out;
    }

    /** The conversations with messages waiting, most recently active first. */
    public List<Waiting> summary(Principal who) {
        Map<String, Long> counts = counts(who);
        Map<String, Message> newest = new HashMap<>();
        if (!counts.isEmpty()) {
            store.latest(counts.keySet()).forEach(m -> newest.put(m.conversationId(), m.toProto()));
        }
        return counts.entrySet().stream().map(c -> new Waiting(c.getKey(), c.getValue(), newest.get(c.getKey()))).toList();
    }

    /** How many messages are waiting in all. */
    public long count(Principal who) {
        return counts(who).values().stream().mapToLong(Long::longValue).sum();
    }

    /** Per conversation with messages waiting, how many; most recently active first. */
    private Map<String, Long> counts(Principal who) {
        Map<String, Long> positions = messages.deliveredPositions(who);
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ConversationEntry e : store.conversationsOf(who.userId(), CONVERSATIONS)) {
            long position = positions.getOrDefault(e.conversationId(), e.floorSeq());
            long count = position < e.lastSeq() ? store.countAfter(e.conversationId(), position, who.userId()) : 0;
            if (count > 0) {
                counts.put(e.conversationId(), count);
            }
        }
        return counts;
    }

    /**
     * Acknowledges messages by their server ids: in each conversation the device's delivered cursor
     * moves to the newest one acknowledged, so it covers the ones before it too (a cursor means
     * "everything up to here"). Stored before this returns. Returns the ids that are no message of
     * the caller's (unknown, or of a conversation the caller is not in), which change nothing.
     */
    public List<Long> ack(Principal who, List<Long> messageIds) {
        Map<String, Long> upTo = new HashMap<>();
        Map<String, List<Long>> idsOf = new HashMap<>();
        List<Long> notFound = new ArrayList<>();
        for (long id : messageIds) {
            Optional<StoredMessage> m = store.findById(id);
            if (m.isEmpty()) {
                notFound.add(id);
                continue;
            }
            upTo.merge(m.get().conversationId(), m.get().seq(), Math::max);
            idsOf.computeIfAbsent(m.get().conversationId(), c -> new ArrayList<>()).add(id);
        }
        upTo.forEach((conversation, seq) -> {
            try {
                messages.delivered(who, conversation, seq); // refuses a conversation the caller is not in
            } catch (CourierException e) {
                notFound.addAll(idsOf.get(conversation));
            }
        });
        return notFound;
    }
}
