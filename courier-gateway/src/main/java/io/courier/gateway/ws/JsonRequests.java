package io.courier.gateway.ws;

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
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.protocol.v1.Delivered;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.GroupCommand;
import io.courier.protocol.v1.Heartbeat;
import io.courier.protocol.v1.HistoryRequest;
import io.courier.protocol.v1.MarkRead;
import io.courier.protocol.v1.PresenceQuery;
import io.courier.protocol.v1.PullRequest;
import io.courier.protocol.v1.Recall;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.SyncRequest;
import io.courier.protocol.v1.Typing;

import java.util.Set;

import static io.courier.gateway.ws.JsonFrames.ACK;
import static io.courier.gateway.ws.JsonFrames.DELIVERED;
import static io.courier.gateway.ws.JsonFrames.ERROR;
import static io.courier.gateway.ws.JsonFrames.GROUP_COMMAND;
import static io.courier.gateway.ws.JsonFrames.GROUP_REPLY;
import static io.courier.gateway.ws.JsonFrames.HEARTBEAT;
import static io.courier.gateway.ws.JsonFrames.HISTORY;
import static io.courier.gateway.ws.JsonFrames.KICKED;
import static io.courier.gateway.ws.JsonFrames.LOGIN_OK;
import static io.courier.gateway.ws.JsonFrames.MAX_DEPTH;
import static io.courier.gateway.ws.JsonFrames.OK;
import static io.courier.gateway.ws.JsonFrames.PRESENCE;
import static io.courier.gateway.ws.JsonFrames.PRESENCE_QUERY;
import static io.courier.gateway.ws.JsonFrames.PULL;
import static io.courier.gateway.ws.JsonFrames.READ;
import static io.courier.gateway.ws.JsonFrames.REVOKE;
import static io.courier.gateway.ws.JsonFrames.SYNC;
import static io.courier.gateway.ws.JsonFrames.TYPING;

/**
 * The decoding half of {@link JsonFrames}: client text frames into {@link Envelope}s, strict and
 * total. Whatever the text, it returns an envelope or throws a {@link CourierException}
 * (MALFORMED_JSON, INVALID_FIELD, MISSING_FIELD or UNSUPPORTED_FRAME). Ids may be JSON integers or
 * strings of digits ({@link io.courier.gateway.http.JsonIds}); other values are refused, never coerced.
 */
final class JsonRequests {
    /** Types the server sends but a client may not. */
    private static final Set<Integer> SERVER_ONLY = Set.of(ERROR, OK, PRESENCE, KICKED, LOGIN_OK, GROUP_REPLY,
            20, 21, 22, 23, 24, 25, 26, 27, 28);

    /** Parsing has a mapper of its own, with tighter limits than the one that writes. */
    private final ObjectMapper reader = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

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
