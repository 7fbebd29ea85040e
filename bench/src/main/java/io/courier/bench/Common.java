package io.courier.bench;

import io.courier.client.Transport;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options every scenario shares: where the server is, how to reach it, where results go. */
final class Common {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Server address (default ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--http-port", defaultValue = "8080", description = "HTTP and WebSocket port (default ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--tcp-port", defaultValue = "9100", description = "Native TCP port (default ${DEFAULT-VALUE})")
    int tcpPort;

    @Option(names = "--transport", defaultValue = "TCP", description = "TCP or WEBSOCKET (default ${DEFAULT-VALUE})")
    Transport transport;

    @Option(names = "--io-threads", defaultValue = "2", description = "Client event loop threads (default ${DEFAULT-VALUE})")
    int ioThreads;

    @Option(names = "--out", defaultValue = "bench-results", description = "Directory for results (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--server-config", description = "How the server was started, recorded with the results")
    String serverConfig;

    Target target() {
        return new Target(host, httpPort, tcpPort, transport);
    }
}
