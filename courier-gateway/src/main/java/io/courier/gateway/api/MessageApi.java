package io.courier.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.core.auth.Principal;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.message.ConversationId;
import io.courier.core.message.MessageService;
import io.courier.core.message.OfflineMessages;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

import static io.courier.gateway.http.Router.Access.AUTHENTICATED;

/**
 * Sending, history, the conversation list and offline messages over HTTP ({@link MessageJson} for
 * the shapes). SimpleIM's history routes carry chat messages only, as its app shows anything else
 * as raw JSON; Courier's own route keeps a group's timeline events.
 */
public final class MessageApi {
    private final MessageService messages;
    private final OfflineMessages offline;
    private final MessageJson views;

    public MessageApi(MessageService messages, OfflineMessages offline, JsonFrames frames, ObjectMapper json) {
        this.messages = messages;
        this.offline = offline;
        this.views = new MessageJson(frames, json);
    }

    /** {@code POST /api/offline/ack}: server message ids. */
    record AckBody(List<Long> messageIds) {
    }

    /** {@code POST /api/messages}: exactly one of the recipients; text and mentions as a text message has them. */
    record SendBody(Long toUserId, Long toGroupId, String clientMsgId, String text, List<Long> atUserIds, Boolean atAll) {
    }

    public void routes(io.courier.gateway.http.Router router) {
        router.post("/api/messages", AUTHENTICATED, r -> ApiResponse.ok(ack(stored(r.principal(), send(r.body(SendBody.class))))))
                .get("/api/messages/private/{user_id}", AUTHENTICATED, r -> simpleImHistory(r,
                        ConversationId.ofUsers(r.principal().userId(), r.pathId("user_id")).value()))
                .get("/api/messages/group/{group_id}", AUTHENTICATED, r -> simpleImHistory(r,
                        ConversationId.ofGroup(r.pathId("group_id")).value()))
                .get("/api/messages/conversation/{conversation_id}", AUTHENTICATED, r -> simpleImHistory(r,
                        r.pathParam("conversation_id")))
                .get("/api/conversations", AUTHENTICATED, r -> {
            List<ConversationState> list = messages.conversations(r.principal().userId(), r.queryInt("limit", 100, 1, 1_000));
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("total", list.size());
            data.put("conversations", list.stream().map(views::conversation).toList());
            return ApiResponse.ok(data);
        }).get("/api/conversations/{conversation_id}/messages", AUTHENTICATED, r -> {
            long me = r.principal().userId();
            String after = r.query("after_seq");
            Messages page = after != null
                    ? messages.pull(me, r.pathParam("conversation_id"), lastSeq(r, "after_seq"), limit(r))
                    : messages.history(me, r.pathParam("conversation_id"), lastSeq(r, "before_seq"), limit(r));
            return ApiResponse.ok(views.page(page.getConversationId(), page.getMessagesList(), page.getHasMore()));
        });
        offlineRoutes(router);
    }

    /** SimpleIM's offline messages: what others sent that this device has not been delivered. */
    private void offlineRoutes(io.courier.gateway.http.Router router) {
        router.get("/api/offline/messages", AUTHENTICATED, r -> {
            int limit = r.queryInt("limit", 100, 1, OfflineMessages.MAX_PAGE);
            List<Message> waiting = offline.list(r.principal(), limit + 1);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("messages", waiting.stream().limit(limit).map(views::message).toList());
            data.put("has_more", waiting.size() > limit);
            return ApiResponse.ok(data);
        }).get("/api/offline/count", AUTHENTICATED, r -> ApiResponse.ok(Map.of("count", offline.count(r.principal()))))
                .get("/api/offline/summary", AUTHENTICATED, r -> {
            List<OfflineMessages.Waiting> waiting = offline.summary(r.principal());
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("total", waiting.stream().mapToLong(OfflineMessages.Waiting::count).sum());
            data.put("conversations", waiting.stream().map(w -> {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("conversation_id", w.conversationId());
                c.put("count", w.count());
                if (w.newest() != null) {
                    c.put("last_message", views.message(w.newest()));
                }
                return c;
            }).toList());
            return ApiResponse.ok(data);
        }).post("/api/offline/ack", AUTHENTICATED, r -> {
            List<Long> ids = r.body(AckBody.class).messageIds();
            if (ids == null || ids.isEmpty()) {
                throw CourierException.field(ErrorCode.MISSING_FIELD, "message_ids", "Field 'message_ids' is required");
            }
            if (ids.size() > OfflineMessages.MAX_PAGE) {
                throw CourierException.field(ErrorCode.INVALID_FIELD, "message_ids",
                        "At most " + OfflineMessages.MAX_PAGE + " message ids at a time");
            }
            List<Long> notFound = offline.ack(r.principal(), ids);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("acked", ids.size() - notFound.size());
            data.put("not_found_ids", notFound);
            return ApiResponse.ok(data);
        });
    }

    /**
     * A history page of SimpleIM's routes, newest first before {@code last_seq}: chat messages only,
     * unless {@code ?events=true} asks for a group's timeline events too.
     */
    private ApiResponse simpleImHistory(ApiRequest r, String conversation) {
        boolean events = "true".equalsIgnoreCase(r.query("events"));
        Messages page = messages.history(r.principal().userId(), conversation, lastSeq(r, "last_seq"), limit(r), events);
        return ApiResponse.ok(views.page(page.getConversationId(), page.getMessagesList(), page.getHasMore()));
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

    private static long lastSeq(ApiRequest r, String name) {
        return r.queryInt(name, 0, 0, Integer.MAX_VALUE);
    }

    private static int limit(ApiRequest r) {
        return r.queryInt("limit", 50, 1, MessageService.MAX_PAGE);
    }
}
