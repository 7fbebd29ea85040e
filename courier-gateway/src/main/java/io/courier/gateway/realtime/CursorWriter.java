package io.courier.gateway.realtime;

import io.courier.core.auth.Principal;
import io.courier.core.error.CourierException;
import io.courier.core.message.MessageService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stores the delivered cursors that logins with delivered-when-written move ({@link DeliveryTracker}: MPIM
 * lines, and JSON or native connections that do not acknowledge), off the event loop and coalesced per
 * conversation: a burst of pushes costs one update per conversation. A login waits for the writes of its
 * device still pending ({@link #flush}), so that what one connection delivered is not sent again to the next.
 * One per node, shared by every protocol.
 */
public final class CursorWriter {
    private static final Logger log = LoggerFactory.getLogger(CursorWriter.class);

    /** One device's advances not yet stored (guarded by the map's compute); {@code writing}: one store at a time. */
    private static final class Pending {
        final ReentrantLock writing = new ReentrantLock();
        Principal principal;
        Map<String, Long> cursors = new HashMap<>();
        boolean scheduled;
    }

    private final MessageService messages;
    private final Executor executor;
    /** A user's devices each have their own cursors. */
    private record Device(long userId, String deviceId) {
        static Device of(Principal p) {
            return new Device(p.userId(), p.deviceId());
        }
    }

    private final ConcurrentHashMap<Device, Pending> byDevice = new ConcurrentHashMap<>();

    public CursorWriter(MessageService messages, Executor executor) {
        this.messages = messages;
        this.executor = executor;
    }

    /** Never blocks: safe on the event loop. */
    void advance(Principal who, String conversationId, long seq) {
        boolean[] schedule = new boolean[1];
        Device device = Device.of(who);
        byDevice.compute(device, (id, existing) -> {
            Pending p = existing == null ? new Pending() : existing;
            p.principal = who;
            p.cursors.merge(conversationId, seq, Math::max);
            schedule[0] = !p.scheduled;
            p.scheduled = true;
            return p;
        });
        if (schedule[0]) {
            executor.execute(() -> flush(who));
        }
    }

    /** Stores the device's pending advances, after a store of them already under way. Blocking. */
    public void flush(Principal principal) {
        Device device = Device.of(principal);
        while (true) {
            Pending p = byDevice.get(device);
            if (p == null) {
                return;
            }
            p.writing.lock();
            try {
                if (byDevice.get(device) != p) {
                    continue; // retired while this call waited: whatever is pending now sits in a new entry
                }
                Principal[] who = new Principal[1];
                @SuppressWarnings("unchecked")
                Map<String, Long>[] batch = new Map[1];
                byDevice.computeIfPresent(device, (id, q) -> {
                    who[0] = q.principal;
                    batch[0] = q.cursors;
                    q.cursors = new HashMap<>();
                    q.scheduled = false;
                    return q;
                });
                store(who[0], batch[0]);
                byDevice.computeIfPresent(device, (id, q) -> q.cursors.isEmpty() && !q.scheduled ? null : q);
                return;
            } finally {
                p.writing.unlock();
            }
        }
    }

    private void store(Principal who, Map<String, Long> cursors) {
        cursors.forEach((conversation, seq) -> {
            try {
                messages.delivered(who, conversation, seq);
            } catch (CourierException e) {
                // The user has left the conversation since (a removed member is sent the event that says so).
                log.debug("Delivered cursor of {} in {} not moved: {}", who.userId(), conversation, e.getMessage());
            } catch (RuntimeException e) {
                // Delivery cursors are a convenience here: a message whose cursor was not stored comes again with PULL.
                log.warn("Delivered cursor of {} in {} not stored: {}", who.userId(), conversation, e.toString());
            }
        });
    }
}
