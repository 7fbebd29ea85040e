package io.courier.core.delivery;

import io.courier.core.group.GroupDirectory;
import io.courier.core.message.MessageWriter;
import io.courier.core.message.StoredMessage;
import io.courier.protocol.v1.Envelope;


/**
 * Pushes committed messages to the devices connected here: for a 1:1 message every device of the
 * recipient, for a group message every device of every member; and the sender's other devices (the
 * sending device gets the ack instead). Called on the delivery thread in commit order, so each
 * device receives a conversation's messages in seq order.
 *
 * @implNote Each push is queued on its connection, which writes what gathered in one task and one
 * flush ({@code DeviceChannel}): a message to a large group costs a queue entry per member device.
 */
public final class MessageFanout implements MessageWriter.CommitListener {
    private final ConnectionRegistry registry;
    private final GroupDirectory groups;

    public MessageFanout(ConnectionRegistry registry, GroupDirectory groups) {
        this.registry = registry;
        this.groups = groups;
    }

    @Override
    public void committed(MessageWriter.Committed c) {
        StoredMessage m = c.message();
        Envelope push = Envelope.newBuilder().setMessage(m.toProto()).build();
        if (m.groupId() != 0) {
            // Recipients are read after the commit: someone who joined since (join point at or
            // past this message) is not sent what came before they joined.
            GroupDirectory.Members members = groups.members(m.groupId());
            for (int i = 0; i < members.userIds().length; i++) {
                long member = members.userIds()[i];
                if (members.joinedSeqs()[i] < m.seq()) {
                    push(member, member == m.senderId() ? c.senderDeviceId() : null, push);
                }
            }
        } else {
            push(m.toUserId(), null, push);
            push(m.senderId(), c.senderDeviceId(), push);
        }
    }

    private void push(long userId, String exceptDevice, Envelope push) {
        for (ClientConnection c : registry.devicesOf(userId)) {
            if (!c.deviceId().equals(exceptDevice)) {
                c.push(push);
            }
        }
    }
}
