package io.courier.gateway.ws;

import static io.courier.gateway.ws.JsonWrite.stringIfSet;
import static io.courier.gateway.ws.JsonWrite.uint32IfSet;
import static io.courier.gateway.ws.JsonWrite.uint64;
import static io.courier.gateway.ws.JsonWrite.uint64IfSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.core.error.CourierException;
import io.courier.protocol.v1.ConversationState;
import io.courier.protocol.v1.Delivery;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.GroupCommand;
import io.courier.protocol.v1.Heartbeat;
import io.courier.protocol.v1.HistoryRequest;
import io.courier.protocol.v1.Kicked;
import io.courier.protocol.v1.LoginOk;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.Messages;
import io.courier.protocol.v1.PresenceChange;
import io.courier.protocol.v1.PresenceList;
import io.courier.protocol.v1.PresenceQuery;
import io.courier.protocol.v1.PullRequest;
import io.courier.protocol.v1.ReadReceipt;
import io.courier.protocol.v1.Recalled;
import io.courier.protocol.v1.SendAck;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.SyncRequest;
import io.courier.protocol.v1.SyncResponse;
import io.courier.protocol.v1.Typing;
import java.util.Objects;

/**
 * The JSON text frames of the WebSocket protocol (SimpleIM's shape) and the {@link Envelope}s they
 * stand for. A frame is a JSON object with a numeric {@code type}, an optional {@code request_id}
 * (echoed in the answer) and a {@code content} object; docs/protocol.md has the table of types.
 *
 * <p>Decoding ({@link JsonRequests}) is strict and total: whatever the text, it returns an envelope or
 * throws a {@link CourierException} (MALFORMED_JSON, INVALID_FIELD, MISSING_FIELD or UNSUPPORTED_FRAME).
 * Ids are JSON integers or strings of digits; fractions, negatives and other strings are refused,
 * never coerced. Encoding leaves proto3 defaults out of content objects; the writing mapper turns ids
 * into strings ({@link io.courier.gateway.http.JsonIds}).
 */
public final class JsonFrames {
    /** Deeper JSON is refused as it is parsed; no frame needs more than a few levels. */
    static final int MAX_DEPTH = 64;

    // Client → server
    static final int READ = 31;
    static final int REVOKE = 32;
    static final int TYPING = 33;
    static final int DELIVERED = 34;
    static final int SYNC = 40;
    static final int PULL = 41;
    static final int HISTORY = 42;
    static final int PRESENCE_QUERY = 50;
    static final int HEARTBEAT = 99;

    // Server → client (31-33, 40, 41, 50 and 99 as above)
    static final int ERROR = 3;
    static final int ACK = 30;
    static final int OK = 35;
    static final int MESSAGES = 41;
    static final int PRESENCE_LIST = 50;
    static final int PRESENCE = 51;
    static final int KICKED = 100;
    static final int LOGIN_OK = 101;
    /** A group operation: the content is a GroupCommand in its JSON form; answered with 61. */
    static final int GROUP_COMMAND = 60;
    static final int GROUP_REPLY = 61;

    private final JsonRequests requests = new JsonRequests();
    private final ObjectMapper writer;

    /** {@code mapper} writes the frames; parsing uses a mapper of its own with tighter limits ({@link JsonRequests}). */
    public JsonFrames(ObjectMapper mapper) {
        this.writer = Objects.requireNonNull(mapper, "mapper");
    }

    // =============================================================================================
    // Decoding: client → server (JsonRequests)
    // =============================================================================================

    /**
     * Parses one client text frame. Throws {@link CourierException} with MALFORMED_JSON for text that
     * is not JSON (or nests deeper than {@value #MAX_DEPTH}), INVALID_FIELD or MISSING_FIELD (with the
     * field) for a frame of the wrong shape, UNSUPPORTED_FRAME for a type a client cannot send; never
     * any other exception.
     */
    public Envelope decode(String text) {
        return requests.decode(text);
    }

    /**
     * The {@code request_id} of a frame that {@link #decode} refused, when it has a readable one, so
     * that the error answers the request instead of leaving the client to time out; otherwise 0.
     */
    public long requestIdOf(String text) {
        return requests.requestIdOf(text);
    }

    private static ObjectNode withContent(int type, ObjectNode content) {
        ObjectNode frame = frame(type);
        frame.set("content", content);
        return frame;
    }

    // =============================================================================================
    // Encoding: server → client
    // =============================================================================================

    /**
     * Renders one envelope as a text frame. Server bodies follow docs/protocol.md; client bodies
     * (send, read, ...) are rendered as a client would send them, so that {@link #decode} reads them
     * back. Throws {@link IllegalArgumentException} for an envelope without a body and for
     * {@code login}, which has no text-frame form (WebSocket clients log in with the upgrade request).
     */
    public String encode(Envelope envelope) {
        ObjectNode body = switch (envelope.getBodyCase()) {
            case ERROR -> error(envelope.getError());
            case HEARTBEAT -> heartbeat(envelope.getHeartbeat());
            case OK -> frame(OK);
            case LOGIN_OK -> loginOk(envelope.getLoginOk());
            case KICKED -> kicked(envelope.getKicked());
            case SEND_ACK -> sendAck(envelope.getSendAck());
            case MESSAGE -> message(envelope.getMessage());
            case READ_RECEIPT -> readReceipt(envelope.getReadReceipt());
            case TYPING -> typing(envelope.getTyping());
            case RECALLED -> recalled(envelope.getRecalled());
            case SYNC_RESULT -> syncResult(envelope.getSyncResult());
            case MESSAGES -> messages(envelope.getMessages());
            case PRESENCE_LIST -> presenceList(envelope.getPresenceList());
            case PRESENCE -> presence(envelope.getPresence());
            // client bodies, as a client sends them
            case SEND -> send(envelope.getSend());
            case DELIVERED -> receipt(DELIVERED, envelope.getDelivered().getConversationId(), envelope.getDelivered().getSeq());
            case READ -> receipt(READ, envelope.getRead().getConversationId(), envelope.getRead().getSeq());
            case RECALL -> receipt(REVOKE, envelope.getRecall().getConversationId(), envelope.getRecall().getSeq());
            case SYNC -> sync(envelope.getSync());
            case PULL -> pull(envelope.getPull());
            case HISTORY -> history(envelope.getHistory());
            case PRESENCE_QUERY -> presenceQuery(envelope.getPresenceQuery());
            case GROUP -> withContent(GROUP_COMMAND, JsonProto.toJson(envelope.getGroup()));
            case GROUP_REPLY -> withContent(GROUP_REPLY, JsonProto.toJson(envelope.getGroupReply()));
            case LOGIN -> throw new IllegalArgumentException("A login has no JSON text-frame form");
            case BODY_NOT_SET -> throw new IllegalArgumentException("The envelope has no body");
        };
        // type first, then request_id, then the rest
        ObjectNode out = JsonWrite.object();
        out.set("type", body.get("type"));
        uint64IfSet(out, "request_id", envelope.getRequestId());
        out.setAll(body);
        return write(out);
    }

    private String write(ObjectNode frame) {
        try {
            return writer.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A JSON tree could not be written", e); // cannot happen for a tree of plain values
        }
    }

    private static ObjectNode frame(int type) {
        ObjectNode frame = JsonWrite.object();
        frame.put("type", type);
        return frame;
    }

    private static ObjectNode error(io.courier.protocol.v1.Error error) {
        ObjectNode frame = frame(ERROR);
        ObjectNode content = frame.putObject("content");
        content.put("code", error.getCode());
        content.put("name", error.getName());
        content.put("message", error.getMessage());
        if (error.getRetryAfterMs() > 0) {
            content.put("retry_after_ms", error.getRetryAfterMs());
        }
        return frame;
    }

    /**
     * {@code timestamp} is the sender's clock: the server's, or the client's for a client's heartbeat.
     * The server's answer echoes the client's clock as {@code content.client_ts}.
     */
    private static ObjectNode heartbeat(Heartbeat heartbeat) {
        ObjectNode frame = frame(HEARTBEAT);
        if (heartbeat.getServerTs() == 0) {
            frame.put("timestamp", heartbeat.getClientTs());
            return frame;
        }
        frame.put("timestamp", heartbeat.getServerTs());
        if (heartbeat.getClientTs() != 0) {
            frame.putObject("content").put("client_ts", heartbeat.getClientTs());
        }
        return frame;
    }

    private static ObjectNode loginOk(LoginOk ok) {
        ObjectNode frame = frame(LOGIN_OK);
        ObjectNode content = frame.putObject("content");
        content.set("user_id", uint64(ok.getUserId()));
        content.put("device_id", ok.getDeviceId());
        content.put("heartbeat_interval_s", ok.getHeartbeatIntervalS());
        content.put("delivery", ok.getDelivery() == Delivery.ACKED ? "acked" : "written");
        frame.put("timestamp", ok.getServerTs());
        return frame;
    }

    private static ObjectNode kicked(Kicked kicked) {
        ObjectNode frame = frame(KICKED);
        ObjectNode content = frame.putObject("content");
        content.put("reason", kicked.getReason());
        content.put("device_id", kicked.getDeviceId());
        return frame;
    }

    private static ObjectNode sendAck(SendAck ack) {
        ObjectNode frame = frame(ACK);
        frame.put("message_id", ack.getClientMsgId());
        frame.set("server_message_id", uint64(ack.getMessageId()));
        frame.set("seq", uint64(ack.getSeq()));
        frame.put("conversation_id", ack.getConversationId());
        frame.put("timestamp", ack.getServerTs());
        ObjectNode content = frame.putObject("content");
        content.put("message_id", ack.getClientMsgId());
        content.set("server_message_id", uint64(ack.getMessageId()));
        content.set("seq", uint64(ack.getSeq()));
        content.put("conversation_id", ack.getConversationId());
        content.put("status", ack.getDuplicate() ? "duplicate" : "sent");
        return frame;
    }

    /** A message push; also the element of {@code messages} and {@code last_message} elsewhere. */
    private static ObjectNode message(Message message) {
        ObjectNode frame = frame(JsonContents.type(message.getContent(), message.getGroupId() != 0));
        frame.put("message_id", message.getClientMsgId());
        frame.set("server_message_id", uint64(message.getMessageId()));
        frame.set("from", uint64(message.getSenderId()));
        uint64IfSet(frame, "to", message.getToUserId());
        uint64IfSet(frame, "group_id", message.getGroupId());
        frame.put("conversation_id", message.getConversationId());
        frame.set("seq", uint64(message.getSeq()));
        frame.put("timestamp", message.getServerTs());
        if (message.getRecalled()) {
            frame.putObject("content");
            frame.put("recalled", true);
        } else {
            frame.set("content", JsonContents.encode(message.getContent()));
        }
        return frame;
    }

    private static ObjectNode readReceipt(ReadReceipt receipt) {
        ObjectNode frame = frame(READ);
        frame.set("from", uint64(receipt.getReaderId()));
        frame.put("conversation_id", receipt.getConversationId());
        frame.set("seq", uint64(receipt.getSeq()));
        ObjectNode content = frame.putObject("content");
        content.put("conversation_id", receipt.getConversationId());
        content.set("seq", uint64(receipt.getSeq()));
        content.set("reader_id", uint64(receipt.getReaderId()));
        return frame;
    }

    /** The push to the other side; the same body answers a client's typing frame, read as such. */
    private static ObjectNode typing(Typing typing) {
        ObjectNode frame = frame(TYPING);
        uint64IfSet(frame, "from", typing.getFromUserId());
        uint64IfSet(frame, "to", typing.getToUserId());
        stringIfSet(frame, "conversation_id", typing.getConversationId());
        ObjectNode content = frame.putObject("content");
        content.put("typing", typing.getTyping());
        stringIfSet(content, "conversation_id", typing.getConversationId());
        return frame;
    }

    private static ObjectNode recalled(Recalled recalled) {
        ObjectNode frame = frame(REVOKE);
        frame.set("from", uint64(recalled.getByUserId()));
        frame.put("conversation_id", recalled.getConversationId());
        frame.set("seq", uint64(recalled.getSeq()));
        frame.set("server_message_id", uint64(recalled.getMessageId()));
        frame.put("timestamp", recalled.getRecalledAt());
        ObjectNode content = frame.putObject("content");
        content.put("conversation_id", recalled.getConversationId());
        content.set("seq", uint64(recalled.getSeq()));
        content.set("server_message_id", uint64(recalled.getMessageId()));
        content.put("recalled_at", recalled.getRecalledAt());
        return frame;
    }

    private static ObjectNode syncResult(SyncResponse sync) {
        ObjectNode frame = frame(SYNC);
        frame.put("timestamp", sync.getServerTs());
        ArrayNode conversations = frame.putObject("content").putArray("conversations");
        for (ConversationState state : sync.getConversationsList()) {
            conversations.add(conversation(state));
        }
        return frame;
    }

    private static ObjectNode conversation(ConversationState state) {
        ObjectNode out = JsonWrite.object();
        out.put("conversation_id", state.getConversationId());
        uint64IfSet(out, "peer_user_id", state.getPeerUserId());
        uint64IfSet(out, "group_id", state.getGroupId());
        out.set("last_seq", uint64(state.getLastSeq()));
        out.set("read_seq", uint64(state.getReadSeq()));
        out.set("unread", uint64(state.getUnread()));
        uint64IfSet(out, "delivered_seq", state.getDeliveredSeq());
        out.put("mentioned", state.getMentioned());
        out.put("updated_at", state.getUpdatedAt());
        if (state.hasLastMessage()) {
            out.set("last_message", message(state.getLastMessage()));
        }
        return out;
    }

    private static ObjectNode messages(Messages messages) {
        ObjectNode frame = frame(MESSAGES);
        ObjectNode content = frame.putObject("content");
        content.put("conversation_id", messages.getConversationId());
        ArrayNode list = content.putArray("messages");
        for (Message message : messages.getMessagesList()) {
            list.add(message(message));
        }
        content.put("has_more", messages.getHasMore());
        return frame;
    }

    private static ObjectNode presenceList(PresenceList list) {
        ObjectNode frame = frame(PRESENCE_LIST);
        ArrayNode users = frame.putObject("content").putArray("users");
        for (PresenceChange user : list.getUsersList()) {
            users.add(presenceContent(user));
        }
        return frame;
    }

    private static ObjectNode presence(PresenceChange change) {
        ObjectNode frame = frame(PRESENCE);
        frame.set("from", uint64(change.getUserId()));
        frame.set("content", presenceContent(change));
        return frame;
    }

    private static ObjectNode presenceContent(PresenceChange change) {
        ObjectNode out = JsonWrite.object();
        out.set("user_id", uint64(change.getUserId()));
        out.put("online", change.getOnline());
        out.put("last_seen", change.getLastSeen());
        return out;
    }

    // ---- client bodies, as a client sends them ------------------------------------------------

    private static ObjectNode send(SendMessage send) {
        ObjectNode frame = frame(JsonContents.type(send.getContent(), send.getToGroupId() != 0));
        stringIfSet(frame, "message_id", send.getClientMsgId());
        uint64IfSet(frame, "to", send.getToUserId());
        uint64IfSet(frame, "group_id", send.getToGroupId());
        frame.set("content", JsonContents.encode(send.getContent()));
        return frame;
    }

    private static ObjectNode receipt(int type, String conversationId, long seq) {
        ObjectNode frame = frame(type);
        ObjectNode content = frame.putObject("content");
        content.put("conversation_id", conversationId);
        content.set("seq", uint64(seq));
        return frame;
    }

    private static ObjectNode sync(SyncRequest sync) {
        ObjectNode frame = frame(SYNC);
        ObjectNode known = frame.putObject("content").putObject("known");
        sync.getKnownMap().forEach((conversation, seq) -> known.set(conversation, uint64(seq)));
        return frame;
    }

    private static ObjectNode pull(PullRequest pull) {
        ObjectNode frame = frame(PULL);
        ObjectNode content = frame.putObject("content");
        content.put("conversation_id", pull.getConversationId());
        uint64IfSet(content, "after_seq", pull.getAfterSeq());
        uint32IfSet(content, "limit", pull.getLimit());
        return frame;
    }

    private static ObjectNode history(HistoryRequest history) {
        ObjectNode frame = frame(HISTORY);
        ObjectNode content = frame.putObject("content");
        content.put("conversation_id", history.getConversationId());
        uint64IfSet(content, "before_seq", history.getBeforeSeq());
        uint32IfSet(content, "limit", history.getLimit());
        return frame;
    }

    private static ObjectNode presenceQuery(PresenceQuery query) {
        ObjectNode frame = frame(PRESENCE_QUERY);
        frame.putObject("content").set("user_ids", JsonWrite.uint64s(query.getUserIdsList()));
        return frame;
    }


}
