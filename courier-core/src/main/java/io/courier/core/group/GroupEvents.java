package io.courier.core.group;

import io.courier.core.delivery.ConnectionRegistry;
import io.courier.core.error.BackendException;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.message.ConversationId;
import io.courier.core.message.MessageWriter;
import io.courier.core.message.StoredMessage;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.GroupEvent;

import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes a group change into the group's timeline: an event message that goes through the same
 * writer as chat messages, so it gets the next seq and every member sees changes and messages in
 * one order. Users who are no longer members (kicked, left) are told directly.
 */
public final class GroupEvents {
    private final MessageWriter writer;
    private final ConnectionRegistry registry;

    public GroupEvents(MessageWriter writer, ConnectionRegistry registry) {
        this.writer = writer;
        this.registry = registry;
    }

    /** Stores the event and waits until it is durable; {@code alsoTell} are former members to notify. */
    public StoredMessage emit(long groupId, long operatorId, GroupEvent.Type type, Collection<Long> targets, String extra,
                              Collection<Long> alsoTell) {
        GroupEvent event = GroupEvent.newBuilder().setType(type).setGroupId(groupId).setOperatorId(operatorId)
                .addAllTargetIds(targets).setExtra(extra).build();
        StoredMessage draft = new StoredMessage(ConversationId.ofGroup(groupId).value(), 0, 0, operatorId, 0, groupId,
                "event-" + UUID.randomUUID(), Content.newBuilder().setEvent(event).build(), 0, 0);
        StoredMessage stored;
        try {
            stored = writer.submit(draft, null).get(10, TimeUnit.SECONDS).message();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new BackendException("A group event could not be stored", e.getCause());
        } catch (TimeoutException e) {
            throw CourierException.of(ErrorCode.OVERLOADED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CourierException.of(ErrorCode.OVERLOADED);
        }
        Envelope push = Envelope.newBuilder().setMessage(stored.toProto()).build();
        for (long user : alsoTell) {
            registry.pushTo(user, null, push);
        }
        return stored;
    }

    public StoredMessage emit(long groupId, long operatorId, GroupEvent.Type type, Collection<Long> targets, String extra) {
        return emit(groupId, operatorId, type, targets, extra, List.of());
    }
}
