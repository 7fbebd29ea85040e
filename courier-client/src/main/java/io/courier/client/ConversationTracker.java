package io.courier.client;

import io.courier.protocol.v1.Message;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Puts each conversation's messages in {@code seq} order without gaps or repeats, whatever way they
 * arrive (live push, login backlog, pull after a gap, retry): the listener gets seq n+1 right after
 * seq n, once. Messages after a gap wait until a pull fills it. Not thread-safe: one client's
 * {@link SerialExecutor} owns it.
 *
 * @implNote A conversation the client has never seen starts at the first message it gets: what came
 * before was either delivered in an earlier run of this device or is in the server's login backlog,
 * which the server sends before anything else.
 */
final class ConversationTracker {
    private static final long UNKNOWN = -1;

    private static final class Conversation {
        long known = UNKNOWN;                                 // every seq up to here was handed out
        final TreeMap<Long, Message> waiting = new TreeMap<>(); // arrived after a gap
        final TreeSet<Long> own = new TreeSet<>();             // this device's sends: passed, not handed out
    }

    private final Map<String, Conversation> conversations = new HashMap<>();

    /** A message from the server; returns what can now be handed out, in order (maybe nothing). */
    List<Message> offer(Message m) {
        Conversation c = conversations.computeIfAbsent(m.getConversationId(), k -> new Conversation());
        startAt(c, m.getSeq());
        if (m.getSeq() > c.known) {
            c.waiting.put(m.getSeq(), m);
        }
        return drain(c);
    }

    /**
     * This device's own message was stored at {@code seq}: it counts as seen but is not handed out.
     * In a conversation not seen yet it does not set where the conversation starts: the server acks
     * a send before it pushes the other messages of the same commit, so a lower seq may still come.
     */
    List<Message> sent(String conversationId, long seq) {
        Conversation c = conversations.computeIfAbsent(conversationId, k -> new Conversation());
        if (c.known == UNKNOWN) {
            c.own.add(seq);
            if (c.own.first() != 1) {
                return List.of();
            }
            c.known = 0; // the conversation's first message: nothing can come before it
        } else if (seq > c.known) {
            c.own.add(seq);
        }
        return drain(c);
    }

    /**
     * A conversation not seen yet starts after {@code seq} (the device's delivered cursor, from a
     * sync); one already seen is left as it is.
     */
    void startAfter(String conversationId, long seq) {
        Conversation c = conversations.computeIfAbsent(conversationId, k -> new Conversation());
        startAt(c, seq + 1);
    }

    /** A conversation not seen yet starts just before its first message, or its first own send. */
    private static void startAt(Conversation c, long seq) {
        if (c.known == UNKNOWN) {
            c.known = (c.own.isEmpty() ? seq : Math.min(seq, c.own.first())) - 1;
        }
    }

    /**
     * A page of a pull after {@link #known}. When the server has no more, a gap below the page's last
     * message is passed over: the server showed everything after {@code known} up to there, so the
     * missing seqs are ones this user may not see (a group's messages from before they joined). What
     * waits above the page's last message is kept: it was stored after the server read the page (a
     * push can overtake the pull's answer), and the next pull brings what lies between.
     * {@code own} tells this device's sends still waiting for their ack: a pull can return them
     * first, and they must not be handed out.
     */
    List<Message> pulled(String conversationId, List<Message> page, boolean hasMore, Predicate<Message> own) {
        Conversation c = conversations.computeIfAbsent(conversationId, k -> new Conversation());
        List<Message> out = new ArrayList<>();
        for (Message m : page) {
            startAt(c, m.getSeq());
            if (m.getSeq() > c.known) {
                if (own.test(m)) {
                    c.own.add(m.getSeq());
                } else {
                    c.waiting.put(m.getSeq(), m);
                }
            }
        }
        out.addAll(drain(c));
        if (!hasMore && !page.isEmpty()) {
            long top = page.get(page.size() - 1).getSeq();
            while (true) {
                long next = Math.min(c.waiting.isEmpty() ? Long.MAX_VALUE : c.waiting.firstKey(),
                        c.own.isEmpty() ? Long.MAX_VALUE : c.own.first());
                if (next > top) {
                    break;
                }
                c.known = next - 1;
                out.addAll(drain(c));
            }
        }
        return out;
    }

    /** Whether messages wait behind a gap (in a conversation whose start is known). */
    boolean hasGap(String conversationId) {
        Conversation c = conversations.get(conversationId);
        return c != null && c.known != UNKNOWN && (!c.waiting.isEmpty() || !c.own.isEmpty());
    }

    /** The highest seq up to which everything was handed out, or -1 for a conversation never seen. */
    long known(String conversationId) {
        Conversation c = conversations.get(conversationId);
        return c == null ? UNKNOWN : c.known;
    }

    /** Every conversation seen, with its {@link #known} seq: what a sync request reports. */
    Map<String, Long> knownAll() {
        Map<String, Long> all = new HashMap<>();
        conversations.forEach((id, c) -> {
            if (c.known != UNKNOWN) {
                all.put(id, c.known);
            }
        });
        return all;
    }

    private static List<Message> drain(Conversation c) {
        List<Message> out = new ArrayList<>();
        while (true) {
            long next = c.known + 1;
            c.waiting.headMap(next).clear();
            c.own.headSet(next).clear();
            if (c.own.remove(next)) {
                c.waiting.remove(next);
                c.known = next;
            } else if (c.waiting.containsKey(next)) {
                out.add(c.waiting.remove(next));
                c.known = next;
            } else {
                return out;
            }
        }
    }
}
