package io.courier.cli;

import io.courier.client.ClientListener;
import io.courier.client.CourierClient;
import io.courier.client.CourierClientException;
import io.courier.protocol.v1.Kicked;
import io.courier.protocol.v1.LoginOk;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.PresenceChange;
import io.courier.protocol.v1.ReadReceipt;
import io.courier.protocol.v1.Recalled;
import io.courier.protocol.v1.SyncResponse;
import io.courier.protocol.v1.Typing;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Prints what happens while the shell is open: messages as they arrive, and read receipts, typing,
 * recalls, friends coming and going, lost connections and kicks. A message printed here has been
 * seen, so it is marked read; what arrived while the user was away is left for {@code pull}.
 *
 * @implNote Events are handed to a thread of this printer's own: the SDK calls its listener on the
 * client's only thread, and looking up a sender's name (HTTP) or marking read there would hold up
 * every answer the client waits for.
 */
final class EventPrinter implements ClientListener, AutoCloseable {
    private static final Duration TYPING_QUIET = Duration.ofSeconds(10);

    private final Output out;
    private final MessageText text;
    private final long me;
    private final CourierClient client;
    private final ExecutorService printing = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("courier-cli-events").factory());
    private final Map<String, Long> markedRead = new HashMap<>(); // printing thread only
    private final Map<Long, Long> typingShown = new HashMap<>();  // the SDK's thread only
    private volatile long loggedInAt;
    private int logins; // the SDK's thread only

    EventPrinter(Output out, MessageText text, long me, CourierClient client) {
        this.out = out;
        this.text = text;
        this.me = me;
        this.client = client;
    }

    @Override
    public void onConnected(LoginOk login) {
        loggedInAt = login.getServerTs();
        if (++logins > 1) {
            print(() -> out.print(Tone.NOTICE, "Connected again."));
        }
    }

    /**
     * The login backlog (messages stored before this login) is not printed: the unread count said
     * they wait, and {@code pull} shows them with their times, as MPIM's client does.
     */
    @Override
    public void onMessage(Message m) {
        if (m.getServerTs() < loggedInAt) {
            return;
        }
        print(() -> {
            out.print(text.live(m));
            if (m.getSenderId() != me) {
                markRead(m.getConversationId(), m.getSeq());
            }
        });
    }

    @Override
    public void onReadReceipt(ReadReceipt r) {
        if (r.getReaderId() != me) {
            print(() -> out.print(Tone.DIM, text.name(r.getReaderId()) + " has read your messages up to #" + r.getSeq()));
        }
    }

    /** Clients repeat "typing" every few seconds while it lasts; once in a while is enough to print. */
    @Override
    public void onTyping(Typing t) {
        long now = System.nanoTime();
        Long shown = typingShown.get(t.getFromUserId());
        if (t.getTyping() && (shown == null || now - shown > TYPING_QUIET.toNanos())) {
            typingShown.put(t.getFromUserId(), now);
            print(() -> out.print(Tone.DIM, text.name(t.getFromUserId()) + " is typing..."));
        }
    }

    @Override
    public void onRecalled(Recalled r) {
        if (r.getByUserId() != me) {
            String where = r.getConversationId().startsWith("g:") ? " in group " + r.getConversationId().substring(2) : "";
            print(() -> out.print(Tone.DIM, text.name(r.getByUserId()) + " recalled message #" + r.getSeq() + where));
        }
    }

    @Override
    public void onPresence(PresenceChange p) {
        print(() -> out.print(Tone.DIM, text.name(p.getUserId()) + (p.getOnline() ? " is online" : " went offline")));
    }

    @Override
    public void onSync(SyncResponse sync) {
        if (logins > 1) {
            Unread.summary(sync).ifPresent(s -> print(() -> out.print(Tone.NOTICE, s)));
        }
    }

    @Override
    public void onDisconnected(Throwable cause, boolean willReconnect) {
        if (willReconnect) {
            print(() -> out.print(Tone.NOTICE, "Connection lost; reconnecting..."));
        } else if (!(cause instanceof CourierClientException c && c.name().equals("KICKED"))) {
            print(() -> out.print(Tone.NOTICE, "Disconnected: " + cause.getMessage()));
        }
    }

    @Override
    public void onKicked(Kicked k) {
        String why = switch (k.getReason()) {
            case "replaced" -> "Disconnected: this device connected again elsewhere";
            case "logout" -> "Logged out: this device's session was ended";
            case "password_changed" -> "Logged out: the password was changed; log in again";
            case "revoked" -> "Logged out: the session was revoked; log in again";
            case "disabled" -> "Logged out: the account is disabled";
            case "idle" -> "Disconnected: idle for too long; reconnecting";
            case "slow_consumer" -> "Disconnected: the connection could not keep up; reconnecting";
            default -> "Disconnected by the server (" + MessageText.safe(k.getReason()) + ")";
        };
        print(() -> out.print(Tone.NOTICE, why));
    }

    private void markRead(String conversationId, long seq) {
        if (markedRead.getOrDefault(conversationId, 0L) < seq) {
            markedRead.put(conversationId, seq);
            client.markRead(conversationId, seq).exceptionally(e -> null); // pull marks it later if this fails
        }
    }

    private void print(Runnable r) {
        if (printing.isShutdown()) {
            return;
        }
        printing.execute(() -> {
            try {
                r.run();
            } catch (RuntimeException e) {
                out.error("Could not show an event: " + e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        printing.shutdown();
    }
}
