package io.courier.gateway.realtime;

import io.courier.core.auth.Principal;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one login with delivered-when-written ({@code Delivery.WRITTEN}) has received, and so how far its
 * delivered cursors may move. Such a client acknowledges nothing (MPIM's line clients, SimpleIM's web app):
 * a message counts as delivered once it reached the socket (for an MPIM line, a message the device sent
 * itself once the answer {@code +OK msg_id=…} did).
 *
 * <p>A cursor means "everything up to here", so it moves only over an unbroken run. A login does not push
 * the messages that waited for it (PULL fetches them), so a conversation may have older messages waiting
 * while newer ones arrive live: those are remembered here, above the gap, and the cursor passes them once
 * PULL (or, on JSON and native connections, the next login's backlog) has sent the older ones. Moving the cursor with the live message instead would make PULL skip the
 * messages that waited. PULL asks {@link #has} to leave out what this login already received.
 *
 * @implNote Called on the event loop (writes) and on the connection's request queue (PULL, answers); every
 * method is short and holds only this object's lock.
 */
public final class DeliveryTracker {
    /**
     * Most separate runs of live messages remembered above gaps. Past it, further runs are forgotten: their
     * messages would be sent again by a later PULL, never lost. Live messages of one conversation form one run.
     */
    private static final int MAX_RUNS = 10_000;

    private final Principal principal;
    private final CursorWriter cursors;
    /** Per conversation: everything up to here has reached the device. */
    private final Map<String, Long> positions = new HashMap<>();
    /** Per conversation: runs above the position that reached the device too, first seq to last seq. */
    private final Map<String, TreeMap<Long, Long>> above = new HashMap<>();
    private int runs;

    public DeliveryTracker(Principal principal, CursorWriter cursors) {
        this.principal = principal;
        this.cursors = cursors;
    }

    /** Where the device stood at login, per conversation ({@code MessageService.deliveredPositions}). */
    public synchronized void start(Map<String, Long> atLogin) {
        positions.putAll(atLogin);
    }

    /** The device has this message now; the cursor moves if it extends the unbroken run. */
    public synchronized void delivered(String conversationId, long seq) {
        // A conversation unknown at login began after it: the device has had every message of it, so it
        // starts right below its first one (a new chat at seq 1, a group joined since at its join event).
        long position = positions.computeIfAbsent(conversationId, c -> seq - 1);
        if (seq <= position) {
            return;
        }
        if (seq > position + 1) {
            remember(conversationId, seq);
            return;
        }
        long reached = seq;
        TreeMap<Long, Long> pending = above.get(conversationId);
        if (pending != null) {
            while (!pending.isEmpty() && pending.firstKey() <= reached + 1) {
                reached = Math.max(reached, pending.pollFirstEntry().getValue());
                runs--;
            }
            if (pending.isEmpty()) {
                above.remove(conversationId);
            }
        }
        positions.put(conversationId, reached);
        cursors.advance(principal, conversationId, reached);
    }

    /** Whether this login has already received the message. */
    public synchronized boolean has(String conversationId, long seq) {
        Long position = positions.get(conversationId);
        if (position != null && seq <= position) {
            return true;
        }
        TreeMap<Long, Long> pending = above.get(conversationId);
        if (pending == null) {
            return false;
        }
        Map.Entry<Long, Long> run = pending.floorEntry(seq);
        return run != null && run.getValue() >= seq;
    }

    private void remember(String conversationId, long seq) {
        TreeMap<Long, Long> pending = above.computeIfAbsent(conversationId, c -> new TreeMap<>());
        Map.Entry<Long, Long> below = pending.floorEntry(seq);
        if (below != null && below.getValue() >= seq) {
            return;
        }
        boolean joinsBelow = below != null && below.getValue() == seq - 1;
        boolean joinsAbove = pending.containsKey(seq + 1);
        if (!joinsBelow && !joinsAbove && runs >= MAX_RUNS) {
            if (pending.isEmpty()) {
                above.remove(conversationId);
            }
            return;
        }
        long first = joinsBelow ? below.getKey() : seq;
        long last = joinsAbove ? pending.remove(seq + 1) : seq;
        if (joinsBelow && joinsAbove) {
            runs--;
        } else if (!joinsBelow && !joinsAbove) {
            runs++;
        }
        pending.put(first, last);
    }
}
