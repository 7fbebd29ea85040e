package io.courier.server;

import io.courier.client.Backoff;
import io.courier.client.ClientResources;
import io.courier.client.CourierClient;
import io.courier.client.http.CourierHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Heartbeats every second here: a connection that goes silent is found out and replaced. */
class SdkHeartbeatTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension(Map.of("gateway.heartbeat-interval", "1s"));

    @Test
    void aSilentConnectionIsDroppedWhenHeartbeatsGoUnansweredAndTheClientReconnects() throws Exception {
        try (ClientResources resources = ClientResources.create(1);
             CourierHttp http = new CourierHttp(URI.create("http://127.0.0.1:" + server.node().httpPort()));
             ChaosProxy net = new ChaosProxy(server.node().tcpPort(), true)) {
            http.register("erin", "secret1", null).join();
            SdkRecorder heard = new SdkRecorder();
            try (CourierClient erin = CourierClient.builder("127.0.0.1").resources(resources).tcpPort(net.port())
                    .tokens(http.tokens(http.login("erin", "secret1", "tablet").join())).listener(heard)
                    .backoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)))
                    .connectTimeout(Duration.ofSeconds(2)) // a login tried while still frozen gives up soon
                    .build()) {
                assertThat(erin.connect().join().getHeartbeatIntervalS()).isEqualTo(1);
                net.freeze(true);
                heard.await("the dead connection to be noticed", Duration.ofSeconds(10), r -> r.disconnects.contains(true));
                net.freeze(false);
                heard.await("the reconnect", Duration.ofSeconds(10), r -> r.logins.size() >= 2);
                assertThat(erin.isConnected()).isTrue();
                assertThat(net.accepted()).isGreaterThanOrEqualTo(2);
            }
        }
    }
}
