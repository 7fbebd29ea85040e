package io.courier.gateway.realtime;

import io.courier.core.auth.Authenticator;
import io.courier.core.auth.Principal;
import io.courier.core.delivery.ConnectionRegistry;
import io.courier.core.error.BackendException;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.group.GroupService;
import io.courier.core.message.MessageService;
import io.courier.core.presence.PresenceService;
import io.courier.protocol.v1.Delivered;
import io.courier.protocol.v1.Delivery;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Error;
import io.courier.protocol.v1.Heartbeat;
import io.courier.protocol.v1.LoginOk;
import io.courier.protocol.v1.Ok;
import io.courier.protocol.v1.PresenceList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.concurrent.CompletionException;

/**
 * Serves the requests of logged-in devices, whatever protocol carried them: every adapter (native
 * TCP, WebSocket binary, WebSocket JSON) turns its frames into {@link Envelope}s and hands them here,
 * so messaging is implemented once. Runs on the device's request queue, never on an event loop.
 */
public final class RealtimeHandler {
    private static final Logger log = LoggerFactory.getLogger(RealtimeHandler.class);
    private static final int MAX_PRESENCE_QUERY = 500;

    private final Authenticator authenticator;
    private final MessageService messages;
    private final PresenceService presence;
    private final ConnectionRegistry registry;
    private final RealtimeSettings settings;
    private final Clock clock;
    private final GroupCommands groups;
    private final Kicks kicks;
    private final CursorWriter cursors;

    public RealtimeHandler(Authenticator authenticator, MessageService messages, PresenceService presence,
                           GroupService groups, ConnectionRegistry registry, RealtimeSettings settings, Kicks kicks,
                           CursorWriter cursors, Clock clock) {
        this.kicks = kicks;
        this.cursors = cursors;
        this.groups = new GroupCommands(groups);
        this.authenticator = authenticator;
        this.messages = messages;
        this.presence = presence;
        this.registry = registry;
        this.settings = settings;
        this.clock = clock;
    }

    public RealtimeSettings settings() {
        return settings;
    }

    /** Verifies an access token (and, when given, that the device id is the token's). Blocking. */
    public Principal authenticate(String token, String deviceId) {
        Principal p = authenticator.authenticate(token);
        if (deviceId != null && !deviceId.isEmpty() && !deviceId.equals(p.deviceId())) {
            throw CourierException.of(ErrorCode.TOKEN_INVALID, "The token belongs to device " + p.deviceId() + ", not " + deviceId);
        }
        return p;
    }

    /**
     * Completes a login: registers the device (a previous connection of the same device is kicked),
     * answers, then pushes what the device has not yet had. With {@code Delivery.ACKED} that is what
     * it has not acknowledged; otherwise ({@code WRITTEN}, the default) a message counts as
     * delivered once it is written to this connection, as for a client that sends no acks.
     */
    public void loggedIn(DeviceChannel device, Principal principal, long requestId, Delivery asked) {
        Delivery delivery = asked == Delivery.ACKED ? Delivery.ACKED : Delivery.WRITTEN;
        DeliveryTracker tracker = null;
        if (delivery == Delivery.WRITTEN) {
            // What an earlier connection of this device delivered must be stored before this login reads where it stands.
            cursors.flush(principal);
            tracker = new DeliveryTracker(principal, cursors);
            device.deliverOnWrite(tracker);
        }
        device.loggedIn(principal, reason -> {
            registry.unregister(device);
            kicks.count(reason);
        });
        registry.register(device);
        if (tracker != null) {
            // Read after registering: a message stored from here on is pushed, one stored before is in the backlog.
            tracker.start(messages.deliveredPositions(principal));
        }
        device.reply(Envelope.newBuilder().setRequestId(requestId).setLoginOk(LoginOk.newBuilder()
                .setUserId(principal.userId()).setDeviceId(principal.deviceId()).setServerTs(clock.millis())
                .setHeartbeatIntervalS((int) settings.heartbeatInterval().toSeconds()).setDelivery(delivery)).build());
        try {
            device.finishSync(messages.undelivered(principal, settings.loginBacklog()));
        } catch (RuntimeException e) {
            // The device can still sync by request; live pushes must not stay held.
            log.warn("Login backlog for {} failed: {}", device, e.toString());
            device.finishSync(java.util.List.of());
        }
    }

    /**
     * A delivery ack: moves the device's cursor, answered once stored (the device's next requests do
     * not wait for it). SimpleIM's ack names only the message's client id (JSON type 30): on a
     * connection with delivered-when-written that message was delivered when it was written, so the
     * ack is answered and changes nothing; a connection that acknowledges says where (conversation, seq).
     */
    private void delivered(DeviceChannel device, long id, Delivered ack) {
        if (ack.getConversationId().isEmpty() && !ack.getClientMsgId().isEmpty()) {
            if (!device.deliversOnWrite()) {
                throw CourierException.field(ErrorCode.MISSING_FIELD, "conversation_id",
                        "This connection acknowledges delivery: name the conversation_id and seq (type 34)");
            }
            ok(device, id);
            return;
        }
        messages.deliveredLater(device.principal(), ack.getConversationId(), ack.getSeq()).whenComplete((stored, failure) -> {
            if (failure == null) {
                ok(device, id);
            } else {
                device.reply(error(id, failure instanceof CompletionException c ? c.getCause() : failure));
            }
        });
    }

    public void closed(DeviceChannel device) {
        if (device.principal() != null) {
            registry.unregister(device);
        }
    }

    /** One request of a device; the answer (or error) is written to it. */
    public void handle(DeviceChannel device, Envelope request) {
        long id = request.getRequestId();
        try {
            if (request.hasHeartbeat()) {
                device.reply(Envelope.newBuilder().setRequestId(id).setHeartbeat(Heartbeat.newBuilder()
                        .setClientTs(request.getHeartbeat().getClientTs()).setServerTs(clock.millis())).build());
                return;
            }
            Principal me = device.principal();
            if (me == null) {
                throw CourierException.of(request.hasLogin() ? ErrorCode.BAD_REQUEST : ErrorCode.NOT_LOGGED_IN);
            }
            switch (request.getBodyCase()) {
                case LOGIN -> throw CourierException.of(ErrorCode.ALREADY_LOGGED_IN);
                case SEND -> messages.send(me, request.getSend()).whenComplete((ack, failure) -> {
                    if (failure == null) {
                        device.reply(Envelope.newBuilder().setRequestId(id).setSendAck(ack).build());
                    } else {
                        device.reply(error(id, failure instanceof CompletionException c ? c.getCause() : failure));
                    }
                });
                case DELIVERED -> delivered(device, id, request.getDelivered());
                case READ -> {
                    messages.read(me, request.getRead().getConversationId(), request.getRead().getSeq());
                    ok(device, id);
                }
                case TYPING -> {
                    messages.typing(me, request.getTyping().getToUserId(), request.getTyping().getTyping());
                    ok(device, id);
                }
                case RECALL -> device.reply(Envelope.newBuilder().setRequestId(id)
                        .setRecalled(messages.recall(me, request.getRecall().getConversationId(), request.getRecall().getSeq()))
                        .build());
                case SYNC -> device.reply(Envelope.newBuilder().setRequestId(id)
                        .setSyncResult(messages.sync(me, request.getSync().getKnownMap())).build());
                case PULL -> device.reply(Envelope.newBuilder().setRequestId(id).setMessages(messages.pull(me,
                        request.getPull().getConversationId(), request.getPull().getAfterSeq(), request.getPull().getLimit()))
                        .build());
                case HISTORY -> device.reply(Envelope.newBuilder().setRequestId(id).setMessages(messages.history(me.userId(),
                        request.getHistory().getConversationId(), request.getHistory().getBeforeSeq(),
                        request.getHistory().getLimit())).build());
                case PRESENCE_QUERY -> {
                    var ids = request.getPresenceQuery().getUserIdsList();
                    if (ids.size() > MAX_PRESENCE_QUERY) {
                        throw CourierException.field(ErrorCode.INVALID_FIELD, "user_ids",
                                "At most " + MAX_PRESENCE_QUERY + " users per presence query");
                    }
                    device.reply(Envelope.newBuilder().setRequestId(id)
                            .setPresenceList(PresenceList.newBuilder().addAllUsers(presence.query(me.userId(), ids))).build());
                }
                case GROUP -> device.reply(Envelope.newBuilder().setRequestId(id)
                        .setGroupReply(groups.run(me.userId(), request.getGroup())).build());
                case BODY_NOT_SET -> throw CourierException.of(ErrorCode.UNSUPPORTED_FRAME,
                        "The frame carries no operation this server knows");
                default -> throw CourierException.of(ErrorCode.UNSUPPORTED_FRAME,
                        "A client cannot send a frame of type " + request.getBodyCase());
            }
        } catch (RuntimeException e) {
            device.reply(error(id, e));
        }
    }

    private static void ok(DeviceChannel device, long id) {
        device.reply(Envelope.newBuilder().setRequestId(id).setOk(Ok.getDefaultInstance()).build());
    }

    /** The error frame for a failure; only bugs are logged with their stack trace. */
    public static Envelope error(long requestId, Throwable failure) {
        CourierException e;
        if (failure instanceof CourierException c) {
            e = c;
        } else if (failure instanceof BackendException b) {
            log.warn("A request failed on a backing service: {}", b.getMessage());
            e = CourierException.of(ErrorCode.UNAVAILABLE);
        } else {
            log.error("A request failed", failure);
            e = CourierException.of(ErrorCode.INTERNAL);
        }
        return Envelope.newBuilder().setRequestId(requestId).setError(Error.newBuilder()
                .setCode(e.code().code()).setName(e.code().name()).setMessage(e.getMessage())
                .setRetryAfterMs(e.retryAfterMillis())).build();
    }
}
