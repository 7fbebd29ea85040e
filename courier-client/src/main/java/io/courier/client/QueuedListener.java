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
 * Calls the application's listener on a queue of its own, in order: a listener that blocks (say,
 * waiting for the answer to a request it just made) holds up only later events, never the client's
 * state executor that the answer has to pass through.
 */
final class QueuedListener implements ClientListener {
    private final ClientListener app;
    private final SerialExecutor queue;

    QueuedListener(ClientListener app, SerialExecutor queue) {
        this.app = app;
        this.queue = queue;
    }

    @Override
    public void onMessage(Message message) {
        queue.execute(() -> app.onMessage(message));
    }

    @Override
    public void onReadReceipt(ReadReceipt receipt) {
        queue.execute(() -> app.onReadReceipt(receipt));
    }

    @Override
    public void onTyping(Typing typing) {
        queue.execute(() -> app.onTyping(typing));
    }

    @Override
    public void onRecalled(Recalled recalled) {
        queue.execute(() -> app.onRecalled(recalled));
    }

    @Override
    public void onPresence(PresenceChange change) {
        queue.execute(() -> app.onPresence(change));
    }

    @Override
    public void onConnected(LoginOk login) {
        queue.execute(() -> app.onConnected(login));
    }

    @Override
    public void onSync(SyncResponse sync) {
        queue.execute(() -> app.onSync(sync));
    }

    @Override
    public void onDisconnected(Throwable cause, boolean willReconnect) {
        queue.execute(() -> app.onDisconnected(cause, willReconnect));
    }

    @Override
    public void onKicked(Kicked kicked) {
        queue.execute(() -> app.onKicked(kicked));
    }
}
