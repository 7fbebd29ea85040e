package io.courier.microbench;

import io.courier.core.message.ConversationId;
import io.courier.core.message.MessageIds;
import io.courier.protocol.v1.ConversationState;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.SyncResponse;
import io.courier.protocol.v1.Text;

import java.util.List;

/**
 * The traffic the benchmarks encode and decode, shaped like what a server sees: ids as the database
 * and {@link MessageIds} hand them out, client message ids as the SDK makes them (UUIDs), texts of
 * chat length. Built once per trial, so no benchmark measures building them.
 */
public final class Samples {
    /** Kinds of payload every codec benchmark is run with (its {@code payload} parameter). */
    public enum Payload {
        /** A 1:1 text message of about 40 characters. */
        DIRECT,
        /** A group text message that mentions three members. */
        GROUP,
        /** The answer to a reconnecting device's sync: 20 conversations, each with its last message. */
        SYNC
    }

    static final long ALICE = 48_213;
    static final long BOB = 48_377;
    static final long GROUP_ID = 1_207;
    static final List<Long> MENTIONED = List.of(48_377L, 51_002L, 49_950L);
    static final String DIRECT_TEXT = "Are we still on for lunch at 12:30 today?";
    static final String GROUP_TEXT = "@Bob @Carol @Dan the release notes are ready, please review before 5pm";
    static final String CLIENT_MSG_ID = "3f2b8c1e-7a4d-4e0b-9a61-5d2c8e9f1a07";
    /** 2026-11-24T10:15:30Z: any fixed time; message ids and timestamps only need realistic magnitudes. */
    static final long NOW = 1_795_515_330_000L;

    private Samples() {
    }

    /** The push a recipient gets (server → client). */
    public static Envelope push(Payload payload) {
        return switch (payload) {
            case DIRECT -> Envelope.newBuilder().setMessage(directMessage(1_042)).build();
            case GROUP -> Envelope.newBuilder().setMessage(groupMessage(88_310)).build();
            case SYNC -> Envelope.newBuilder().setRequestId(7).setSyncResult(syncResult()).build();
        };
    }

    /** What a client sends for the message of {@code payload} (client → server); SYNC has no send form. */
    public static Envelope send(Payload payload) {
        return switch (payload) {
            case DIRECT -> Envelope.newBuilder().setRequestId(41).setSend(SendMessage.newBuilder()
                    .setClientMsgId(CLIENT_MSG_ID).setToUserId(BOB).setContent(directContent())).build();
            case GROUP -> Envelope.newBuilder().setRequestId(42).setSend(SendMessage.newBuilder()
                    .setClientMsgId(CLIENT_MSG_ID).setToGroupId(GROUP_ID).setContent(groupContent())).build();
            case SYNC -> throw new IllegalArgumentException("A sync result is sent by the server only");
        };
    }

    static Content directContent() {
        return Content.newBuilder().setText(Text.newBuilder().setText(DIRECT_TEXT)).build();
    }

    static Content groupContent() {
        return Content.newBuilder().setText(Text.newBuilder().setText(GROUP_TEXT).addAllAtUserIds(MENTIONED)).build();
    }

    static Message directMessage(long seq) {
        return Message.newBuilder()
                .setConversationId(ConversationId.ofUsers(ALICE, BOB).value())
                .setSeq(seq)
                .setMessageId(new MessageIds(0).next(NOW))
                .setSenderId(ALICE)
                .setClientMsgId(CLIENT_MSG_ID)
                .setToUserId(BOB)
                .setContent(directContent())
                .setServerTs(NOW)
                .build();
    }

    static Message groupMessage(long seq) {
        return Message.newBuilder()
                .setConversationId(ConversationId.ofGroup(GROUP_ID).value())
                .setSeq(seq)
                .setMessageId(new MessageIds(0).next(NOW))
                .setSenderId(ALICE)
                .setClientMsgId(CLIENT_MSG_ID)
                .setGroupId(GROUP_ID)
                .setContent(groupContent())
                .setServerTs(NOW)
                .build();
    }

    /** 15 one-to-one conversations and 5 groups, as a user with an ordinary contact list has them. */
    static SyncResponse syncResult() {
        SyncResponse.Builder sync = SyncResponse.newBuilder().setServerTs(NOW);
        for (int i = 0; i < 20; i++) {
            boolean group = i % 4 == 3;
            long peer = BOB + 17L * i;
            long lastSeq = 30L + 97L * i;
            Message last = (group ? groupMessage(lastSeq).toBuilder().setGroupId(GROUP_ID + i)
                    .setConversationId(ConversationId.ofGroup(GROUP_ID + i).value())
                    : directMessage(lastSeq).toBuilder().setSenderId(peer).setToUserId(ALICE)
                    .setConversationId(ConversationId.ofUsers(ALICE, peer).value()))
                    .setServerTs(NOW - 60_000L * i)
                    .build();
            ConversationState.Builder state = ConversationState.newBuilder()
                    .setConversationId(last.getConversationId())
                    .setLastSeq(lastSeq)
                    .setReadSeq(lastSeq - i % 5)
                    .setUnread(i % 5)
                    .setDeliveredSeq(lastSeq - i % 3)
                    .setMentioned(group && i % 2 == 1)
                    .setLastMessage(last)
                    .setUpdatedAt(last.getServerTs());
            if (group) {
                state.setGroupId(GROUP_ID + i);
            } else {
                state.setPeerUserId(peer);
            }
            sync.addConversations(state);
        }
        return sync.build();
    }
}
