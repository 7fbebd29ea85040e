package io.courier.cli;

import io.courier.client.ClientListener;
import io.courier.client.ClientResources;
import io.courier.client.CourierClient;
import io.courier.client.TokenProvider;
import io.courier.client.http.Session;
import io.courier.protocol.v1.Kicked;
import io.courier.protocol.v1.LoginOk;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.PresenceChange;
import io.courier.protocol.v1.ReadReceipt;
import io.courier.protocol.v1.Recalled;
import io.courier.protocol.v1.SyncResponse;
import io.courier.protocol.v1.Typing;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The real-time connection of one session: an SDK {@link CourierClient}, made when a command first
 * needs it. The SDK reconnects by itself after a network failure; this adds what a CLI needs on top:
 * waiting for the first sync after a login (for the unread count), telling its owner when the server
 * ended the session, and taking the connection back when another program of the same device took it.
 */
final class LiveConnection implements AutoCloseable {
    private static final Duration SYNC_WAIT = Duration.ofSeconds(10);
    private static final Duration RECLAIM_DELAY = Duration.ofSeconds(3);
    private static final Duration RECLAIM_QUIET = Duration.ofSeconds(30);
    /** Kicks after which the session is over: its tokens no longer work. */
    private static final Set<String> SESSION_OVER = Set.of("logout", "password_changed", "revoked", "disabled");

    /** Builds what hears a connection's events: the shell prints them, a script needs none. */
    interface Listeners {
        ClientListener create(Session session, CourierClient client);
    }

    /**
     * How connections behave. {@code reclaim}: after a {@code replaced} kick (another program
     * connected as this device, a script run by the user, say), connect again a little later.
     */
    record Setup(Listeners listeners, Consumer<String> notices, boolean reclaim) {
        static Setup quiet() {
            return new Setup((session, client) -> new ClientListener() { }, notice -> { }, false);
        }
    }

    private final CourierClient client;
    private final Forwarder events = new Forwarder();
    private final Setup setup;
    private final Consumer<LiveConnection> sessionOver;
    private volatile boolean closed;
    private long lastReclaim;

    LiveConnection(ServerAddress server, Session session, TokenProvider tokens, ClientResources resources, Setup setup,
                   Consumer<LiveConnection> sessionOver) {
        this.setup = setup;
        this.sessionOver = sessionOver;
        this.client = CourierClient.builder(server.host())
                .httpPort(server.httpPort())
                .tcpPort(server.tcpPort())
                .transport(server.transport())
                .deviceId(session.deviceId())
                .tokens(tokens)
                .resources(resources)
                .listener(events)
                .build();
        events.delegate = setup.listeners().create(session, client);
    }

    /** The client, connected (or reconnecting, when it was connected before). */
    CourierClient client() {
        connect();
        return client;
    }

    /**
     * Connects unless connected; the first sync after this login (unread counts), when it came in
     * time. Fails when the server cannot be reached or refuses the session.
     */
    Optional<SyncResponse> connect() {
        if (client.isConnected()) {
            return Optional.empty();
        }
        CompletableFuture<SyncResponse> sync = new CompletableFuture<>();
        events.nextSync = sync;
        Await.result(client.connect());
        try {
            return Optional.of(sync.get(SYNC_WAIT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        closed = true;
        client.close();
        if (events.delegate instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // nothing left to tell
            }
        }
    }

    private void kicked(String reason) {
        if (closed) {
            return;
        }
        if (SESSION_OVER.contains(reason)) {
            // Not on the SDK's thread: the owner closes this client, which waits for that thread.
            Thread.ofVirtual().start(() -> sessionOver.accept(this));
        } else if (reason.equals("replaced") && setup.reclaim()) {
            reclaimLater();
        }
    }

    private synchronized void reclaimLater() {
        long now = System.nanoTime();
        if (lastReclaim != 0 && now - lastReclaim < RECLAIM_QUIET.toNanos()) {
            setup.notices().accept("Another program keeps connecting as this device; not taking it back again."
                    + " Give each program its own --device. Any command reconnects.");
            return;
        }
        lastReclaim = now;
        setup.notices().accept("Another program connected as this device; reconnecting in "
                + RECLAIM_DELAY.toSeconds() + " s.");
        CompletableFuture.delayedExecutor(RECLAIM_DELAY.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
            if (!closed) {
                client.connect().exceptionally(e -> null);
            }
        });
    }

    /** Passes every event on; keeps back what this class needs to know. */
    private final class Forwarder implements ClientListener {
        volatile ClientListener delegate = new ClientListener() { };
        volatile CompletableFuture<SyncResponse> nextSync = new CompletableFuture<>();

        @Override
        public void onMessage(Message message) {
            delegate.onMessage(message);
        }

        @Override
        public void onReadReceipt(ReadReceipt receipt) {
            delegate.onReadReceipt(receipt);
        }

        @Override
        public void onTyping(Typing typing) {
            delegate.onTyping(typing);
        }

        @Override
        public void onRecalled(Recalled recalled) {
            delegate.onRecalled(recalled);
        }

        @Override
        public void onPresence(PresenceChange change) {
            delegate.onPresence(change);
        }

        @Override
        public void onConnected(LoginOk login) {
            delegate.onConnected(login);
        }

        @Override
        public void onSync(SyncResponse sync) {
            delegate.onSync(sync);
            nextSync.complete(sync);
        }

        @Override
        public void onDisconnected(Throwable cause, boolean willReconnect) {
            delegate.onDisconnected(cause, willReconnect);
        }

        @Override
        public void onKicked(Kicked kicked) {
            delegate.onKicked(kicked);
            kicked(kicked.getReason());
        }
    }
}
