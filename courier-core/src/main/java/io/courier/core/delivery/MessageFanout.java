package io.courier.core.delivery;

import io.courier.core.message.MessageWriter;
import io.courier.core.message.StoredMessage;
import io.courier.protocol.v1.Envelope;

import java.util.List;

/**
 * Pushes committed messages to the devices connected here: every device of the recipient, and the
 * sender's other devices (the sending device gets the ack instead). Called on the writer thread in
 * commit order, so each device receives a conversation's messages in seq order.
 */
public final class MessageFanout implements MessageWriter.CommitListener {
    private final ConnectionRegistry registry;

    public MessageFanout(ConnectionRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void committed(List<MessageWriter.Committed> batch) {
        for (MessageWriter.Committed c : batch) {
            StoredMessage m = c.message();
            Envelope push = Envelope.newBuilder().setMessage(m.toProto()).build();
            registry.pushTo(m.toUserId(), null, push);
            registry.pushTo(m.senderId(), c.senderDeviceId(), push);
        }
    }
}
