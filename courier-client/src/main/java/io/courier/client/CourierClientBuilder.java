package io.courier.client;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;

/** How to reach the server and behave; every setting has a default but the token. */
public final class CourierClientBuilder {
    final String host;
    int httpPort = 8080;
    int tcpPort = 9100;
    Transport transport = Transport.TCP;
    String deviceId;
    Duration connectTimeout = Duration.ofSeconds(10);
    Duration requestTimeout = Duration.ofSeconds(15);
    Duration sendTimeout = Duration.ofMinutes(2);
    int maxFrameBytes = 1 << 20;
    Backoff backoff = Backoff.DEFAULT;
    boolean autoAck = true;
    Duration ackDelay = Duration.ofMillis(50);
    ClientResources resources;
    InetAddress localAddress;
    int connectAttempts = 1;
    SSLContext tls;
    TokenProvider tokens;
    ClientListener listener = new ClientListener() { };

    CourierClientBuilder(String host) {
        this.host = Objects.requireNonNull(host);
    }

    /** The HTTP port, which also serves WebSocket {@code /ws} (default 8080). */
    public CourierClientBuilder httpPort(int port) {
        this.httpPort = port;
        return this;
    }

    /** The native TCP port (default 9100). */
    public CourierClientBuilder tcpPort(int port) {
        this.tcpPort = port;
        return this;
    }

    public CourierClientBuilder transport(Transport transport) {
        this.transport = Objects.requireNonNull(transport);
        return this;
    }

    /** Must be the token's device when given; by default the token's device is used. */
    public CourierClientBuilder deviceId(String deviceId) {
        this.deviceId = deviceId;
        return this;
    }

    public CourierClientBuilder token(String accessToken) {
        this.tokens = TokenProvider.of(accessToken);
        return this;
    }

    /** Where tokens come from on each connect; one that refreshes keeps a client up past expiry. */
    public CourierClientBuilder tokens(TokenProvider tokens) {
        this.tokens = tokens;
        return this;
    }

    public CourierClientBuilder listener(ClientListener listener) {
        this.listener = Objects.requireNonNull(listener);
        return this;
    }

    /** Shared event loops and callback threads; without them the client makes and owns its own. */
    public CourierClientBuilder resources(ClientResources resources) {
        this.resources = resources;
        return this;
    }

    public CourierClientBuilder connectTimeout(Duration timeout) {
        this.connectTimeout = timeout;
        return this;
    }

    /** How long any request waits for its answer (default 15 s). */
    public CourierClientBuilder requestTimeout(Duration timeout) {
        this.requestTimeout = timeout;
        return this;
    }

    /** How long a send keeps retrying before it fails (default 2 min). */
    public CourierClientBuilder sendTimeout(Duration timeout) {
        this.sendTimeout = timeout;
        return this;
    }

    public CourierClientBuilder maxFrameBytes(int bytes) {
        this.maxFrameBytes = bytes;
        return this;
    }

    public CourierClientBuilder backoff(Backoff backoff) {
        this.backoff = Objects.requireNonNull(backoff);
        return this;
    }

    /**
     * The local address to connect from (default: the system's choice). A load generator spreads
     * tens of thousands of connections over 127.0.0.x addresses, each with its own port range.
     */
    public CourierClientBuilder localAddress(InetAddress address) {
        this.localAddress = address;
        return this;
    }

    /**
     * How many attempts the first {@link #connect()} makes before it fails (default 1: a caller
     * such as a command-line client wants to hear at once that the server is down). Refusals no
     * retry can fix (a bad token) fail at once regardless.
     */
    public CourierClientBuilder connectAttempts(int attempts) {
        if (attempts < 1) {
            throw new IllegalArgumentException("connectAttempts must be at least 1");
        }
        this.connectAttempts = attempts;
        return this;
    }

    /** Whether the client sends {@code Delivered} for what the listener got (default true). */
    public CourierClientBuilder autoAck(boolean autoAck) {
        this.autoAck = autoAck;
        return this;
    }

    /**
     * TLS to a server that has it on (tls.enabled): native TCP and WebSocket ({@code wss://}) both, the
     * server's name checked against its certificate. {@code SSLContext.getDefault()} trusts what the JVM
     * trusts; {@link TlsTrust#trusting} trusts one certificate (a server's self-signed cert.pem).
     */
    public CourierClientBuilder tls(SSLContext context) {
        this.tls = Objects.requireNonNull(context);
        return this;
    }

    public CourierClient build() {
        return new CourierClient(this);
    }
}
