package io.courier.cli;

import io.courier.client.TokenProvider;
import io.courier.client.http.CourierHttp;
import io.courier.client.http.Session;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * The tokens of the logged-in session, refreshed shortly before they expire and saved after each
 * refresh, because the refresh token that was spent no longer works.
 *
 * @implNote {@code CourierHttp.tokens(session, onRefresh)} keeps its session in memory, which is
 * right for one program. Here a shell and scripts share one session file: each refresh first
 * adopts a newer session another run saved, and refreshes under the store's lock, so no run ever
 * presents a refresh token another one has already spent (a replay ends the session on the server).
 */
final class SessionTokens {
    private static final long MARGIN_SECONDS = 30;

    private final ServerAddress server;
    private final SessionStore store;
    private final CourierHttp http;
    private final Clock clock;
    private Session current;

    SessionTokens(Session session, ServerAddress server, SessionStore store, CourierHttp http, Clock clock) {
        this.current = session;
        this.server = server;
        this.store = store;
        this.http = http;
        this.clock = clock;
    }

    synchronized Session session() {
        return current;
    }

    /** An access token good for at least half a minute (blocks while refreshing). */
    String accessToken() {
        return token(false);
    }

    /** For connections: {@code refresh} is true after the server said the last token expired. */
    TokenProvider provider() {
        return refresh -> CompletableFuture.supplyAsync(() -> token(refresh),
                r -> Thread.ofVirtual().name("courier-cli-token").start(r));
    }

    private synchronized String token(boolean expired) {
        Session before = current;
        adoptSaved();
        boolean adopted = current != before;
        if (fresh(current) && (!expired || adopted)) {
            return current.accessToken();
        }
        current = store.locked(server, () -> {
            adoptSaved();
            if (current != before && fresh(current)) {
                return current; // another run refreshed it while we waited for the lock
            }
            Session next = Await.result(http.refresh(current.refreshToken()));
            store.save(server, next);
            return next;
        });
        return current.accessToken();
    }

    /** Takes the saved session when another run refreshed ours (same user and device, newer tokens). */
    private void adoptSaved() {
        store.load(server)
                .filter(s -> s.userId() == current.userId() && s.deviceId().equals(current.deviceId()))
                .filter(s -> !s.refreshToken().equals(current.refreshToken()))
                .ifPresent(s -> current = s);
    }

    private boolean fresh(Session s) {
        return !s.expiresWithin(MARGIN_SECONDS, clock.instant());
    }
}
