package io.courier.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.gateway.ws.JsonFrames;
import io.courier.protocol.v1.ConversationState;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Message;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages and conversations in the HTTP API's JSON: a message has the shape of its WebSocket push
 * (one rendering, {@link JsonFrames}), plus SimpleIM's {@code status}, {@code revoked} and
 * {@code created_at} (the same time as {@code timestamp}).
 */
final class MessageJson {
    private final JsonFrames frames;
    private final ObjectMapper json;

    MessageJson(JsonFrames frames, ObjectMapper json) {
        this.frames = frames;
        this.json = json;
    }

    /** {@code {conversation_id, messages, has_more}}. */
    Map<String, Object> page(String conversationId, List<Message> messages, boolean hasMore) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("conversation_id", conversationId);
        data.put("messages", messages.stream().map(this::message).toList());
        data.put("has_more", hasMore);
        return data;
    }

    JsonNode message(Message m) {
        ObjectNode node = (ObjectNode) tree(Envelope.newBuilder().setMessage(m).build());
        node.put("status", m.getRecalled() ? "revoked" : "sent");
        node.put("revoked", m.getRecalled());
        node.put("created_at", m.getServerTs());
        return node;
    }

    JsonNode conversation(ConversationState c) {
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
}
