package io.courier.client;

import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Delivered;
import io.courier.protocol.v1.Delivery;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.GroupCommand;
import io.courier.protocol.v1.GroupReply;
import io.courier.protocol.v1.Heartbeat;
import io.courier.protocol.v1.HistoryRequest;
import io.courier.protocol.v1.Login;
import io.courier.protocol.v1.LoginOk;
import io.courier.protocol.v1.MarkRead;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.Messages;
import io.courier.protocol.v1.PresenceChange;
import io.courier.protocol.v1.PresenceQuery;
import io.courier.protocol.v1.PullRequest;
import io.courier.protocol.v1.Recall;
import io.courier.protocol.v1.Recalled;
import io.courier.protocol.v1.SendAck;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.SyncRequest;
import io.courier.protocol.v1.SyncResponse;
import io.courier.protocol.v1.Text;
import io.courier.protocol.v1.Typing;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.HashSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connection to a Courier server that stays up: it logs in with an access token, reconnects with
 * exponential backoff and jitter when the connection drops, resends unacknowledged messages with
 * their original {@code client_msg_id} (the server stores each once), syncs after every login, and
 * hands the listener every message of a conversation in {@code seq} order exactly once, pulling
 * whatever a gap shows it missed. Delivery is acknowledged for the listener ({@code Delivered}).
 *
 * <p>Every method is thread-safe and returns at once; answers come as {@link CompletableFuture}s,
 * completed on a virtual thread, so it is safe to {@code join()} them anywhere, also in a listener.
 * Failed futures carry a {@link CourierClientException} (the server's error code),
 * {@link NotConnectedException} or {@link TimeoutException}.
 *
 * <pre>{@code
 * try (CourierHttp http = new CourierHttp(URI.create("http://localhost:8080"));
 *      CourierClient client = CourierClient.builder("localhost")
 *              .tokens(http.tokens(http.login("alice", "secret1", "laptop").join()))
 *              .listener(new ClientListener() {
 *                  public void onMessage(Message m) { System.out.println(m.getSenderId() + ": " + m.getContent().getText().getText()); }
 *              })
 *              .build()) {
 *     client.connect().join();
 *     client.sendText(2, "Hello Bob").join();
 * }
 * }</pre>
 *
 * @implNote All state lives on one {@link SerialExecutor} per client: network frames, user calls
 * and timers are queued there, so no lock is needed. The listener runs on a second one
 * ({@link QueuedListener}), so it sees events in wire order and may block without stalling the state.
 */
public final class CourierClient implements AutoCloseable, Link.Events {
    private static final Logger log = LoggerFactory.getLogger(CourierClient.class);
    private static final int PULL_PAGE = 200;

    /** A client's settings; see {@link CourierClientBuilder} for what each means and its default. */
    record Settings(String host, int httpPort, int tcpPort, Transport transport, String deviceId,
                    Duration connectTimeout, Duration requestTimeout, Duration sendTimeout, int maxFrameBytes,
                    Backoff backoff, boolean autoAck, Duration ackDelay, InetAddress localAddress, int connectAttempts,
                    SSLContext tls) {
    }

    private record PendingSend(SendMessage message, CompletableFuture<SendAck> future) {
    }

    /** ENDED: the session ended (a terminal kick or refused token); connect() may start over. */
    private enum State { IDLE, CONNECTING, READY, ENDED, CLOSED }

    private final Settings settings;
    private final ClientResources resources;
    private final boolean ownsResources;
    private final TokenProvider tokens;
    private final ClientListener listener;
    private final Connector connector;
    private final SerialExecutor serial;
    private final AtomicLong requestIds = new AtomicLong();

    // ---- owned by the serial executor ----
    private State state = State.IDLE;
    private Link link;
    private LoginOk login;
    private int failedAttempts;
    private boolean everConnected;
    private CompletableFuture<LoginOk> nextLogin; // completed by the next login; what connect() waits for
    private CompletableFuture<LoginOk> pendingLogin;
    private final Map<Long, CompletableFuture<Envelope>> inflight = new HashMap<>();
    private final LinkedHashMap<String, PendingSend> pendingSends = new LinkedHashMap<>();
    private final ConversationTracker tracker = new ConversationTracker();
    private final Set<String> filling = new HashSet<>();
    private final Set<String> fillTimers = new HashSet<>();
    private final Map<String, Long> acksDue = new HashMap<>();
    private boolean ackFlushScheduled;
    private ScheduledFuture<?> heartbeat;

    CourierClient(CourierClientBuilder b) {
        this.settings = new Settings(b.host, b.httpPort, b.tcpPort, b.transport, b.deviceId, b.connectTimeout,
                b.requestTimeout, b.sendTimeout, b.maxFrameBytes, b.backoff, b.autoAck, b.ackDelay, b.localAddress,
                b.connectAttempts, b.tls);
        this.ownsResources = b.resources == null;
        this.resources = ownsResources ? ClientResources.create(1) : b.resources;
        this.tokens = Objects.requireNonNull(b.tokens, "tokens (or token) is required");
        this.listener = new QueuedListener(b.listener, new SerialExecutor(resources.callbacks()));
        this.connector = new Connector(resources, settings);
        this.serial = new SerialExecutor(resources.callbacks());
    }

    public static CourierClientBuilder builder(String host) {
        return new CourierClientBuilder(host);
    }

    // ---- lifecycle --------------------------------------------------------------------------------

    /**
     * Connects and logs in. Fails if the first attempt fails (server down, token refused); once
     * logged in, the client reconnects by itself until {@link #close()} or until the session ends.
     */
    public CompletableFuture<LoginOk> connect() {
        CompletableFuture<LoginOk> result = new CompletableFuture<>();
        serial.execute(() -> {
            switch (state) {
                case CLOSED -> result.completeExceptionally(new NotConnectedException("The client is closed"));
                case READY -> result.complete(login);
                case CONNECTING -> {
                    if (nextLogin == null || nextLogin.isDone()) {
                        nextLogin = new CompletableFuture<>(); // a reconnect under way
                    }
                    nextLogin.whenComplete((ok, e) -> complete(result, ok, e));
                }
                case IDLE, ENDED -> {
                    everConnected = false;
                    nextLogin = new CompletableFuture<>();
                    nextLogin.whenComplete((ok, e) -> complete(result, ok, e));
                    attempt(false);
                }
            }
        });
        return result;
    }

    /**
     * Drops the current connection and connects again at once, as after a network failure: what
     * is unacknowledged is resent, what was missed is synced. For apps that know the network
     * changed (and the old route may be dead) before any heartbeat could tell.
     */
    public void reconnect() {
        serial.execute(() -> {
            failedAttempts = 0;
            if (link != null) {
                link.close(); // closed() schedules the reconnect
            }
        });
    }

    /** Whether the client is logged in right now. */
    public boolean isConnected() {
        Link l = link;
        return l != null && l.loggedIn() && l.channel().isActive();
    }

    /** The user this client is logged in as (0 before the first login). */
    public long userId() {
        LoginOk l = login;
        return l == null ? 0 : l.getUserId();
    }

    /**
     * Stops for good: closes the connection and fails what is still waiting, including messages
     * not yet acknowledged (they may or may not have been stored; a new client retrying them with
     * the same {@code client_msg_id} gets the same answer).
     */
    @Override
    public void close() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        serial.execute(() -> {
            if (state != State.CLOSED) {
                if (state == State.READY) {
                    flushAcks(); // written before the close, so the next run is not sent them again
                }
                state = State.CLOSED;
                stopHeartbeat();
                if (link != null) {
                    link.close();
                }
                NotConnectedException closed = new NotConnectedException("The client was closed");
                failAll(closed);
                pendingSends.values().forEach(p -> fail(p.future(), closed));
                pendingSends.clear();
                if (nextLogin != null) {
                    nextLogin.completeExceptionally(closed);
                }
            }
            done.complete(null);
        });
        if (!serial.isCurrentThread()) {
            done.orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        if (ownsResources) {
            resources.close();
        }
    }

    private void attempt(boolean refreshToken) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CONNECTING;
        tokens.token(refreshToken)
                .thenCompose(token -> connector.open(token, this).thenApply(l -> new Opened(l, token)))
                .whenComplete((opened, failure) -> serial.execute(() -> {
                    if (failure != null) {
                        attemptFailed(unwrap(failure), refreshToken);
                    } else if (state == State.CLOSED) {
                        opened.link().close();
                    } else {
                        logIn(opened, refreshToken);
                    }
                }));
    }

    private record Opened(Link link, String token) {
    }

    /**
     * Native TCP logs in with a {@code Login} request; on WebSocket the upgrade carried the token and
     * the server sends {@code LoginOk} unasked. Either way {@link #pendingLogin} completes once.
     */
    private void logIn(Opened opened, boolean refreshedToken) {
        Link l = opened.link();
        if (!l.channel().isActive()) {
            attemptFailed(new NotConnectedException("The connection closed at once"), refreshedToken);
            return; // its close event came first and was ignored: it was not the current link yet
        }
        link = l;
        pendingLogin = new CompletableFuture<>();
        CompletableFuture<LoginOk> loginDue = pendingLogin;
        l.channel().eventLoop().schedule(() -> serial.execute(() -> loginDue.completeExceptionally(
                new TimeoutException("No login answer within " + settings.connectTimeout().toMillis() + " ms"))),
                settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        pendingLogin.whenComplete((ok, e) -> {
            if (e == null) {
                loggedIn(l, ok);
            } else if (l == link || link == null) {
                link = null;
                l.close();
                attemptFailed(unwrap(e), refreshedToken);
            }
        });
        if (settings.transport() == Transport.TCP) {
            // The SDK acknowledges every message it hands to the application: at-least-once.
            Login.Builder request = Login.newBuilder().setToken(opened.token()).setDelivery(Delivery.ACKED);
            if (settings.deviceId() != null) {
                request.setDeviceId(settings.deviceId());
            }
            CompletableFuture<LoginOk> waiting = pendingLogin;
            call(Envelope.newBuilder().setLogin(request), settings.connectTimeout(), true)
                    .whenComplete((reply, e) -> complete(waiting, e == null ? reply.getLoginOk() : null, e, false));
        }
        // A WebSocket's LoginOk can be read before this ran (about 1 upgrade in 2,000 under a burst
        // lost it, and the login timed out): what came early is handled now, in order.
        for (Envelope early : l.adopt()) {
            dispatch(l, early);
        }
    }

    private void attemptFailed(Throwable cause, boolean refreshedAlready) {
        if (state == State.CLOSED) {
            return;
        }
        if (!refreshedAlready && (tokenExpired(cause) || unauthorized(cause))) {
            attempt(true);
            return;
        }
        link = null;
        boolean terminal = cause instanceof CourierClientException c && isTerminal(c) || unauthorized(cause);
        if (!everConnected && !terminal && failedAttempts + 1 < settings.connectAttempts()) {
            scheduleReconnect(); // a first connect may try a few times before giving up
        } else if (!everConnected) {
            state = State.IDLE;
            failedAttempts = 0;
            if (nextLogin != null) {
                nextLogin.completeExceptionally(cause);
            }
        } else if (terminal) {
            endSession(cause);
        } else {
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        Duration delay = settings.backoff().delay(failedAttempts++);
        state = State.CONNECTING;
        resources.group().schedule(() -> serial.execute(() -> {
            if (state == State.CONNECTING) {
                attempt(false);
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void loggedIn(Link l, LoginOk ok) {
        if (l != link || state == State.CLOSED) {
            return;
        }
        l.markLoggedIn();
        login = ok;
        state = State.READY;
        failedAttempts = 0;
        everConnected = true;
        startHeartbeat(Math.max(1, ok.getHeartbeatIntervalS()));
        listener.onConnected(ok);
        for (PendingSend p : List.copyOf(pendingSends.values())) {
            transmit(p);
        }
        if (nextLogin != null) {
            nextLogin.complete(ok);
        }
        syncAfterLogin();
    }

    /**
     * After each login: ask which conversations changed past what this client has seen, and pull
     * what it is missing: after what it has, or after the device's delivered cursor in a
     * conversation it has seen nothing of (the login backlog is capped and may not have reached it).
     */
    private void syncAfterLogin() {
        Map<String, Long> known = tracker.knownAll();
        call(Envelope.newBuilder().setSync(SyncRequest.newBuilder().putAllKnown(known)), settings.requestTimeout(), false)
                .whenComplete((reply, e) -> {
                    if (e != null) {
                        log.debug("Sync after login failed: {}", e.toString());
                        return;
                    }
                    SyncResponse sync = reply.getSyncResult();
                    for (var c : sync.getConversationsList()) {
                        // One the backlog did not reach starts at this device's delivered cursor.
                        tracker.startAfter(c.getConversationId(), c.getDeliveredSeq());
                        if (tracker.known(c.getConversationId()) < c.getLastSeq()) {
                            fill(c.getConversationId());
                        }
                    }
                    listener.onSync(sync);
                });
    }

    // ---- frames from the server -----------------------------------------------------------------

    @Override
    public void received(Link from, Envelope envelope) {
        serial.execute(() -> dispatch(from, envelope));
    }

    private void dispatch(Link from, Envelope envelope) {
        if (from != link) {
            if (!from.adopted()) {
                from.hold(envelope); // a new connection's first frames, read before logIn took it up
            }
            return; // otherwise a late frame of a replaced connection
        }
        long id = envelope.getRequestId();
        if (id != 0) {
            CompletableFuture<Envelope> waiting = inflight.remove(id);
            if (waiting != null) {
                if (envelope.hasError()) {
                    var e = envelope.getError();
                    waiting.completeExceptionally(new CourierClientException(e.getCode(), e.getName(), e.getMessage()));
                } else {
                    waiting.complete(envelope);
                }
            }
            return;
        }
        switch (envelope.getBodyCase()) {
            case LOGIN_OK -> {
                if (!from.loggedIn() && pendingLogin != null) {
                    pendingLogin.complete(envelope.getLoginOk());
                }
            }
            case MESSAGE -> {
                Message m = envelope.getMessage();
                deliver(isOwnUnacked(m) ? tracker.sent(m.getConversationId(), m.getSeq()) : tracker.offer(m),
                        m.getConversationId());
            }
            case READ_RECEIPT -> listener.onReadReceipt(envelope.getReadReceipt());
            case TYPING -> listener.onTyping(envelope.getTyping());
            case RECALLED -> listener.onRecalled(envelope.getRecalled());
            case PRESENCE -> listener.onPresence(envelope.getPresence());
            case KICKED -> {
                listener.onKicked(envelope.getKicked());
                if (isTerminalKick(envelope.getKicked().getReason())) {
                    endSession(new CourierClientException(0, "KICKED", "Kicked: " + envelope.getKicked().getReason()));
                }
            }
            case HEARTBEAT -> {
                // The server's keep-alive; answering is not needed.
            }
            case ERROR -> {
                var e = envelope.getError();
                if (!from.loggedIn() && pendingLogin != null) {
                    pendingLogin.completeExceptionally(new CourierClientException(e.getCode(), e.getName(), e.getMessage()));
                } else {
                    log.debug("Server notice: {} {}", e.getName(), e.getMessage());
                }
            }
            default -> log.debug("Ignoring a {} push", envelope.getBodyCase());
        }
    }

    /**
     * A message this device sent whose ack has not come yet. The server may show it before the ack:
     * in a pull, or in the login backlog after a reconnect (the send was stored, its ack lost). It is
     * passed like an acknowledged own message, not handed to the listener as if someone else sent it.
     */
    private boolean isOwnUnacked(Message m) {
        return login != null && m.getSenderId() == login.getUserId() && pendingSends.containsKey(m.getClientMsgId());
    }

    /** Hands messages to the listener; fills the conversation when messages wait behind a gap. */
    private void deliver(List<Message> ready, String conversationId) {
        for (Message m : ready) {
            listener.onMessage(m);
        }
        if (!ready.isEmpty() || tracker.known(conversationId) >= 0) {
            acknowledge(conversationId);
        }
        if (tracker.hasGap(conversationId)) {
            // A push that overtook this device's own unacknowledged send leaves a gap its ack fills:
            // a pull would only cost the server a read. A gap still there shortly after is pulled.
            if (sendingTo(conversationId)) {
                fillSoon(conversationId);
            } else {
                fill(conversationId);
            }
        }
    }

    private boolean sendingTo(String conversationId) {
        if (login == null) {
            return false;
        }
        for (PendingSend p : pendingSends.values()) {
            SendMessage m = p.message();
            String to = m.getToGroupId() != 0 ? groupConversation(m.getToGroupId())
                    : privateConversation(login.getUserId(), m.getToUserId());
            if (to.equals(conversationId)) {
                return true;
            }
        }
        return false;
    }

    /** Pulls after the ack delay if the gap is still there (one timer per conversation). */
    private void fillSoon(String conversationId) {
        if (!fillTimers.add(conversationId)) {
            return;
        }
        resources.group().schedule(() -> serial.execute(() -> {
            fillTimers.remove(conversationId);
            if (tracker.hasGap(conversationId)) {
                fill(conversationId);
            }
        }), settings.ackDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void fill(String conversationId) {
        if (state != State.READY || !filling.add(conversationId)) {
            return;
        }
        long after = tracker.known(conversationId);
        call(Envelope.newBuilder().setPull(PullRequest.newBuilder().setConversationId(conversationId)
                .setAfterSeq(Math.max(after, 0)).setLimit(PULL_PAGE)), settings.requestTimeout(), false)
                .whenComplete((reply, e) -> {
                    filling.remove(conversationId);
                    if (e != null) {
                        // Retried after the next login (its sync finds the gap again) or the next push.
                        log.debug("Pulling {} failed: {}", conversationId, e.toString());
                        return;
                    }
                    Messages page = reply.getMessages();
                    for (Message m : tracker.pulled(conversationId, page.getMessagesList(), page.getHasMore(), this::isOwnUnacked)) {
                        listener.onMessage(m);
                    }
                    acknowledge(conversationId);
                    if (page.getHasMore()) {
                        fill(conversationId);
                    } else if (tracker.hasGap(conversationId)) {
                        fillSoon(conversationId); // the page was read before what waits was stored
                    }
                });
    }

    /** Acknowledges delivery up to what the listener got, a few per conversation per ack delay. */
    private void acknowledge(String conversationId) {
        long known = tracker.known(conversationId);
        if (!settings.autoAck() || known <= 0) {
            return;
        }
        acksDue.merge(conversationId, known, Math::max);
        if (!ackFlushScheduled) {
            ackFlushScheduled = true;
            resources.group().schedule(() -> serial.execute(this::flushAcks), settings.ackDelay().toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void flushAcks() {
        ackFlushScheduled = false;
        if (state != State.READY) {
            return; // kept: sent after the next login
        }
        acksDue.forEach((conversation, seq) -> call(Envelope.newBuilder().setDelivered(Delivered.newBuilder()
                .setConversationId(conversation).setSeq(seq)), settings.requestTimeout(), false)
                .exceptionally(e -> {
                    log.debug("Delivered {}:{} failed: {}", conversation, seq, e.toString());
                    return null;
                }));
        acksDue.clear();
    }

    @Override
    public void closed(Link l, Throwable cause) {
        serial.execute(() -> {
            if (l != link) {
                return;
            }
            NotConnectedException lost = new NotConnectedException("The connection was lost"
                    + (cause == null ? "" : ": " + cause.getMessage()));
            if (!l.loggedIn()) {
                failAll(lost);
                pendingLogin.completeExceptionally(lost); // the attempt failed: attemptFailed decides
                return;
            }
            link = null;
            stopHeartbeat();
            failAll(lost);
            filling.clear();
            if (state != State.READY) {
                return;
            }
            listener.onDisconnected(lost, true);
            scheduleReconnect();
        });
    }

    /** The session is over (kicked for good, or its token refused): no reconnect; sends waiting fail. */
    private void endSession(Throwable cause) {
        state = State.ENDED;
        stopHeartbeat();
        Link l = link;
        link = null;
        if (l != null) {
            l.close();
        }
        failAll(cause);
        pendingSends.values().forEach(p -> fail(p.future(), cause));
        pendingSends.clear();
        if (nextLogin != null) {
            nextLogin.completeExceptionally(cause);
        }
        listener.onDisconnected(cause, false);
    }

    private void startHeartbeat(int intervalSeconds) {
        stopHeartbeat();
        Duration interval = Duration.ofSeconds(intervalSeconds);
        heartbeat = resources.group().scheduleAtFixedRate(() -> serial.execute(() -> {
            Link current = link;
            if (state != State.READY || current == null) {
                return;
            }
            call(Envelope.newBuilder().setHeartbeat(Heartbeat.newBuilder().setClientTs(System.currentTimeMillis())),
                    interval, false).whenComplete((r, e) -> {
                        if (e != null && unwrap(e) instanceof TimeoutException) {
                            current.close(); // a dead connection: the close starts a reconnect
                        }
                    });
        }), intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }

    private void stopHeartbeat() {
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
    }

    // ---- requests ---------------------------------------------------------------------------------

    /**
     * Sends one request on the current link and completes (on the serial executor) with its answer.
     * {@code beforeLogin} allows the login itself.
     */
    private CompletableFuture<Envelope> call(Envelope.Builder request, Duration timeout, boolean beforeLogin) {
        CompletableFuture<Envelope> answer = new CompletableFuture<>();
        Link l = link;
        if (l == null || (!beforeLogin && state != State.READY)) {
            answer.completeExceptionally(new NotConnectedException("Not connected"));
            return answer;
        }
        long id = requestIds.incrementAndGet();
        inflight.put(id, answer);
        l.send(request.setRequestId(id).build());
        ScheduledFuture<?> timer = l.channel().eventLoop().schedule(() -> serial.execute(() -> {
            CompletableFuture<Envelope> late = inflight.remove(id);
            if (late != null) {
                late.completeExceptionally(new TimeoutException("No answer within " + timeout.toMillis() + " ms"));
            }
        }), timeout.toMillis(), TimeUnit.MILLISECONDS);
        answer.whenComplete((reply, e) -> timer.cancel(false)); // the answer must not wait out its timer in memory
        return answer;
    }

    private void failAll(Throwable cause) {
        List<CompletableFuture<Envelope>> all = new ArrayList<>(inflight.values());
        inflight.clear();
        all.forEach(f -> f.completeExceptionally(cause));
    }

    /** A request from the application: queued on the client, answered on a virtual thread. */
    private CompletableFuture<Envelope> request(Envelope.Builder request) {
        CompletableFuture<Envelope> result = new CompletableFuture<>();
        serial.execute(() -> call(request, settings.requestTimeout(), false)
                .whenComplete((reply, e) -> complete(result, reply, e)));
        return result;
    }

    /** Completes an application's future on a callback thread, never on the client's own executor. */
    private <T> void complete(CompletableFuture<T> target, T value, Throwable failure) {
        complete(target, value, failure, true);
    }

    private <T> void complete(CompletableFuture<T> target, T value, Throwable failure, boolean async) {
        Runnable r = () -> {
            if (failure != null) {
                target.completeExceptionally(unwrap(failure));
            } else {
                target.complete(value);
            }
        };
        if (async) {
            resources.callbacks().execute(r);
        } else {
            r.run();
        }
    }

    private void fail(CompletableFuture<?> target, Throwable failure) {
        complete(target, null, failure);
    }

    // ---- sending ----------------------------------------------------------------------------------

    /**
     * Sends a message and completes once the server stored it. Without a {@code client_msg_id} one is
     * made up. Until acknowledged it is resent on every new connection with the same id, so it is
     * stored once however often the connection drops; it fails only when the server refuses it, the
     * session ends, {@link #close()} is called, or {@code sendTimeout} passes.
     */
    public CompletableFuture<SendAck> send(SendMessage message) {
        SendMessage m = message.getClientMsgId().isEmpty()
                ? message.toBuilder().setClientMsgId(UUID.randomUUID().toString()).build() : message;
        CompletableFuture<SendAck> result = new CompletableFuture<>();
        serial.execute(() -> {
            if (state == State.CLOSED || state == State.ENDED) {
                fail(result, new NotConnectedException(state == State.CLOSED ? "The client is closed"
                        : "The session ended; connect again"));
                return;
            }
            PendingSend p = new PendingSend(m, result);
            if (pendingSends.putIfAbsent(m.getClientMsgId(), p) != null) {
                fail(result, new IllegalStateException("A message with client_msg_id " + m.getClientMsgId() + " is already being sent"));
                return;
            }
            ScheduledFuture<?> timeout = resources.group().schedule(() -> serial.execute(() -> {
                if (pendingSends.remove(m.getClientMsgId(), p)) {
                    fail(result, new TimeoutException("Not acknowledged within " + settings.sendTimeout().toSeconds() + " s"));
                }
            }), settings.sendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            // An uncancelled timer keeps the message for the whole send timeout: at 10,000 sends a
            // second that was a million live objects, and the sender's own GC pauses.
            result.whenComplete((ack, e) -> timeout.cancel(false));
            if (state == State.READY) {
                transmit(p);
            }
        });
        return result;
    }

    private void transmit(PendingSend p) {
        Link sentOn = link;
        call(Envelope.newBuilder().setSend(p.message()), settings.requestTimeout(), false)
                .whenComplete((reply, e) -> {
                    if (pendingSends.get(p.message().getClientMsgId()) != p) {
                        return; // already answered, timed out or failed
                    }
                    if (e == null) {
                        pendingSends.remove(p.message().getClientMsgId());
                        SendAck ack = reply.getSendAck();
                        deliver(tracker.sent(ack.getConversationId(), ack.getSeq()), ack.getConversationId());
                        complete(p.future(), ack, null);
                        return;
                    }
                    Throwable cause = unwrap(e);
                    if (cause instanceof CourierClientException c && !retryable(c)) {
                        pendingSends.remove(p.message().getClientMsgId());
                        fail(p.future(), c);
                    } else if (state == State.READY && link == sentOn) {
                        // Busy server or lost answer on a live connection: the same id again is safe.
                        resources.group().schedule(() -> serial.execute(() -> {
                            if (state == State.READY && pendingSends.get(p.message().getClientMsgId()) == p) {
                                transmit(p);
                            }
                        }), settings.backoff().delay(2).toMillis(), TimeUnit.MILLISECONDS);
                    }
                    // Otherwise the connection is gone: the next login resends it.
                });
    }

    public CompletableFuture<SendAck> sendText(long toUserId, String text) {
        return send(SendMessage.newBuilder().setToUserId(toUserId)
                .setContent(Content.newBuilder().setText(Text.newBuilder().setText(text))).build());
    }

    public CompletableFuture<SendAck> sendGroupText(long groupId, String text) {
        return send(SendMessage.newBuilder().setToGroupId(groupId)
                .setContent(Content.newBuilder().setText(Text.newBuilder().setText(text))).build());
    }

    // ---- everything else the protocol offers ------------------------------------------------------

    /** Marks a conversation read up to {@code seq}; the other members get a read receipt. */
    public CompletableFuture<Void> markRead(String conversationId, long seq) {
        return request(Envelope.newBuilder().setRead(MarkRead.newBuilder().setConversationId(conversationId).setSeq(seq)))
                .thenApply(r -> null);
    }

    /**
     * Tells the server this device has everything up to {@code seq}. The client does this itself
     * for what its listener got unless built with {@code autoAck(false)}.
     */
    public CompletableFuture<Void> markDelivered(String conversationId, long seq) {
        return request(Envelope.newBuilder().setDelivered(Delivered.newBuilder().setConversationId(conversationId).setSeq(seq)))
                .thenApply(r -> null);
    }

    public CompletableFuture<Void> typing(long toUserId, boolean typing) {
        return request(Envelope.newBuilder().setTyping(Typing.newBuilder().setToUserId(toUserId).setTyping(typing)))
                .thenApply(r -> null);
    }

    public CompletableFuture<Recalled> recall(String conversationId, long seq) {
        return request(Envelope.newBuilder().setRecall(Recall.newBuilder().setConversationId(conversationId).setSeq(seq)))
                .thenApply(Envelope::getRecalled);
    }

    /** The conversations that changed after the given seqs (all with messages, for an empty map). */
    public CompletableFuture<SyncResponse> sync(Map<String, Long> known) {
        return request(Envelope.newBuilder().setSync(SyncRequest.newBuilder().putAllKnown(known)))
                .thenApply(Envelope::getSyncResult);
    }

    /** Messages after {@code afterSeq}, oldest first (at most 200 a page). */
    public CompletableFuture<Messages> pull(String conversationId, long afterSeq, int limit) {
        return request(Envelope.newBuilder().setPull(PullRequest.newBuilder().setConversationId(conversationId)
                .setAfterSeq(afterSeq).setLimit(limit))).thenApply(Envelope::getMessages);
    }

    /** Messages before {@code beforeSeq} (0: the newest), newest first. */
    public CompletableFuture<Messages> history(String conversationId, long beforeSeq, int limit) {
        return request(Envelope.newBuilder().setHistory(HistoryRequest.newBuilder().setConversationId(conversationId)
                .setBeforeSeq(beforeSeq).setLimit(limit))).thenApply(Envelope::getMessages);
    }

    /** Who of these users (friends only) is online. */
    public CompletableFuture<List<PresenceChange>> presence(List<Long> userIds) {
        return request(Envelope.newBuilder().setPresenceQuery(PresenceQuery.newBuilder().addAllUserIds(userIds)))
                .thenApply(r -> r.getPresenceList().getUsersList());
    }

    /** Any group operation; {@link #groups()} has one method per operation. */
    public CompletableFuture<GroupReply> group(GroupCommand command) {
        return request(Envelope.newBuilder().setGroup(command)).thenApply(Envelope::getGroupReply);
    }

    public ClientGroups groups() {
        return new ClientGroups(this);
    }

    /** The 1:1 conversation id of two users, as the server forms it. */
    public static String privateConversation(long a, long b) {
        return "p:" + Math.min(a, b) + ":" + Math.max(a, b);
    }

    public static String groupConversation(long groupId) {
        return "g:" + groupId;
    }

    // ---- error classification ---------------------------------------------------------------------

    private static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** A WebSocket upgrade refused with 401: the token was not accepted. */
    private static boolean unauthorized(Throwable t) {
        return t instanceof WebSocketClientHandshakeException h && h.response() != null
                && h.response().status().code() == 401;
    }

    private static boolean tokenExpired(Throwable t) {
        return t instanceof CourierClientException c && c.name().equals("TOKEN_EXPIRED");
    }

    /** Login refusals that no retry can fix. */
    private static boolean isTerminal(CourierClientException c) {
        return switch (c.name()) {
            case "TOKEN_INVALID", "TOKEN_REVOKED", "TOKEN_EXPIRED", "WRONG_TOKEN_TYPE", "ACCOUNT_DISABLED",
                 "UNAUTHENTICATED", "DEVICE_ID_INVALID" -> true;
            default -> false;
        };
    }

    /** Kicks after which reconnecting would only be refused (or would kick the newer login). */
    private static boolean isTerminalKick(String reason) {
        return switch (reason) {
            case "replaced", "logout", "password_changed", "revoked", "disabled" -> true;
            default -> false;
        };
    }

    private static boolean retryable(CourierClientException c) {
        return c.name().equals("OVERLOADED") || c.name().equals("UNAVAILABLE") || c.name().equals("INTERNAL");
    }
}
