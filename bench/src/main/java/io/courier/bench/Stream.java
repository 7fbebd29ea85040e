package io.courier.bench;

import io.courier.client.CourierClient;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.SendAck;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.Text;

import java.util.concurrent.CompletableFuture;

/**
 * One sender's numbered messages to one user or group. The number and the hand-over to the client
 * happen under one lock, so the client gets (and the server stores) a stream in number order, which
 * is what lets a {@link Receiver} check order.
 */
final class Stream {
    final int id;
    private final CourierClient from;
    private final long toUser;
    private final long toGroup;
    private long next;

    private Stream(int id, CourierClient from, long toUser, long toGroup) {
        this.id = id;
        this.from = from;
        this.toUser = toUser;
        this.toGroup = toGroup;
    }

    static Stream toUser(int id, CourierClient from, long userId) {
        return new Stream(id, from, userId, 0);
    }

    static Stream toGroup(int id, CourierClient from, long groupId) {
        return new Stream(id, from, 0, groupId);
    }

    /** Sends the next message, stamped with {@code stampNanos} (when it was sent, or was due). */
    synchronized CompletableFuture<SendAck> send(Ledger ledger, long stampNanos) {
        long n = next++;
        ledger.recordSent();
        SendMessage.Builder m = SendMessage.newBuilder().setClientMsgId(id + "-" + n)
                .setContent(Content.newBuilder().setText(Text.newBuilder().setText(Receiver.body(id, n, stampNanos))));
        if (toGroup != 0) {
            m.setToGroupId(toGroup);
        } else {
            m.setToUserId(toUser);
        }
        return from.send(m.build());
    }
}
