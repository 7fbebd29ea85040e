package io.courier.client;

import io.courier.protocol.v1.Kicked;
import io.courier.protocol.v1.LoginOk;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.PresenceChange;
import io.courier.protocol.v1.ReadReceipt;
import io.courier.protocol.v1.Recalled;
import io.courier.protocol.v1.SyncResponse;
import io.courier.protocol.v1.Typing;

/**
 * What a client hears from the server. Every method has an empty default; implement the ones you
 * need. Calls for one client come one at a time, in the order the server sent them, on a virtual
 * thread: blocking here delays only this client's later events.
 */
public interface ClientListener {
    /**
     * A message of a conversation, in seq order, once: live pushes, the login backlog and the pulls
     * that fill gaps all arrive here. Group changes are messages too ({@code content.event}).
     */
    default void onMessage(Message message) {
    }

    default void onReadReceipt(ReadReceipt receipt) {
    }

    default void onTyping(Typing typing) {
    }

    default void onRecalled(Recalled recalled) {
    }

    default void onPresence(PresenceChange change) {
    }

    /** Logged in, first time or after a reconnect. */
    default void onConnected(LoginOk login) {
    }

    /**
     * The sync after each login: the conversations that changed since what this client had seen
     * (all of them with messages on a fresh client), with unread counts.
     */
    default void onSync(SyncResponse sync) {
    }

    /**
     * The connection is gone. {@code willReconnect} is false when the client stops for good: it was
     * closed, or the session ended (logout, password change, a newer login of the same device).
     */
    default void onDisconnected(Throwable cause, boolean willReconnect) {
    }

    /** The server closed the connection and said why (before {@link #onDisconnected}). */
    default void onKicked(Kicked kicked) {
    }
}
