package io.courier.client;

import java.util.concurrent.CompletableFuture;

/**
 * Where a client gets its access token for each (re)connect. {@code refresh} is true after the
 * server said the last one expired; a provider that can refresh (see
 * {@link io.courier.client.http.CourierHttp#tokens}) gets a new one, others hand out the same one
 * and the client stops.
 */
@FunctionalInterface
public interface TokenProvider {
    CompletableFuture<String> token(boolean refresh);

    static TokenProvider of(String accessToken) {
        return refresh -> CompletableFuture.completedFuture(accessToken);
    }
}
