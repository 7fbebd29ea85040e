package io.courier.gateway.ws;

import static io.courier.gateway.ws.JsonWrite.stringIfSet;
import static io.courier.gateway.ws.JsonWrite.uint32IfSet;
import static io.courier.gateway.ws.JsonWrite.uint64;
import static io.courier.gateway.ws.JsonWrite.uint64IfSet;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.protocol.v1.ConversationState;
import io.courier.protocol.v1.Delivered;
import io.courier.protocol.v1.Delivery;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.GroupCommand;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.courier.protocol.v1.Heartbeat;
import io.courier.protocol.v1.HistoryRequest;
import io.courier.protocol.v1.Kicked;
import io.courier.protocol.v1.LoginOk;
import io.courier.protocol.v1.MarkRead;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.Messages;
import io.courier.protocol.v1.PresenceChange;
import io.courier.protocol.v1.PresenceList;
import io.courier.protocol.v1.PresenceQuery;
import io.courier.protocol.v1.PullRequest;
import io.courier.protocol.v1.ReadReceipt;
import io.courier.protocol.v1.Recall;
import io.courier.protocol.v1.Recalled;
import io.courier.protocol.v1.SendAck;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.SyncRequest;
import io.courier.protocol.v1.SyncResponse;
import io.courier.protocol.v1.Typing;
import java.util.Objects;
import java.util.Set;

/**
 * The JSON text frames of the WebSocket protocol (SimpleIM's shape) and the {@link Envelope}s they
 * stand for. A frame is a JSON object with a numeric {@code type}, an optional {@code request_id}
 * (echoed in the answer) and a {@code content} object; docs/protocol.md has the table of types.
 *
 * <p>Decoding is strict and total: whatever the text, it returns an envelope or throws a
 * {@link CourierException} (MALFORMED_JSON, INVALID_FIELD, MISSING_FIELD or UNSUPPORTED_FRAME). Ids
 * are JSON integers; strings, fractions and negatives are refused, never coerced. Encoding writes
 * unsigned ids as JSON numbers and leaves proto3 defaults out of content objects.
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

    /** Types the server sends but a client may not. */
    private static final Set<Integer> SERVER_ONLY = Set.of(ERROR, OK, PRESENCE, KICKED, LOGIN_OK, GROUP_REPLY,
            20, 21, 22, 23, 24, 25, 26, 27, 28);

    private final ObjectMapper reader;
    private final ObjectMapper writer;

    /** {@code mapper} writes the frames; parsing uses a mapper of its own with tighter limits. */
    public JsonFrames(ObjectMapper mapper) {
        this.writer = Objects.requireNonNull(mapper, "mapper");
        this.reader = JsonMapper.builder(JsonFactory.builder()
                        .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build())
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    // =============================================================================================
    // Decoding: client → server
    // =============================================================================================

    /**
     * Parses one client text frame. Throws {@link CourierException} with MALFORMED_JSON for text that
     * is not JSON (or nests deeper than {@value #MAX_DEPTH}), INVALID_FIELD or MISSING_FIELD (with the
     * field) for a frame of the wrong shape, UNSUPPORTED_FRAME for a type a client cannot send; never
     * any other exception.
     */
    public Envelope decode(String text) {
        try {
            JsonFields frame = JsonFields.of(parse(text));
            int type = type(frame);
            Envelope.Builder envelope = Envelope.newBuilder().setRequestId(frame.uint64("request_id"));
            switch (type) {
                case 0, JsonContents.TEXT -> envelope.setSend(directChat(frame, type));
                case JsonContents.GROUP_TEXT -> envelope.setSend(groupChat(frame, type));
                case JsonContents.IMAGE, JsonContents.VOICE, JsonContents.VIDEO, JsonContents.FILE,
                        JsonContents.LOCATION, JsonContents.CARD, JsonContents.CUSTOM -> envelope.setSend(mediaChat(frame, type));
                case READ -> envelope.setRead(read(frame));
                case REVOKE -> envelope.setRecall(revoke(frame));
                case TYPING -> envelope.setTyping(typing(frame));
                case DELIVERED -> envelope.setDelivered(delivered(frame));
                case ACK -> envelope.setDelivered(simpleImAck(frame));
                case SYNC -> envelope.setSync(sync(frame));
                case PULL -> envelope.setPull(pull(frame));
                case HISTORY -> envelope.setHistory(history(frame));
                case PRESENCE_QUERY -> envelope.setPresenceQuery(presenceQuery(frame));
                case HEARTBEAT -> envelope.setHeartbeat(heartbeat(frame));
                case GROUP_COMMAND -> envelope.setGroup(groupCommand(frame));
                default -> throw unsupported(type);
            }
            return envelope.build();
        } catch (CourierException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // a safety net: the readers above report every bad input themselves
            throw CourierException.of(ErrorCode.BAD_REQUEST, "The frame could not be read");
        }
    }

    /**
     * The {@code request_id} of a frame that {@link #decode} refused, when it has a readable one, so
     * that the error answers the request instead of leaving the client to time out; otherwise 0.
     */
    public long requestIdOf(String text) {
        try {
            return JsonFields.of(parse(text)).uint64("request_id");
        } catch (RuntimeException | StackOverflowError e) {
            return 0;
        }
    }

    private ObjectNode parse(String text) {
        JsonNode tree;
        try {
            tree = text == null ? null : reader.readTree(text);
        } catch (StreamConstraintsException e) {
            throw CourierException.of(ErrorCode.MALFORMED_JSON,
                    "The frame is beyond what the server reads (JSON nested over " + MAX_DEPTH + " levels, or a value too long)");
        } catch (JacksonException e) {
            throw CourierException.of(ErrorCode.MALFORMED_JSON, "The frame is not valid JSON: " + firstLine(e));
        }
        if (tree == null || tree.isMissingNode()) {
            throw CourierException.of(ErrorCode.MALFORMED_JSON, "The frame is empty");
        }
        if (!tree.isObject()) {
            throw CourierException.of(ErrorCode.INVALID_FIELD, "A frame must be a JSON object");
        }
        return (ObjectNode) tree;
    }

    /** The frame's type; a number that is no int is an unsupported type, not a malformed one. */
    private static int type(JsonFields frame) {
        JsonNode type = frame.raw("type");
        if (type == null) {
            throw frame.missing("type");
        }
        if (!type.isIntegralNumber()) {
            throw frame.invalid("type", "must be an integer");
        }
        if (!type.canConvertToInt()) {
            throw CourierException.of(ErrorCode.UNSUPPORTED_FRAME, "Unknown frame type " + abbreviate(type.asText()));
        }
        return type.intValue();
    }

    /**
     * 60: a group operation, {@code content} being the GroupCommand in the protobuf JSON mapping
     * (e.g. {@code {"group_id": 5, "kick": {"user_ids": [7]}}}; enums by name, in any case).
     */
    private static GroupCommand groupCommand(JsonFields frame) {
        JsonNode content = frame.raw("content");
        if (content == null || !content.isObject()) {
            throw frame.missing("content");
        }
        GroupCommand.Builder command = GroupCommand.newBuilder();
        try {
            JsonFormat.parser().merge(JsonProto.enumsUpperCased(content, GroupCommand.getDescriptor()).toString(), command);
        } catch (InvalidProtocolBufferException e) {
            throw CourierException.field(ErrorCode.INVALID_FIELD, "content", "Not a valid group command: " + e.getMessage());
        }
        if (command.getOpCase() == GroupCommand.OpCase.OP_NOT_SET) {
            throw CourierException.field(ErrorCode.MISSING_FIELD, "content", "A group command names its operation");
        }
        return command.build();
    }

    private static ObjectNode withContent(int type, ObjectNode content) {
        ObjectNode frame = frame(type);
        frame.set("content", content);
        return frame;
    }

    private static CourierException unsupported(int type) {
        return CourierException.of(ErrorCode.UNSUPPORTED_FRAME, SERVER_ONLY.contains(type)
                ? "Frame type " + type + " is sent by the server, never by a client"
                : "Unknown frame type " + type);
    }

    // ---- chat: types 0-2 and 4-10 ------------------------------------------------------------

    /** 0, 1: text to the user {@code to}. */
    private static SendMessage directChat(JsonFields frame, int type) {
        long to = frame.requiredId("to");
        return send(frame, type).setToUserId(to).build();
    }

    /** 2: text to the group {@code group_id}, or {@code to} as SimpleIM sends it. */
    private static SendMessage groupChat(JsonFields frame, int type) {
        long group = frame.uint64("group_id");
        if (group == 0 && !frame.has("to")) {
            throw frame.missing("group_id");
        }
        long toGroup = group != 0 ? group : frame.requiredId("to");
        return send(frame, type).setToGroupId(toGroup).build();
    }

    /** 4-10: to the group {@code group_id} when given (and not 0), else to the user {@code to}. */
    private static SendMessage mediaChat(JsonFields frame, int type) {
        long group = frame.uint64("group_id");
        if (group != 0) {
            return send(frame, type).setToGroupId(group).build();
        }
        long to = frame.requiredId("to");
        return send(frame, type).setToUserId(to).build();
    }

    /** What every chat frame has: the client's message id (may be absent) and the content. */
    private static SendMessage.Builder send(JsonFields frame, int type) {
        return SendMessage.newBuilder()
                .setClientMsgId(frame.string("message_id"))
                .setContent(JsonContents.decode(type, frame.requiredObject("content")));
    }

    // ---- receipts: 31, 32, 34 (fields in content, or at the top level) -----------------------

    private static MarkRead read(JsonFields frame) {
        JsonFields c = frame.objectWithFallback("content");
        long seq = c.has("seq") || !c.has("last_read_seq") ? c.requiredUint64("seq") : c.uint64("last_read_seq");
        return MarkRead.newBuilder().setConversationId(c.requiredString("conversation_id")).setSeq(seq).build();
    }

    private static Recall revoke(JsonFields frame) {
        JsonFields c = frame.objectWithFallback("content");
        return Recall.newBuilder().setConversationId(c.requiredString("conversation_id")).setSeq(c.requiredUint64("seq")).build();
    }

    private static Delivered delivered(JsonFields frame) {
        JsonFields c = frame.objectWithFallback("content");
        return Delivered.newBuilder().setConversationId(c.requiredString("conversation_id")).setSeq(c.requiredUint64("seq")).build();
    }

    /**
     * SimpleIM's delivery ack, {@code {"type":30,"content":{"message_id","status"}}}: the message's
     * (client) message id, or, as type 34 has them, its conversation_id and seq.
     */
    private static Delivered simpleImAck(JsonFields frame) {
        JsonFields c = frame.objectWithFallback("content");
        if (c.has("conversation_id")) {
            return delivered(frame);
        }
        return Delivered.newBuilder().setClientMsgId(c.requiredString("message_id")).build();
    }

    private static Typing typing(JsonFields frame) {
        long to = frame.requiredId("to");
        return Typing.newBuilder().setToUserId(to).setTyping(frame.object("content").bool("typing", true)).build();
    }

    // ---- sync and history: 40-42 ----------------------------------------------------------------

    private static SyncRequest sync(JsonFields frame) {
        return SyncRequest.newBuilder().putAllKnown(frame.object("content").uint64Map("known")).build();
    }

    private static PullRequest pull(JsonFields frame) {
        JsonFields c = frame.objectWithFallback("content");
        return PullRequest.newBuilder()
                .setConversationId(c.requiredString("conversation_id"))
                .setAfterSeq(c.uint64("after_seq"))
                .setLimit(c.uint32("limit"))
                .build();
    }

    private static HistoryRequest history(JsonFields frame) {
        JsonFields c = frame.objectWithFallback("content");
        return HistoryRequest.newBuilder()
                .setConversationId(c.requiredString("conversation_id"))
                .setBeforeSeq(c.uint64("before_seq"))
                .setLimit(c.uint32("limit"))
                .build();
    }

    // ---- presence and heartbeat: 50, 99 ---------------------------------------------------------

    private static PresenceQuery presenceQuery(JsonFields frame) {
        return PresenceQuery.newBuilder().addAllUserIds(frame.object("content").uint64List("user_ids")).build();
    }

    /** The client's clock is {@code timestamp}, or {@code content.timestamp} as SimpleIM's web app sends it. */
    private static Heartbeat heartbeat(JsonFields frame) {
        long clientTs = !frame.has("timestamp") && frame.raw("content") instanceof ObjectNode
                ? frame.object("content").int64("timestamp")
                : frame.int64("timestamp");
        return Heartbeat.newBuilder().setClientTs(clientTs).build();
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

    // ---- helpers ------------------------------------------------------------------------------

    private static String firstLine(JacksonException e) {
        String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 117) + "...";
    }
}
