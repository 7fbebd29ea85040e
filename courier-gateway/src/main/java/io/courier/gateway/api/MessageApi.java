package io.courier.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.core.auth.Principal;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.message.ConversationId;
import io.courier.core.message.MessageService;
import io.courier.gateway.http.ApiRequest;
import io.courier.gateway.http.ApiResponse;
import io.courier.gateway.ws.JsonFrames;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.ConversationState;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.Messages;
import io.courier.protocol.v1.SendAck;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.Text;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static io.courier.gateway.http.Router.Access.AUTHENTICATED;

/**
 * Sending, history and the conversation list over HTTP. Messages have the same JSON shape as WebSocket
 * pushes (one rendering, {@link JsonFrames}), plus SimpleIM's {@code status} and {@code revoked}.
 */
public final class MessageApi {
    private final MessageService messages;
    private final JsonFrames frames;
    private final ObjectMapper json;

    public MessageApi(MessageService messages, JsonFrames frames, ObjectMapper json) {
        this.messages = messages;
        this.frames = frames;
        this.json = json;
    }

    /** {@code POST /api/messages}: exactly one of the recipients; text and mentions as a text message has them. */
    record SendBody(Long toUserId, Long toGroupId, String clientMsgId, String text, List<Long> atUserIds, Boolean atAll) {
    }

    public void routes(io.courier.gateway.http.Router router) {
        router.post("/api/messages", AUTHENTICATED, r -> ApiResponse.ok(ack(stored(r.principal(), send(r.body(SendBody.class))))))
                .get("/api/messages/private/{user_id}", AUTHENTICATED, r -> {
            long me = r.principal().userId();
            String conversation = ConversationId.ofUsers(me, r.pathId("user_id")).value();
            return page(messages.history(me, conversation, lastSeq(r, "last_seq"), limit(r)));
        }).get("/api/messages/group/{group_id}", AUTHENTICATED, r -> {
            long me = r.principal().userId();
            String conversation = ConversationId.ofGroup(r.pathId("group_id")).value();
            return page(messages.history(me, conversation, lastSeq(r, "last_seq"), limit(r)));
        }).get("/api/conversations", AUTHENTICATED, r -> {
            List<ConversationState> list = messages.conversations(r.principal().userId(), r.queryInt("limit", 100, 1, 1_000));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("total", list.size());
            data.put("conversations", list.stream().map(this::conversation).toList());
            return ApiResponse.ok(data);
        }).get("/api/conversations/{conversation_id}/messages", AUTHENTICATED, r -> {
            long me = r.principal().userId();
            String after = r.query("after_seq");
            Messages page = after != null
                    ? messages.pull(me, r.pathParam("conversation_id"), lastSeq(r, "after_seq"), limit(r))
                    : messages.history(me, r.pathParam("conversation_id"), lastSeq(r, "before_seq"), limit(r));
            return page(page);
        });
    }

    /**
     * The send as the other protocols make it: the same rules, limits and dedup by client message
     * id (a retry with the same id is answered with the first ack and {@code duplicate: true}).
     */
    private static SendMessage send(SendBody b) {
        boolean toUser = b.toUserId() != null && b.toUserId() != 0;
        boolean toGroup = b.toGroupId() != null && b.toGroupId() != 0;
        if (toUser == toGroup) {
            throw toUser
                    ? CourierException.field(ErrorCode.INVALID_FIELD, "to_group_id", "A message goes to_user_id or to_group_id, not both")
                    : CourierException.field(ErrorCode.MISSING_FIELD, "to_user_id", "A message names to_user_id or to_group_id");
        }
        Text.Builder text = Text.newBuilder().setText(ApiRequest.require(b.text(), "text"));
        if (b.atUserIds() != null) {
            text.addAllAtUserIds(b.atUserIds());
        }
        text.setAtAll(Boolean.TRUE.equals(b.atAll()));
        SendMessage.Builder send = SendMessage.newBuilder()
                .setClientMsgId(b.clientMsgId() == null ? "" : b.clientMsgId())
                .setContent(Content.newBuilder().setText(text));
        return (toUser ? send.setToUserId(b.toUserId()) : send.setToGroupId(b.toGroupId())).build();
    }

    /** Answers once the message is durable, as every protocol's ack does. */
    private SendAck stored(Principal me, SendMessage send) {
        try {
            return messages.send(me, send).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static Map<String, Object> ack(SendAck ack) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("message_id", ack.getMessageId());
        data.put("client_msg_id", ack.getClientMsgId());
        data.put("conversation_id", ack.getConversationId());
        data.put("seq", ack.getSeq());
        data.put("server_ts", ack.getServerTs());
        data.put("duplicate", ack.getDuplicate());
        return data;
    }

    private ApiResponse page(Messages page) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conversation_id", page.getConversationId());
        data.put("messages", page.getMessagesList().stream().map(this::message).toList());
        data.put("has_more", page.getHasMore());
        return ApiResponse.ok(data);
    }

    private JsonNode message(Message m) {
        ObjectNode node = (ObjectNode) tree(Envelope.newBuilder().setMessage(m).build());
        node.put("status", m.getRecalled() ? "revoked" : "sent");
        node.put("revoked", m.getRecalled());
        return node;
    }

    private JsonNode conversation(ConversationState c) {
        ObjectNode node = json.createObjectNode();
        node.put("conversation_id", c.getConversationId());
        if (c.getPeerUserId() != 0) {
            node.put("peer_user_id", c.getPeerUserId());
        }
        if (c.getGroupId() != 0) {
            node.put("group_id", c.getGroupId());
        }
        node.put("last_seq", c.getLastSeq());
        node.put("read_seq", c.getReadSeq());
        node.put("unread", c.getUnread());
        node.put("mentioned", c.getMentioned());
        node.put("updated_at", c.getUpdatedAt());
        if (c.hasLastMessage()) {
            node.set("last_message", message(c.getLastMessage()));
        }
        return node;
    }

    private JsonNode tree(Envelope envelope) {
        try {
            return json.readTree(frames.encode(envelope));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long lastSeq(ApiRequest r, String name) {
        return r.queryInt(name, 0, 0, Integer.MAX_VALUE);
    }

    private static int limit(ApiRequest r) {
        return r.queryInt("limit", 50, 1, MessageService.MAX_PAGE);
    }
}
