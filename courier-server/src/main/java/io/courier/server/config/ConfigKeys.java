package io.courier.server.config;

import io.courier.store.Durability;

import java.time.Duration;
import io.courier.core.limit.Rate;

import java.util.List;
import java.util.function.Function;

/** Every setting Courier reads. docs/configuration.md lists the same keys; a test keeps the two equal. */
public final class ConfigKeys {
    private ConfigKeys() {
    }

    public static final ConfigKey<String> NODE_ID = string("node.id", "",
            "Name of this node in /health, /stats and logs; empty means the host name");
    public static final ConfigKey<String> BIND = string("bind", "127.0.0.1",
            "Address every listener binds to; set 0.0.0.0 to open Courier to the network");
    public static final ConfigKey<Integer> HTTP_PORT = key("http.port", "8080",
            "Port of the HTTP API and of the WebSocket endpoint /ws", "port", Values::port);
    public static final ConfigKey<Integer> TCP_PORT = key("tcp.port", "9100",
            "Port of the native TCP protocol (4-byte length + protobuf Envelope frames)", "port", Values::port);
    public static final ConfigKey<Integer> MPIM_PORT = key("mpim.port", "9000",
            "Port of the MPIM line protocol (UTF-8 text lines, the seed's CLI and benchmark speak it)", "port", Values::port);
    public static final ConfigKey<String> DATA_DIR = string("data.dir", "./data",
            "Directory of the embedded database (db/courier.sqlite) and the generated token-signing secret");

    public static final ConfigKey<Boolean> TLS_ENABLED = key("tls.enabled", "false",
            "TLS on the HTTP port (HTTPS and WSS) and the native TCP port, with the certificate of tls.cert and tls.key "
                    + "or of tls.keystore; TLS 1.3 and 1.2 only", "boolean", Values::bool);
    public static final ConfigKey<String> TLS_CERT = string("tls.cert", "",
            "PEM file of the certificate chain (the server's certificate first)");
    public static final ConfigKey<String> TLS_KEY = string("tls.key", "",
            "PEM file of the certificate's private key (PKCS#8, or PKCS#1/SEC1), unencrypted");
    public static final ConfigKey<String> TLS_KEYSTORE = string("tls.keystore", "",
            "PKCS#12 keystore with the certificate and its key, instead of tls.cert and tls.key");
    public static final ConfigKey<String> TLS_KEYSTORE_PASSWORD = string("tls.keystore-password", "",
            "Password of tls.keystore and of its key");
    public static final ConfigKey<Boolean> TLS_SELF_SIGNED = key("tls.self-signed", "false",
            "Turn TLS on with a certificate for localhost made once and kept in data.dir/tls/ (cert.pem, key.pem): for a try "
                    + "on one machine (./courier --tls-self-signed); clients trust that cert.pem", "boolean", Values::bool);
    public static final ConfigKey<Boolean> TLS_MPIM = key("tls.mpim", "false",
            "TLS on the MPIM line port too (MPIM's own client speaks plain TCP, so it is off by default)", "boolean", Values::bool);
    public static final ConfigKey<Duration> TLS_RELOAD_INTERVAL = key("tls.reload-interval", "30s",
            "How often the certificate files are looked at: a renewed certificate is used by new connections without a restart",
            "duration", Values::duration);

    public static final ConfigKey<String> DB_URL = string("db.url", "",
            "JDBC URL of the database; empty means the embedded SQLite database under data.dir "
                    + "(jdbc:mariadb: for MariaDB and MySQL servers, jdbc:postgresql: for PostgreSQL)");
    public static final ConfigKey<String> DB_USER = string("db.user", "", "Database user (not used by the embedded database)");
    public static final ConfigKey<String> DB_PASSWORD = string("db.password", "", "Database password");
    public static final ConfigKey<Integer> DB_POOL_SIZE = key("db.pool-size", "10",
            "Most database connections the pool holds open", "integer", Values::positive);
    public static final ConfigKey<Durability> DB_DURABILITY = key("db.durability", "process",
            "Embedded database only: what an acknowledged write survives. process: a crash or kill -9 of the server "
                    + "(each commit is in SQLite's write-ahead log before it is acknowledged); power: an operating-system crash "
                    + "or power cut as well (the log is synced to the disk at each group commit; slower: docs/benchmarks.md)",
            "process|power", Durability::parse);

    public static final ConfigKey<Integer> HTTP_MAX_BODY = key("http.max-body", "1MiB",
            "Largest HTTP request body accepted; larger ones get 413 BODY_TOO_LARGE", "size", Values::bytes);
    public static final ConfigKey<Integer> HTTP_MAX_IN_FLIGHT = key("http.max-in-flight", "1024",
            "HTTP requests processed at once; more get 503 OVERLOADED", "integer", Values::positive);
    public static final ConfigKey<Duration> HTTP_IDLE_TIMEOUT = key("http.idle-timeout", "5m",
            "An HTTP connection without traffic for this long is closed", "duration", Values::duration);
    public static final ConfigKey<Duration> HTTP_HEADER_TIMEOUT = key("http.header-timeout", "10s",
            "A request's headers must be complete this long after the connection opened or the last response; else 408 and close",
            "duration", Values::duration);
    public static final ConfigKey<Integer> NET_WORKER_THREADS = key("net.worker-threads", "0",
            "Netty event-loop threads; 0 means one per core", "integer", Values::integer);

    public static final ConfigKey<Duration> GATEWAY_HEARTBEAT_INTERVAL = key("gateway.heartbeat-interval", "30s",
            "How often clients should send a heartbeat; the server sends one (WebSocket: a ping) after this long without writing",
            "duration", Values::duration);
    public static final ConfigKey<Duration> GATEWAY_IDLE_TIMEOUT = key("gateway.idle-timeout", "90s",
            "A real-time connection silent for this long is closed", "duration", Values::duration);
    public static final ConfigKey<Integer> GATEWAY_MAX_FRAME = key("gateway.max-frame", "1MiB",
            "Largest native frame or WebSocket message accepted", "size", Values::bytes);
    public static final ConfigKey<Integer> GATEWAY_MAX_OUTBOUND = key("gateway.max-outbound", "4MiB",
            "High-water mark of a connection's write buffer: a connection above it for a second, or at four times it at once, counts as a slow consumer and is disconnected",
            "size", Values::bytes);
    public static final ConfigKey<Duration> GATEWAY_LOGIN_TIMEOUT = key("gateway.login-timeout", "10s",
            "A native TCP connection that has not logged in this long after connecting is closed (heartbeats do not extend it)",
            "duration", Values::duration);
    public static final ConfigKey<Duration> MPIM_LOGIN_TIMEOUT = key("mpim.login-timeout", "2m",
            "An MPIM line connection that has not sent LOGIN or REGISTER this long after connecting is closed (a person types them)",
            "duration", Values::duration);
    public static final ConfigKey<Boolean> MPIM_INSTANT_FRIENDS = key("mpim.instant-friends", "false",
            "Whether MPIM's ADDFRIEND makes a friendship at once, without the other user's consent, as MPIM does (off: it sends a friend request, or accepts theirs)",
            "boolean", Values::bool);
    public static final ConfigKey<Integer> GATEWAY_MAX_UNAUTHENTICATED_PER_ADDRESS = key("gateway.max-unauthenticated-per-address",
            "256", "Native TCP and MPIM connections one client address may hold open before they log in; more are closed at once",
            "integer", Values::positive);
    public static final ConfigKey<Integer> GATEWAY_LOGIN_BACKLOG = key("gateway.login-backlog", "1000",
            "Most undelivered messages pushed to a device right after it logs in (it pulls the rest)", "integer",
            Values::positive);

    public static final ConfigKey<Integer> MESSAGING_MAX_TEXT_LENGTH = key("messaging.max-text-length", "8192",
            "Longest text of a message, in characters", "integer", Values::positive);
    public static final ConfigKey<Duration> MESSAGING_RECALL_WINDOW = key("messaging.recall-window", "2m",
            "How long after sending a sender may recall a message", "duration", Values::duration);
    public static final ConfigKey<Boolean> MESSAGING_REQUIRE_FRIENDSHIP = key("messaging.require-friendship", "false",
            "Whether 1:1 messages need a friendship (off: anyone who is not blocked may write)", "boolean", Values::bool);
    public static final ConfigKey<Integer> MESSAGING_MAX_BATCH = key("messaging.max-batch", "512",
            "Most messages one group-commit transaction stores", "integer", Values::positive);
    public static final ConfigKey<Integer> MESSAGING_MAX_QUEUED = key("messaging.max-queued", "65536",
            "Messages waiting to be stored; when it is full, further sends wait for room and their connections stop reading", "integer", Values::positive);

    public static final ConfigKey<Integer> GROUPS_MAX_MEMBERS = key("groups.max-members", "2000",
            "Most members a group may have", "integer", Values::positive);
    public static final ConfigKey<Integer> GROUPS_READ_LIST_MAX_MEMBERS = key("groups.read-list-max-members", "500",
            "Largest group for which a message's read state names the readers (larger groups get counts only)",
            "integer", Values::positive);

    public static final ConfigKey<String> AUTH_JWT_SECRET = string("auth.jwt-secret", "",
            "Token-signing secret (at least 32 bytes); empty means one generated on first start and kept in data.dir");
    public static final ConfigKey<Duration> AUTH_ACCESS_TOKEN_TTL = key("auth.access-token-ttl", "1h",
            "Lifetime of an access token", "duration", Values::duration);
    public static final ConfigKey<Duration> AUTH_REFRESH_TOKEN_TTL = key("auth.refresh-token-ttl", "30d",
            "Lifetime of a refresh token and of the device session behind it", "duration", Values::duration);
    public static final ConfigKey<Integer> AUTH_LOGIN_SLOW_AFTER = key("auth.login.slow-after", "3",
            "Failed logins (per username from anywhere, per address, or per username from one address) after which each further failure is answered late", "integer",
            Values::positive);
    public static final ConfigKey<Integer> AUTH_LOGIN_MAX_FAILURES = key("auth.login.max-failures", "5",
            "Failed logins for one username from one address within auth.login.lockout that lock that username for that address only", "integer", Values::positive);
    public static final ConfigKey<Integer> AUTH_LOGIN_MAX_FAILURES_PER_ADDRESS = key("auth.login.max-failures-per-address", "50",
            "Failed logins from one client address within auth.login.lockout that lock it", "integer", Values::positive);
    public static final ConfigKey<Duration> AUTH_LOGIN_LOCKOUT = key("auth.login.lockout", "15m",
            "How long a locked username-and-address pair or address is refused (429 with Retry-After)", "duration", Values::duration);
    public static final ConfigKey<Integer> AUTH_ARGON2_MEMORY_KIB = key("auth.argon2.memory-kib", "19456",
            "Argon2id memory cost of a password hash, in KiB", "integer", Values::positive);
    public static final ConfigKey<Integer> AUTH_ARGON2_ITERATIONS = key("auth.argon2.iterations", "2",
            "Argon2id time cost (passes over memory) of a password hash", "integer", Values::positive);

    public static final ConfigKey<Boolean> LIMITS_ENABLED = key("limits.enabled", "true",
            "Whether the limits.* rates apply; false turns them all off (a load generator, a test)", "boolean", Values::bool);
    public static final ConfigKey<Rate> LIMITS_MESSAGES = key("limits.messages", "200/10s",
            "1:1 messages one user may send: COUNT/PERIOD, a burst of COUNT refilled evenly over PERIOD, or off",
            "rate", Rate::parse);
    public static final ConfigKey<Rate> LIMITS_GROUP_MESSAGES = key("limits.group-messages", "100/10s",
            "Group messages one user may send (COUNT/PERIOD or off)", "rate", Rate::parse);
    public static final ConfigKey<Rate> LIMITS_FRIEND_REQUESTS = key("limits.friend-requests", "30/10m",
            "New friend requests one user may send (COUNT/PERIOD or off)", "rate", Rate::parse);
    public static final ConfigKey<Rate> LIMITS_REGISTRATIONS = key("limits.registrations", "20/10m",
            "Accounts one client address may register (COUNT/PERIOD or off)", "rate", Rate::parse);

    public static final List<ConfigKey<?>> ALL = List.of(NODE_ID, BIND, HTTP_PORT, TCP_PORT, MPIM_PORT, DATA_DIR,
            TLS_ENABLED, TLS_CERT, TLS_KEY, TLS_KEYSTORE, TLS_KEYSTORE_PASSWORD, TLS_SELF_SIGNED, TLS_MPIM, TLS_RELOAD_INTERVAL,
            DB_URL, DB_USER, DB_PASSWORD, DB_POOL_SIZE, DB_DURABILITY,
            HTTP_MAX_BODY, HTTP_MAX_IN_FLIGHT, HTTP_IDLE_TIMEOUT, HTTP_HEADER_TIMEOUT, NET_WORKER_THREADS,
            GATEWAY_HEARTBEAT_INTERVAL, GATEWAY_IDLE_TIMEOUT, GATEWAY_MAX_FRAME, GATEWAY_MAX_OUTBOUND, GATEWAY_LOGIN_BACKLOG,
            GATEWAY_LOGIN_TIMEOUT, MPIM_LOGIN_TIMEOUT, MPIM_INSTANT_FRIENDS, GATEWAY_MAX_UNAUTHENTICATED_PER_ADDRESS,
            MESSAGING_MAX_TEXT_LENGTH, MESSAGING_RECALL_WINDOW, MESSAGING_REQUIRE_FRIENDSHIP, MESSAGING_MAX_BATCH,
            MESSAGING_MAX_QUEUED, GROUPS_MAX_MEMBERS, GROUPS_READ_LIST_MAX_MEMBERS,
            AUTH_JWT_SECRET, AUTH_ACCESS_TOKEN_TTL, AUTH_REFRESH_TOKEN_TTL, AUTH_LOGIN_SLOW_AFTER,
            AUTH_LOGIN_MAX_FAILURES, AUTH_LOGIN_MAX_FAILURES_PER_ADDRESS, AUTH_LOGIN_LOCKOUT,
            AUTH_ARGON2_MEMORY_KIB, AUTH_ARGON2_ITERATIONS,
            LIMITS_ENABLED, LIMITS_MESSAGES, LIMITS_GROUP_MESSAGES, LIMITS_FRIEND_REQUESTS, LIMITS_REGISTRATIONS);

    private static ConfigKey<String> string(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, defaultValue, doc, "string", Function.identity());
    }

    private static <T> ConfigKey<T> key(String name, String defaultValue, String doc, String type, Function<String, T> parser) {
        return new ConfigKey<>(name, defaultValue, doc, type, parser);
    }
}
