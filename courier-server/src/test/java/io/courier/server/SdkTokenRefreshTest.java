package io.courier.server;

import io.courier.client.Backoff;
import io.courier.client.ClientResources;
import io.courier.client.CourierClient;
import io.courier.client.CourierClientException;
import io.courier.client.TokenProvider;
import io.courier.client.http.CourierHttp;
import io.courier.client.http.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Access tokens live two seconds here (three at most): a client that reconnects later must refresh its session. */
class SdkTokenRefreshTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension(Map.of("auth.access-token-ttl", "2s"));

    @Test
    void aReconnectWithAnExpiredTokenRefreshesTheSessionAndCarriesOn() throws Exception {
        try (ClientResources resources = ClientResources.create(1);
             CourierHttp http = new CourierHttp(URI.create("http://127.0.0.1:" + server.node().httpPort()));
             ChaosProxy net = new ChaosProxy(server.node().tcpPort(), true)) {
            http.register("carol", "secret1", null).join();
            http.register("dave", "secret1", null).join();
            Session dave = http.login("dave", "secret1", "phone").join();
            AtomicReference<Session> current = new AtomicReference<>(http.login("carol", "secret1", "laptop").join());
            List<String> refreshedWith = new CopyOnWriteArrayList<>();
            // Hands out the old token until the server says it expired: the client must ask again.
            TokenProvider stale = refresh -> refresh
                    ? http.refresh(current.get().refreshToken()).thenApply(next -> {
                        refreshedWith.add(current.get().refreshToken());
                        current.set(next);
                        return next.accessToken();
                    })
                    : CompletableFuture.completedFuture(current.get().accessToken());
            SdkRecorder heard = new SdkRecorder();
            try (CourierClient carol = CourierClient.builder("127.0.0.1").resources(resources).tcpPort(net.port())
                    .tokens(stale).listener(heard).backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100))).build()) {
                carol.connect().join();
                String first = current.get().accessToken();
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)) // until the server refuses it
                        .until(() -> http.me(first).handle((me, e) -> isTokenExpired(e)).join());
                net.cutAll();
                heard.await("the reconnect", Duration.ofSeconds(10), r -> r.logins.size() == 2);
                assertThat(refreshedWith).hasSize(1);
                assertThat(carol.sendText(dave.userId(), "still here").join().getSeq()).isEqualTo(1);
                assertThat(heard.disconnects).containsExactly(true);
            }
        }
    }

    private static boolean isTokenExpired(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
        return cause instanceof CourierClientException c && c.code() == 2003;
    }
}
