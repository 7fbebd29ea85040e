package io.courier.server;

import io.courier.core.auth.AuthService;
import io.courier.core.auth.AuthSettings;
import io.courier.core.auth.Authenticator;
import io.courier.core.auth.LoginThrottle;
import io.courier.core.auth.PasswordHasher;
import io.courier.core.auth.TokenService;
import io.courier.core.friend.FriendService;
import io.courier.core.delivery.ConnectionRegistry;
import io.courier.core.delivery.MessageFanout;
import io.courier.core.group.GroupDirectory;
import io.courier.core.group.GroupEvents;
import io.courier.core.group.GroupService;
import io.courier.core.message.MessageIds;
import io.courier.core.message.MessageService;
import io.courier.core.message.MessageStore;
import io.courier.core.message.OfflineMessages;
import io.courier.core.limit.RateLimits;
import io.courier.core.message.MessageWriter;
import io.courier.core.message.MessagingSettings;
import io.courier.core.presence.PresenceService;
import io.courier.gateway.api.GroupApi;
import io.courier.gateway.api.MessageApi;
import io.courier.gateway.mpim.MpimProtocol;
import io.courier.gateway.mpim.MpimServer;
import io.courier.gateway.mpim.MpimSettings;
import io.courier.gateway.net.Tls;
import io.courier.gateway.realtime.CursorWriter;
import io.courier.gateway.realtime.Kicks;
import io.courier.gateway.realtime.RealtimeHandler;
import io.courier.gateway.realtime.RealtimeSettings;
import io.courier.gateway.tcp.TcpServer;
import io.courier.gateway.ws.JsonFrames;
import io.courier.gateway.ws.WebSocketUpgrade;
import io.courier.store.group.JdbcGroupStore;
import io.courier.store.message.JdbcCursorStore;
import io.courier.core.message.BufferedCursorStore;
import io.courier.store.message.JdbcMessageStore;
import io.courier.core.user.UserService;
import io.courier.gateway.api.AccountApi;
import io.courier.gateway.api.FriendApi;
import io.courier.gateway.api.SystemApi;
import io.courier.gateway.http.ApiHandler;
import io.courier.gateway.http.HttpServer;
import io.courier.gateway.http.HttpSettings;
import io.courier.gateway.http.Json;
import io.courier.gateway.http.Router;
import io.courier.gateway.net.Transport;
import io.courier.server.config.ConfigKey;
import io.courier.server.config.CourierConfig;
import io.courier.store.Database;
import io.courier.store.DatabaseSettings;
import io.courier.store.upgrade.H2Upgrade;
import io.courier.store.auth.JdbcSessionStore;
import io.courier.store.friend.JdbcFriendStore;
import io.courier.store.user.JdbcUserStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static io.courier.server.config.ConfigKeys.*;

/**
 * One Courier node with every role in one process: the explicit wiring of configuration, storage,
 * domain services and listeners. Everything is built by constructors here, in dependency order, and
 * closed in reverse order.
 */
public final class CourierNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CourierNode.class);

    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private final HttpServer http;
    private final TcpServer tcp;
    private final MpimServer mpim;
    private final Router router;
    private final String nodeId;
    private final Path dataDir;

    private CourierNode(CourierConfig config, Clock clock) {
        try {
            dataDir = Path.of(config.get(DATA_DIR)).toAbsolutePath().normalize();
            StartupChecks.portsAreFree(config); // before anything is created
            Files.createDirectories(dataDir);
            closeables.push(DataDirLock.acquire(dataDir)); // released last, after the database closed
            nodeId = config.get(NODE_ID).isEmpty() ? hostName() : config.get(NODE_ID);
            // TLS first: a certificate that cannot be used stops the start before the database opens.
            Tls tls = TlsSetup.start(config, dataDir);
            if (tls != null) {
                closeables.push(tls);
            }

            if (config.get(DB_URL).isEmpty()) {
                H2Upgrade.upgradeIfNeeded(dataDir, config.get(DB_DURABILITY));
            }
            Database database = Database.open(databaseSettings(config, dataDir));
            closeables.push(database);
            var users = new JdbcUserStore(database.jdbc());
            var sessions = new JdbcSessionStore(database.jdbc());
            var friendStore = new JdbcFriendStore(database.jdbc());

            AuthSettings authSettings = new AuthSettings(config.get(AUTH_ACCESS_TOKEN_TTL), config.get(AUTH_REFRESH_TOKEN_TTL),
                    config.get(AUTH_LOGIN_SLOW_AFTER), config.get(AUTH_LOGIN_MAX_FAILURES),
                    config.get(AUTH_LOGIN_MAX_FAILURES_PER_ADDRESS), config.get(AUTH_LOGIN_LOCKOUT),
                    config.get(AUTH_ARGON2_MEMORY_KIB), config.get(AUTH_ARGON2_ITERATIONS));
            var hasher = new PasswordHasher(authSettings.argon2MemoryKib(), authSettings.argon2Iterations());
            var tokens = new TokenService(SigningSecret.resolve(config.get(AUTH_JWT_SECRET), dataDir), clock,
                    authSettings.accessTokenTtl());
            var authenticator = new Authenticator(tokens, sessions, clock);
            var authService = new AuthService(users, sessions, hasher, tokens, authenticator,
                    new LoginThrottle(clock, authSettings), clock, authSettings.refreshTokenTtl());
            var limits = !config.get(LIMITS_ENABLED) ? RateLimits.off()
                    : new RateLimits(Map.of(RateLimits.Kind.MESSAGES, config.get(LIMITS_MESSAGES),
                            RateLimits.Kind.GROUP_MESSAGES, config.get(LIMITS_GROUP_MESSAGES),
                            RateLimits.Kind.FRIEND_REQUESTS, config.get(LIMITS_FRIEND_REQUESTS),
                            RateLimits.Kind.REGISTRATIONS, config.get(LIMITS_REGISTRATIONS)));
            var userService = new UserService(users, hasher, limits, clock);
            var friendService = new FriendService(friendStore, users, limits, clock);

            var metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            metrics.config().commonTags(List.of(Tag.of("node", nodeId)));
            new JvmMemoryMetrics().bindTo(metrics);
            new JvmThreadMetrics().bindTo(metrics);
            new ProcessorMetrics().bindTo(metrics);
            JvmGcMetrics gc = new JvmGcMetrics();
            gc.bindTo(metrics);
            closeables.push(gc);
            closeables.push(metrics::close);

            // Blocking work (database, password hashing) runs on virtual threads, bounded by
            // http.max-in-flight, the per-device request queues and the connection pool.
            ExecutorService blocking = Executors.newVirtualThreadPerTaskExecutor();
            closeables.push(() -> shutdown(blocking));

            // Real-time messaging: connections, presence, the group-commit writer and its fan-out.
            var registry = new ConnectionRegistry();
            authService.onSessionsEnded(registry::kickSessions);
            var presence = new PresenceService(registry, friendStore, users, clock, blocking);
            registry.presenceListener(presence);
            MessageStore messageStore = new JdbcMessageStore(database.jdbc());
            MessagingSettings messaging = new MessagingSettings(config.get(MESSAGING_MAX_TEXT_LENGTH),
                    config.get(MESSAGING_RECALL_WINDOW), config.get(MESSAGING_REQUIRE_FRIENDSHIP),
                    config.get(MESSAGING_MAX_BATCH), config.get(MESSAGING_MAX_QUEUED));
            var writer = new MessageWriter(messageStore, new MessageIds(0), clock, messaging.maxBatch(), messaging.maxQueued());
            var groupStore = new JdbcGroupStore(database.jdbc());
            var groupDirectory = new GroupDirectory(groupStore);
            writer.listener(new MessageFanout(registry, groupDirectory));
            closeables.push(writer);
            var cursors = new BufferedCursorStore(new JdbcCursorStore(database.jdbc()), Duration.ofMillis(100));
            closeables.push(cursors);
            var messageService = new MessageService(writer, messageStore, cursors, users, friendStore, groupStore,
                    groupDirectory, registry, messaging, limits, clock);
            var groupService = new GroupService(groupStore, groupDirectory, new GroupEvents(writer, registry), users,
                    messageStore, cursors, clock, config.get(GROUPS_MAX_MEMBERS), config.get(GROUPS_READ_LIST_MAX_MEMBERS));
            var realtimeSettings = new RealtimeSettings(config.get(GATEWAY_HEARTBEAT_INTERVAL), config.get(GATEWAY_IDLE_TIMEOUT),
                    config.get(GATEWAY_MAX_FRAME), config.get(GATEWAY_MAX_OUTBOUND), config.get(GATEWAY_LOGIN_BACKLOG),
                    config.get(GATEWAY_LOGIN_TIMEOUT), config.get(GATEWAY_MAX_UNAUTHENTICATED_PER_ADDRESS));
            var kicks = new Kicks(metrics);
            // Delivered cursors of devices that acknowledge nothing, for every protocol: one writer.
            var cursorWriter = new CursorWriter(messageService, blocking);
            var realtime = new RealtimeHandler(authenticator, messageService, presence, groupService, registry, realtimeSettings,
                    kicks, cursorWriter, clock);
            var mpimProtocol = new MpimProtocol(authService, authenticator, userService, messageService, friendService, groupService,
                    registry, new MpimSettings(realtimeSettings.loginBacklog(), realtimeSettings.maxOutboundBytes(),
                    config.get(MPIM_INSTANT_FRIENDS)), kicks, cursorWriter, blocking);

            ChannelGroup connections = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
            metrics.gauge("courier.connections", connections, ChannelGroup::size);
            metrics.gauge("courier.online.users", registry, ConnectionRegistry::onlineUsers);
            for (RateLimits.Kind kind : RateLimits.Kind.values()) {
                FunctionCounter.builder("courier.rate.limited", limits, l -> l.refused(kind)).tag("kind", kind.name().toLowerCase(java.util.Locale.ROOT))
                        .description("Requests refused with RATE_LIMITED, by what was limited").register(metrics);
            }
            // Messages per commit is what group commit buys: their ratio says how full the batches are.
            FunctionCounter.builder("courier.messages.committed", writer, MessageWriter::messagesCommitted)
                    .description("Messages stored by the group-commit writer").register(metrics);
            FunctionCounter.builder("courier.messages.commits", writer, MessageWriter::batchesCommitted)
                    .description("Transactions (group commits) of the message writer").register(metrics);
            var json = Json.mapper();
            var frames = new JsonFrames(json);
            router = new Router();
            new AccountApi(userService, authService, tls != null).routes(router);
            new FriendApi(friendService, users, presence).routes(router);
            new MessageApi(messageService, new OfflineMessages(messageStore, messageService), frames, json).routes(router);
            new GroupApi(groupService).routes(router);
            new SystemApi(nodeId, database::isHealthy, users::count, connections::size, registry::onlineUsers,
                    registry::connections, metrics, clock, json).routes(router);

            int workers = config.get(NET_WORKER_THREADS) > 0 ? config.get(NET_WORKER_THREADS) : Runtime.getRuntime().availableProcessors();
            Transport transport = new Transport(workers);
            closeables.push(transport);
            var api = new ApiHandler(router, authenticator, json, blocking, config.get(HTTP_MAX_IN_FLIGHT), metrics);
            var httpServer = new HttpServer(new HttpSettings(config.get(BIND), config.get(HTTP_PORT), config.get(HTTP_MAX_BODY),
                    config.get(HTTP_IDLE_TIMEOUT), config.get(HTTP_HEADER_TIMEOUT)), transport, api, json, connections,
                    new WebSocketUpgrade(realtime, frames, blocking, json)).tls(tls);
            http = listen(HTTP_PORT, config, httpServer::start);
            closeables.push(http);
            var tcpServer = new TcpServer(config.get(BIND), config.get(TCP_PORT), transport, realtime, blocking, connections).tls(tls);
            tcp = listen(TCP_PORT, config, tcpServer::start);
            closeables.push(tcp);
            var mpimServer = new MpimServer(config.get(BIND), config.get(MPIM_PORT), transport, mpimProtocol, connections,
                    config.get(MPIM_LOGIN_TIMEOUT), realtimeSettings.maxUnauthenticatedPerAddress()).tls(config.get(TLS_MPIM) ? tls : null);
            mpim = listen(MPIM_PORT, config, mpimServer::start);
            closeables.push(mpim);
            // The graceful stop, first of all (the closeables are a stack): stop accepting; let the
            // writer finish what it was given, so that every send taken is stored and acknowledged
            // on its still-open connection (a send after this is refused, retryable); then tell every
            // logged-in device why it is cut off, and close every connection. Closing the listeners
            // and the writer again later, in their own turn, does nothing.
            closeables.push(() -> {
                mpim.close();
                tcp.close();
                http.close();
                writer.close();
                int devices = registry.kickAll("shutdown");
                connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
                log.info("Stopped accepting, stored and answered every send in flight, closed {} devices", devices);
            });

            ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "courier-housekeeping");
                t.setDaemon(true);
                return t;
            });
            closeables.push(() -> shutdown(housekeeping));
            housekeeping.scheduleWithFixedDelay(() -> purgeSessions(sessions, clock), 1, 60, TimeUnit.MINUTES);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Binds a listener; a port taken since {@link StartupChecks} looked fails in one line too. */
    private static <T> T listen(ConfigKey<Integer> port, CourierConfig config, java.util.function.Supplier<T> start) {
        try {
            return start.get();
        } catch (Exception e) { // Netty rethrows the bind's IOException unchecked
            if (e instanceof java.net.BindException || e.getCause() instanceof java.net.BindException
                    || String.valueOf(e.getMessage()).contains("in use")) {
                throw StartupChecks.bindFailure(port, config, e);
            }
            throw e;
        }
    }

    /** Starts a node; it serves until {@link #close()}. */
    public static CourierNode start(CourierConfig config) {
        return start(config, Clock.systemUTC());
    }

    /**
     * With the clock every time rule reads (token expiry, recall window, mutes, lockouts, message
     * timestamps): a test moves it forward instead of waiting for the wall clock.
     */
    public static CourierNode start(CourierConfig config, Clock clock) {
        return new CourierNode(config, clock);
    }

    public int httpPort() {
        return http.port();
    }

    public int tcpPort() {
        return tcp.port();
    }

    public int mpimPort() {
        return mpim.port();
    }

    /** The HTTP routes as "METHOD /template", in registration order. */
    public List<String> routeTable() {
        return router.routes().stream().map(r -> r.method().name() + " " + r.template()).toList();
    }

    public String nodeId() {
        return nodeId;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        while (!closeables.isEmpty()) {
            AutoCloseable c = closeables.pop();
            try {
                c.close();
            } catch (Exception e) {
                log.warn("Error while shutting down {}: {}", c, e.toString());
            }
        }
    }

    static DatabaseSettings databaseSettings(CourierConfig config, Path dataDir) {
        if (config.get(DB_URL).isEmpty()) {
            return DatabaseSettings.embedded(dataDir, config.get(DB_POOL_SIZE), config.get(DB_DURABILITY));
        }
        return new DatabaseSettings(config.get(DB_URL), config.get(DB_USER), config.get(DB_PASSWORD), config.get(DB_POOL_SIZE));
    }

    private static void purgeSessions(JdbcSessionStore sessions, Clock clock) {
        try {
            int purged = sessions.purgeEndedBefore(clock.millis() - Duration.ofDays(1).toMillis());
            if (purged > 0) {
                log.info("Purged {} ended sessions", purged);
            }
        } catch (RuntimeException e) {
            log.warn("Session purge failed: {}", e.getMessage());
        }
    }

    private static void shutdown(ExecutorService executor) throws InterruptedException {
        executor.shutdown();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "courier";
        }
    }
}
