package io.courier.core.delivery;

import io.courier.protocol.v1.Envelope;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The devices connected to this node, by user. A user is online while any device is; one device id
 * holds one connection, so a second login on the same device replaces (and kicks) the first.
 */
public final class ConnectionRegistry {

    /** Told when a user's first device connects and when the last one leaves. */
    public interface PresenceListener {
        void online(long userId);

        void offline(long userId);
    }

    private final Map<Long, Map<String, ClientConnection>> byUser = new ConcurrentHashMap<>();
    private volatile PresenceListener presence = new PresenceListener() {
        @Override
        public void online(long userId) {
        }

        @Override
        public void offline(long userId) {
        }
    };

    /** Set once while wiring, before traffic. */
    public void presenceListener(PresenceListener listener) {
        this.presence = listener;
    }

    public void register(ClientConnection connection) {
        ClientConnection[] replaced = new ClientConnection[1];
        boolean[] first = new boolean[1];
        byUser.compute(connection.userId(), (user, devices) -> {
            Map<String, ClientConnection> map = devices == null ? new ConcurrentHashMap<>() : devices;
            first[0] = map.isEmpty();
            replaced[0] = map.put(connection.deviceId(), connection);
            return map;
        });
        if (replaced[0] != null && replaced[0] != connection) {
            replaced[0].kick("replaced");
        }
        if (first[0]) {
            presence.online(connection.userId());
        }
    }

    /** Removes the connection if it is still the one registered for its device; idempotent. */
    public void unregister(ClientConnection connection) {
        boolean[] last = new boolean[1];
        byUser.computeIfPresent(connection.userId(), (user, devices) -> {
            boolean removed = devices.remove(connection.deviceId(), connection);
            last[0] = removed && devices.isEmpty();
            return devices.isEmpty() ? null : devices;
        });
        if (last[0]) {
            presence.offline(connection.userId());
        }
    }

    /** Kicks the user's connections that were opened with one of these (now ended) sessions. */
    public void kickSessions(long userId, Collection<String> sessionIds, String reason) {
        if (sessionIds.isEmpty()) {
            return;
        }
        for (ClientConnection c : devicesOf(userId)) {
            if (sessionIds.contains(c.sessionId())) {
                c.kick(reason);
            }
        }
    }

    /** Kicks every device (the server is stopping); returns how many there were. */
    public int kickAll(String reason) {
        List<ClientConnection> all = byUser.values().stream().flatMap(d -> d.values().stream()).toList();
        all.forEach(c -> c.kick(reason)); // a kick unregisters the device: iterate over a copy
        return all.size();
    }

    public Collection<ClientConnection> devicesOf(long userId) {
        Map<String, ClientConnection> devices = byUser.get(userId);
        return devices == null ? List.of() : new ArrayList<>(devices.values());
    }

    public boolean isOnline(long userId) {
        return byUser.containsKey(userId);
    }

    /** Pushes to every device of the user except {@code exceptDevice} (may be null). */
    public void pushTo(long userId, String exceptDevice, Envelope envelope) {
        Map<String, ClientConnection> devices = byUser.get(userId);
        if (devices == null) {
            return;
        }
        for (ClientConnection c : devices.values()) {
            if (!c.deviceId().equals(exceptDevice)) {
                c.push(envelope);
            }
        }
    }

    public int onlineUsers() {
        return byUser.size();
    }

    public int connections() {
        return byUser.values().stream().mapToInt(Map::size).sum();
    }
}
