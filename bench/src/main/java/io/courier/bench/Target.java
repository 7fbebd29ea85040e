package io.courier.bench;

import io.courier.client.ClientListener;
import io.courier.client.ClientResources;
import io.courier.client.CourierClient;
import io.courier.client.CourierClientBuilder;
import io.courier.client.Transport;
import io.courier.client.http.CourierHttp;
import io.courier.client.http.Session;

import java.net.URI;

/** The server under test and how to reach it. */
record Target(String host, int httpPort, int tcpPort, Transport transport) {

    CourierHttp http() {
        return new CourierHttp(URI.create("http://" + host + ":" + httpPort));
    }

    CourierClient client(ClientResources resources, Session session, ClientListener listener) {
        return clientBuilder(resources, session.accessToken(), listener).build();
    }

    /**
     * A first connect may try three times, as an app would; the failures that remain are the run's to count.
     * It takes the bare access token: a worker process of {@code connections} gets nothing else.
     */
    CourierClientBuilder clientBuilder(ClientResources resources, String accessToken, ClientListener listener) {
        return CourierClient.builder(host).resources(resources).httpPort(httpPort).tcpPort(tcpPort)
                .transport(transport).token(accessToken).listener(listener).connectAttempts(3);
    }
}
