package io.courier.gateway.mpim;

import io.courier.core.auth.AuthService;
import io.courier.core.auth.Authenticator;
import io.courier.core.auth.LoginResult;
import io.courier.core.auth.Principal;
import io.courier.core.delivery.ConnectionRegistry;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.friend.FriendService;
import io.courier.core.group.GroupService;
import io.courier.core.message.MessageService;
import io.courier.core.user.UserService;
import io.courier.gateway.realtime.CursorWriter;
import io.courier.gateway.realtime.DeliveryTracker;
import io.courier.gateway.realtime.DeviceChannel;
import io.courier.gateway.realtime.Kicks;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.SendAck;
import io.netty.channel.Channel;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import static io.courier.gateway.mpim.Replies.answer;

/**
 * The MPIM line protocol (shared/compat/mpim-line-protocol.md) on top of Courier's core: a codec and a
 * translation, no second implementation of messaging. It keeps MPIM's wire format and fixes its defects:
 * real message ids, working groups, one error line per failure, presence that follows the connection,
 * and a PULL that moves the device's delivered cursor only over lines that were written.
 *
 * <p>Every login is a device session of the user with the fixed device id {@value #DEVICE_ID}, so the
 * delivered cursors that PULL reads survive reconnects, and a second line-protocol login of the same user
 * replaces the first (which gets {@code -ERR kicked: replaced} and is closed). A login pushes nothing that
 * waited for it: PULL fetches that; messages that arrive while logged in are pushed as MSG lines.
 *
 * <p>Runs each line on the connection's request queue, never on an event loop (password hashing and the
 * database block).
 */
public final class MpimProtocol {
    /** The device id of every line-protocol session. */
    public static final String DEVICE_ID = "mpim";

    private final AuthService auth;
    private final Authenticator authenticator;
    private final UserService users;
    private final MessageService messages;
    private final ConnectionRegistry registry;
    private final MpimCommands commands;
    private final CursorWriter cursors;
    private final int pullLimit;
    private final int maxOutboundBytes;
    private final Executor executor;
    private final Kicks kicks;

    public MpimProtocol(AuthService auth, Authenticator authenticator, UserService users, MessageService messages,
                        FriendService friends, GroupService groups, ConnectionRegistry registry, MpimSettings settings,
                        Kicks kicks, CursorWriter cursors, Executor executor) {
        this.kicks = kicks;
        this.auth = auth;
        this.authenticator = authenticator;
        this.users = users;
        this.messages = messages;
        this.registry = registry;
        this.commands = new MpimCommands(messages, friends, groups, settings.instantFriends());
        this.cursors = cursors;
        this.pullLimit = settings.pullLimit();
        this.maxOutboundBytes = settings.maxOutboundBytes();
        this.executor = executor;
    }

    int maxOutboundBytes() {
        return maxOutboundBytes;
    }

    /** A new connection: greeted at once, before any line. */
    MpimConnection opened(Channel channel) {
        MpimConnection c = new MpimConnection(channel, executor);
        c.answer(Replies.GREETING);
        return c;
    }

    /** A connection closed without LOGOUT: its device leaves (the session stays, like any device's). */
    void closed(MpimConnection c) {
        if (c.principal() != null) {
            registry.unregister(c.device());
        }
    }

    /** One line, answered with exactly one line (PULL: its MSG lines, then one). */
    void handle(MpimConnection c, String received) {
        CommandLine line = CommandLine.parse(received);
        if (line == null) {
            return;
        }
        try {
            String reply = switch (line.word()) {
                case "REGISTER" -> register(c, line);
                case "LOGIN" -> login(c, line);
                case "LOGOUT" -> logout(c);
                case "PULL" -> pull(c);
                case "SEND" -> sent(c, commands.send(loggedIn(c), line), "+OK msg_id=");
                case "SENDGROUP" -> sent(c, commands.sendGroup(loggedIn(c), line), "+OK group_msg_id=");
                case "ADDFRIEND" -> commands.addFriend(loggedIn(c), line);
                case "GETFRIENDS" -> commands.friends(loggedIn(c));
                case "CREATEGROUP" -> answeredBeforeItsEvent(c, () -> commands.createGroup(loggedIn(c), line));
                case "JOINGROUP" -> answeredBeforeItsEvent(c, () -> commands.joinGroup(loggedIn(c), line));
                default -> Replies.UNKNOWN_COMMAND;
            };
            if (reply != null) {
                c.answer(reply);
            }
        } catch (Replies.Answer a) {
            c.answer(a.line());
        } catch (RuntimeException e) {
            c.answer(Replies.failure(line.word(), e));
        }
    }

    /**
     * Runs a group command whose event ({@code * 7 created the group}, {@code * 7 joined}) is pushed to
     * this connection too, holding pushes until its answer is written: always {@code +OK group_id=N}
     * (or {@code +OK joined group}) first, then the event line. The event is pushed once stored, on the
     * writer's thread, so without the hold the two lines raced (either order, about half the time).
     */
    private static String answeredBeforeItsEvent(MpimConnection c, Supplier<String> command) {
        DeviceChannel device = c.device();
        device.startSync();
        try {
            device.answer(command.get());
        } finally {
            device.finishSync(List.of());
        }
        return null;
    }

    /** A line longer than the decoder takes; the connection lives on. */
    void tooLong(MpimConnection c) {
        c.answer(Replies.LINE_TOO_LONG);
    }

    private static Principal loggedIn(MpimConnection c) {
        Principal me = c.principal();
        if (me == null) {
            throw answer(Replies.NOT_LOGGED_IN);
        }
        return me;
    }

    /**
     * {@code REGISTER <user> <pwd>}: creates the account and logs this connection in with it; on a
     * logged-in connection, only once the account exists does the connection switch to it.
     */
    private String register(MpimConnection c, CommandLine line) {
        List<String> args = line.words();
        if (args.size() != 2) {
            throw answer(Replies.USAGE_REGISTER);
        }
        try {
            users.register(args.get(0), args.get(1), null, null, c.remoteAddress());
        } catch (CourierException e) {
            throw e.code() == ErrorCode.USERNAME_TAKEN ? answer(Replies.USERNAME_TAKEN) : e;
        }
        leaveCurrentLogin(c);
        open(c, auth.login(args.get(0), args.get(1), DEVICE_ID, c.remoteAddress()));
        return null;
    }

    /** {@code LOGIN <user> <pwd>}: through the same login (and its throttle) as every other protocol. */
    private String login(MpimConnection c, CommandLine line) {
        List<String> args = line.words();
        if (args.size() != 2) {
            throw answer(Replies.USAGE_LOGIN);
        }
        leaveCurrentLogin(c);
        LoginResult result;
        try {
            result = auth.login(args.get(0), args.get(1), DEVICE_ID, c.remoteAddress());
        } catch (CourierException e) {
            throw e.code() == ErrorCode.BAD_CREDENTIALS ? answer(Replies.BAD_CREDENTIALS) : e;
        }
        open(c, result);
        return null;
    }

    /**
     * A REGISTER or LOGIN on a logged-in connection switches it to the new user, as MPIM does (its
     * own {@code register_users} tool registers many users on one connection). The current login
     * leaves first, as if the connection had closed: its device goes offline, its session stays. It
     * must leave before the new login, whose session replaces the user's line-protocol session and
     * would otherwise kick this very connection when the user logs in again as themselves. So a
     * failed LOGIN leaves the connection not logged in.
     */
    private void leaveCurrentLogin(MpimConnection c) {
        if (c.principal() != null) {
            registry.unregister(c.device());
            c.detach();
        }
    }

    /**
     * Registers the login's device (replacing, and so kicking, an earlier line-protocol connection of the
     * user), answers {@code +OK uid=}, and only then lets live pushes through.
     */
    private void open(MpimConnection c, LoginResult result) {
        Principal principal = authenticator.authenticate(result.tokens().accessToken());
        // What an earlier connection of this device delivered must be stored before this login reads where it stands.
        cursors.flush(principal);
        DeliveryTracker tracker = new DeliveryTracker(principal, cursors);
        DeviceChannel device = new DeviceChannel(c.channel(), MsgLines::encode, c.executor(), tracker);
        device.loggedIn(principal, reason -> {
            registry.unregister(device);
            kicks.count(reason);
        });
        c.attach(device, tracker);
        registry.register(device);
        if (!c.channel().isActive()) {
            registry.unregister(device); // closed while logging in: its close saw no device to take out
            return;
        }
        try {
            // Read after registering: a message stored from here on is pushed, one stored before is behind the position.
            tracker.start(messages.deliveredPositions(principal));
        } catch (RuntimeException e) {
            registry.unregister(device);
            c.detach();
            throw e;
        }
        device.answer("+OK uid=" + principal.userId());
        device.finishSync(List.of());
    }

    /** {@code LOGOUT}: ends the device session; the connection stays and may log in again. */
    private String logout(MpimConnection c) {
        Principal me = loggedIn(c);
        // Out of the registry first: ending the session kicks the connections opened with it, and this one stays.
        registry.unregister(c.device());
        c.detach();
        auth.logout(me);
        return Replies.LOGGED_OUT;
    }

    /**
     * {@code PULL}: the device's undelivered messages, oldest first per conversation, at most
     * {@code gateway.login-backlog}, without those this login already received; live pushes wait meanwhile
     * and those the answer carried are dropped. The cursor moves as each line is written.
     */
    private String pull(MpimConnection c) {
        Principal me = loggedIn(c);
        DeviceChannel device = c.device();
        DeliveryTracker tracker = c.tracker();
        device.startSync();
        List<Message> fresh;
        try {
            // Pushes already on their way must be known to the tracker before it filters, and what
            // earlier lines delivered must be stored: the limit counts from the stored cursor.
            device.awaitFlushed();
            cursors.flush(me);
            fresh = messages.undelivered(me, pullLimit).stream()
                    .filter(m -> !tracker.has(m.getConversationId(), m.getSeq()))
                    .toList();
        } catch (RuntimeException e) {
            device.finishSync(List.of());
            throw e;
        }
        device.finishSync(fresh);
        return Replies.PULL_DONE;
    }

    /** The answer to a send; once written, the device has its own message (a PULL will not return it). */
    private static String sent(MpimConnection c, SendAck ack, String prefix) {
        DeliveryTracker tracker = c.tracker();
        c.device().answer(prefix + Long.toUnsignedString(ack.getMessageId()),
                () -> tracker.delivered(ack.getConversationId(), ack.getSeq()));
        return null;
    }
}
