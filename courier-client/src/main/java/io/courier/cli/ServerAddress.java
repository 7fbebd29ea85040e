package io.courier.cli;

import io.courier.client.Transport;

import java.net.URI;

/** Where the server is and how this CLI talks to it, from the global options. */
public record ServerAddress(String host, int httpPort, int tcpPort, Transport transport, String deviceId) {

    URI httpBase() {
        return URI.create("http://" + hostForUri() + ":" + httpPort);
    }

    /** How people read it: {@code host:httpPort}. */
    String display() {
        return hostForUri() + ":" + httpPort;
    }

    /**
     * The name of this server's session file. The HTTP address is the key: that is where sessions
     * come from, so two servers on one host with different ports keep separate sessions.
     */
    String key() {
        return host.toLowerCase().replaceAll("[^a-z0-9.-]", "_") + "_" + httpPort;
    }

    private String hostForUri() {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
