package io.courier.server;

import io.courier.client.ClientListener;
import io.courier.protocol.v1.Kicked;
import io.courier.protocol.v1.LoginOk;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.SyncResponse;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** A client listener for SDK tests: keeps everything it hears, and waits for it with a deadline. */
class SdkRecorder implements ClientListener {
    final List<Message> messages = new CopyOnWriteArrayList<>();
    final List<LoginOk> logins = new CopyOnWriteArrayList<>();
    final List<Boolean> disconnects = new CopyOnWriteArrayList<>(); // willReconnect of each
    final List<Kicked> kicks = new CopyOnWriteArrayList<>();
    final List<SyncResponse> syncs = new CopyOnWriteArrayList<>();

    @Override
    public void onMessage(Message message) {
        messages.add(message);
    }

    @Override
    public void onConnected(LoginOk login) {
        logins.add(login);
    }

    @Override
    public void onDisconnected(Throwable cause, boolean willReconnect) {
        disconnects.add(willReconnect);
    }

    @Override
    public void onKicked(Kicked kicked) {
        kicks.add(kicked);
    }

    @Override
    public void onSync(SyncResponse sync) {
        syncs.add(sync);
    }

    List<Message> messagesOf(String conversationId) {
        return messages.stream().filter(m -> m.getConversationId().equals(conversationId)).toList();
    }

    /** Waits until the condition holds; fails with what was recorded when it does not in time. */
    void await(String what, Duration timeout, Predicate<SdkRecorder> condition) {
        try {
            Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> condition.test(this));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Timed out waiting for " + what + "; messages: "
                    + messages.stream().map(m -> m.getConversationId() + "#" + m.getSeq()).toList()
                    + ", logins " + logins.size() + ", disconnects " + disconnects + ", kicks " + kicks);
        }
    }
}
