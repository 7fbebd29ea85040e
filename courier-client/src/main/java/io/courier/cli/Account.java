package io.courier.cli;

import io.courier.client.ClientResources;
import io.courier.client.CourierClient;
import io.courier.client.http.CourierHttp;
import io.courier.client.http.Session;
import io.courier.protocol.v1.SyncResponse;

import java.time.Clock;
import java.util.Optional;

/**
 * Who this CLI acts as on one server: the saved session (if any), its tokens, and its real-time
 * connection, made when first needed. Commands ask it for a token or a connected client; login and
 * logout replace or end the session.
 *
 * @implNote The lock only guards swapping the session and connection; nothing waits on the network
 * while holding it, because the SDK's thread calls back in here when the server ends a session.
 */
final class Account implements AutoCloseable {
    private final ServerAddress server;
    private final SessionStore store;
    private final CourierHttp http;
    private final Clock clock;
    private final LiveConnection.Setup setup;
    private ClientResources resources;
    private SessionTokens tokens;
    private LiveConnection live;

    Account(ServerAddress server, SessionStore store, CourierHttp http, Clock clock, LiveConnection.Setup setup) {
        this.server = server;
        this.store = store;
        this.http = http;
        this.clock = clock;
        this.setup = setup;
        this.tokens = store.load(server).map(this::tokensOf).orElse(null);
    }

    ServerAddress server() {
        return server;
    }

    CourierHttp http() {
        return http;
    }

    synchronized Optional<Session> session() {
        return tokens == null ? Optional.empty() : Optional.of(tokens.session());
    }

    Session requireSession() {
        return session().orElseThrow(this::notLoggedIn);
    }

    /** An access token of the session, refreshed when it is about to expire. */
    String token() {
        SessionTokens t;
        synchronized (this) {
            t = tokens;
        }
        if (t == null) {
            throw notLoggedIn();
        }
        return t.accessToken();
    }

    /** The session's real-time client, connected. */
    CourierClient client() {
        return live().client();
    }

    /** Connects unless connected; the unread counts of the first sync, if this call connected. */
    Optional<SyncResponse> connect() {
        return live().connect();
    }

    /** A new session (after a login): saved, and used from now on; the old connection is closed. */
    void start(Session session) {
        store.save(server, session);
        LiveConnection old;
        synchronized (this) {
            old = live;
            live = null;
            tokens = tokensOf(session);
        }
        if (old != null) {
            old.close();
        }
    }

    /** Logs out on the server, then forgets the session (also when the server had ended it already). */
    void logout() {
        try {
            Await.result(http.logout(token()));
        } catch (RuntimeException e) {
            if (!Failure.endsSession(e)) {
                throw e;
            }
        }
        forget();
    }

    /** Drops the session here and deletes its file: it is over. */
    void forget() {
        LiveConnection old;
        synchronized (this) {
            old = live;
            live = null;
            tokens = null;
        }
        store.delete(server);
        if (old != null) {
            old.close();
        }
    }

    /**
     * The server refused the session's tokens: drop it. The file goes only when it still holds
     * this session, not one that another run saved since.
     */
    void sessionEnded() {
        Session ended;
        LiveConnection old;
        synchronized (this) {
            if (tokens == null) {
                return;
            }
            ended = tokens.session();
            old = live;
            live = null;
            tokens = null;
        }
        store.load(server).filter(s -> s.refreshToken().equals(ended.refreshToken())).ifPresent(s -> store.delete(server));
        if (old != null) {
            old.close();
        }
    }

    private synchronized LiveConnection live() {
        if (tokens == null) {
            throw notLoggedIn();
        }
        if (live == null) {
            if (resources == null) {
                resources = ClientResources.create(1);
            }
            live = new LiveConnection(server, tokens.session(), tokens.provider(), resources, setup, this::ended);
        }
        return live;
    }

    /** A connection was told its session is over (logged out elsewhere, password changed, ...). */
    private void ended(LiveConnection which) {
        synchronized (this) {
            if (live != which) {
                return;
            }
        }
        sessionEnded();
    }

    private SessionTokens tokensOf(Session session) {
        return new SessionTokens(session, server, store, http, clock);
    }

    private NotLoggedInException notLoggedIn() {
        return new NotLoggedInException("Not logged in to " + server.display() + ": log in first (login <user> <password>)");
    }

    /** Closes the connection; the session stays saved for the next run. */
    @Override
    public void close() {
        LiveConnection old;
        ClientResources r;
        synchronized (this) {
            old = live;
            live = null;
            r = resources;
            resources = null;
        }
        if (old != null) {
            old.close();
        }
        if (r != null) {
            r.close();
        }
    }
}
