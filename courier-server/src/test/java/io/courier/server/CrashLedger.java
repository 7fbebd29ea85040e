package io.courier.server;

import io.courier.protocol.v1.SendAck;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a crash test's clients were told: every write the server acknowledged, and the attempts whose
 * answers a kill may have cut off (which may or may not have been applied). Filled by the workers
 * of one round, read by the verification after the restart.
 */
final class CrashLedger {
    static final String DEVICE = "crash-device";

    /** Acknowledged registrations: id → username. */
    final Map<Long, String> users = new ConcurrentHashMap<>();
    /** The last acknowledged nickname of a user, and every one attempted, in order (one worker owns each user). */
    final Map<Long, String> nicknames = new ConcurrentHashMap<>();
    final Map<Long, List<String>> nicknameAttempts = new ConcurrentHashMap<>();
    /** Accepted friendships, as {@link #pair}. */
    final Set<String> friendships = ConcurrentHashMap.newKeySet();
    /** Blocks, as {@code pair>blocker}. */
    final Set<String> blocks = ConcurrentHashMap.newKeySet();
    /** Pairs with a block attempted either way, and pairs that exchanged a message: a pair is in one or neither. */
    final Set<String> blocking = ConcurrentHashMap.newKeySet();
    final Set<String> talked = ConcurrentHashMap.newKeySet();
    final Map<Long, Group> groups = new ConcurrentHashMap<>();
    /** Every 1:1 message sent, acknowledged or not: client message id → {from, to}. */
    final Map<String, long[]> attemptedMessages = new ConcurrentHashMap<>();
    final Map<String, SendAck> messages = new ConcurrentHashMap<>();
    /** The highest confirmed cursors, by {@code user/conversation} (the device is {@link #DEVICE}). */
    final Map<String, Long> delivered = new ConcurrentHashMap<>();
    final Map<String, Long> read = new ConcurrentHashMap<>();

    /** A group's members (less those whose kick was acknowledged), and everyone whose kick was sent. */
    static final class Group {
        final long owner;
        final Set<Long> members = ConcurrentHashMap.newKeySet();
        final Set<Long> maybeGone = ConcurrentHashMap.newKeySet();

        Group(long owner) {
            this.owner = owner;
        }
    }

    static String password(String username) {
        return "pw-" + username;
    }

    static String pair(long a, long b) {
        return Math.min(a, b) + ":" + Math.max(a, b);
    }

    boolean hasCursor(long user) {
        String prefix = user + "/";
        return delivered.keySet().stream().anyMatch(k -> k.startsWith(prefix)) || read.keySet().stream().anyMatch(k -> k.startsWith(prefix));
    }

    int acknowledged() {
        return users.size() + nicknames.size() + friendships.size() + blocks.size() + groups.size() + messages.size()
                + delivered.size() + read.size();
    }

    String summary() {
        return String.format("%d users, %d nicknames, %d friendships, %d blocks, %d groups, %d messages, %d delivered and %d read"
                        + " cursors acknowledged", users.size(), nicknames.size(), friendships.size(), blocks.size(), groups.size(),
                messages.size(), delivered.size(), read.size());
    }
}
