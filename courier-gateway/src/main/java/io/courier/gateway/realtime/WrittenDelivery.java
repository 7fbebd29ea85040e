package io.courier.gateway.realtime;

import io.courier.protocol.v1.Envelope;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPromise;

/**
 * A device's delivered-when-written ({@code Delivery.WRITTEN}): the listener hears, on the event loop,
 * of every message that reached the socket, and of the answer to each of the device's own sends (the
 * device has its own message then). Without a listener every write gets the void promise and costs
 * nothing more.
 */
final class WrittenDelivery {
    /** Told when a message of a conversation has reached the socket. */
    @FunctionalInterface
    interface Listener {
        void written(String conversationId, long seq);
    }

    /** Set at login, before any push reaches the device. */
    private volatile Listener listener;

    WrittenDelivery(Listener listener) {
        this.listener = listener;
    }

    void listen(Listener listener) {
        this.listener = listener;
    }

    boolean active() {
        return listener != null;
    }

    /** The promise for writing {@code envelope}: one that tells the listener, when there is one to tell. */
    ChannelPromise promiseFor(Channel channel, Envelope envelope) {
        Listener listener = this.listener;
        String conversation;
        long seq;
        if (listener != null && envelope.hasMessage()) {
            conversation = envelope.getMessage().getConversationId();
            seq = envelope.getMessage().getSeq();
        } else if (listener != null && envelope.hasSendAck()) {
            conversation = envelope.getSendAck().getConversationId();
            seq = envelope.getSendAck().getSeq();
        } else {
            return channel.voidPromise();
        }
        ChannelPromise promise = channel.newPromise();
        promise.addListener(f -> {
            if (f.isSuccess()) {
                listener.written(conversation, seq);
            }
        });
        return promise;
    }
}
