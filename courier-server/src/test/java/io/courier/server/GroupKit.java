package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.ConversationState;
import io.courier.protocol.v1.Empty;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.GroupCommand;
import io.courier.protocol.v1.GroupEvent;
import io.courier.protocol.v1.GroupReply;
import io.courier.protocol.v1.Heartbeat;
import io.courier.protocol.v1.HistoryRequest;
import io.courier.protocol.v1.MarkRead;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.SyncRequest;
import io.courier.protocol.v1.Text;
import io.courier.server.HttpApi.Account;
import io.courier.server.HttpApi.Reply;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static io.courier.server.HttpApi.obj;

/**
 * Steps the group tests share, over the same sockets a client uses: native group commands, group
 * sends, event matching, history in timeline order, and the HTTP calls that set groups up.
 */
final class GroupKit {
    private static final AtomicLong CLIENT_IDS = new AtomicLong();

    private GroupKit() {
    }

    static String conversation(long groupId) {
        return "g:" + groupId;
    }

    // ---- native ---------------------------------------------------------------------------------

    /**
     * Logs in over native TCP and waits until the device is fully online: the login answer comes
     * before the login backlog, and a heartbeat is answered only after it (a device's requests run in
     * order), so live pushes from here on are the device's only news.
     */
    static NativeClient online(int port, String token) {
        NativeClient c = NativeClient.login(port, token);
        Envelope beat = c.request(Envelope.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()));
        if (!beat.hasHeartbeat()) {
            c.close();
            throw new AssertionError("heartbeat after login failed: " + beat);
        }
        return c;
    }

    /** Runs a group command and returns the answer (a group_reply or an error). */
    static Envelope command(NativeClient c, long groupId, GroupCommand.Builder command) {
        return c.request(Envelope.newBuilder().setGroup(command.setGroupId(groupId)));
    }

    /** A group command that must succeed. */
    static GroupReply ok(NativeClient c, long groupId, GroupCommand.Builder command) {
        Envelope answer = command(c, groupId, command);
        if (!answer.hasGroupReply()) {
            throw new AssertionError("group command " + command.getOpCase() + " failed: " + answer);
        }
        return answer.getGroupReply();
    }

    /** 0 for a successful answer, else the error code. */
    static int code(Envelope answer) {
        return answer.hasError() ? answer.getError().getCode() : 0;
    }

    static GroupCommand.Builder get() {
        return GroupCommand.newBuilder().setGet(Empty.getDefaultInstance());
    }

    static Envelope send(NativeClient c, long groupId, Text.Builder text) {
        return c.request(Envelope.newBuilder().setSend(SendMessage.newBuilder().setToGroupId(groupId)
                .setClientMsgId("g-" + CLIENT_IDS.incrementAndGet()).setContent(Content.newBuilder().setText(text))));
    }

    static Envelope sendText(NativeClient c, long groupId, String text) {
        return send(c, groupId, Text.newBuilder().setText(text));
    }

    /** A group send that must succeed; returns its seq. */
    static long sent(NativeClient c, long groupId, String text) {
        Envelope ack = sendText(c, groupId, text);
        if (!ack.hasSendAck()) {
            throw new AssertionError("send to group " + groupId + " failed: " + ack);
        }
        return ack.getSendAck().getSeq();
    }

    static Envelope markRead(NativeClient c, long groupId, long seq) {
        return c.request(Envelope.newBuilder().setRead(MarkRead.newBuilder().setConversationId(conversation(groupId)).setSeq(seq)));
    }

    static Envelope history(NativeClient c, long groupId) {
        return c.request(Envelope.newBuilder().setHistory(HistoryRequest.newBuilder().setConversationId(conversation(groupId))
                .setLimit(200)));
    }

    /** The group's conversation entry in a full sync, if listed. */
    static Optional<ConversationState> synced(NativeClient c, long groupId) {
        Envelope sync = c.request(Envelope.newBuilder().setSync(SyncRequest.getDefaultInstance()));
        if (!sync.hasSyncResult()) {
            throw new AssertionError("sync failed: " + sync);
        }
        List<ConversationState> mine = sync.getSyncResult().getConversationsList().stream()
                .filter(s -> s.getConversationId().equals(conversation(groupId))).toList();
        if (mine.size() > 1) {
            throw new AssertionError("the group is listed " + mine.size() + " times: " + mine);
        }
        return mine.stream().findFirst();
    }

    static boolean isEvent(Envelope e, long groupId, GroupEvent.Type type) {
        return e.hasMessage() && e.getMessage().getGroupId() == groupId && e.getMessage().getContent().hasEvent()
                && e.getMessage().getContent().getEvent().getType() == type;
    }

    /** Waits for the push of an event of the group. */
    static Message awaitEvent(NativeClient c, long groupId, GroupEvent.Type type) {
        return c.await(e -> isEvent(e, groupId, type)).getMessage();
    }

    /** Waits for the push of a chat message with this seq in the group. */
    static Message awaitSeq(NativeClient c, long groupId, long seq) {
        return c.await(e -> e.hasMessage() && e.getMessage().getGroupId() == groupId && e.getMessage().getSeq() == seq).getMessage();
    }

    /** Asserts that no event of this type of the group arrives within a short while. */
    static void noEvent(NativeClient c, long groupId, GroupEvent.Type type) {
        try {
            Envelope e = c.await(x -> isEvent(x, groupId, type), Duration.ofMillis(300));
            throw new AssertionError("unexpected " + type + " event: " + e);
        } catch (AssertionError expected) {
            if (!expected.getMessage().startsWith("no matching frame")) {
                throw expected;
            }
        }
    }

    // ---- HTTP -------------------------------------------------------------------------------------

    /** Creates a group over HTTP and returns its id. */
    static long create(HttpApi api, Account owner, String policy, Account... members) {
        Reply r = api.post("/api/groups", obj("name", "group of " + owner.username(), "join_policy", policy,
                "member_ids", Arrays.stream(members).map(Account::id).toList()), owner.token());
        if (r.status() != 200 || r.code() != 0) {
            throw new AssertionError("create group: " + r);
        }
        return r.data().get("group_id").asLong();
    }

    /** A call that must succeed; returns data. */
    static JsonNode okHttp(Reply r) {
        if (r.status() != 200 || r.code() != 0) {
            throw new AssertionError("expected success: " + r);
        }
        return r.data();
    }

    /** The whole group history over HTTP with its timeline events, oldest first (the route pages newest first). */
    static List<JsonNode> httpHistory(HttpApi api, String token, long groupId) {
        return httpHistory(api, token, "/api/messages/group/" + groupId + "?events=true");
    }

    /** The whole history behind a history route ({@code /api/messages/private/{id}} too), oldest first. */
    static List<JsonNode> httpHistory(HttpApi api, String token, String route) {
        List<JsonNode> newestFirst = new ArrayList<>();
        long before = 0;
        while (true) {
            Reply r = api.get(route + (route.contains("?") ? "&" : "?") + "limit=200" + (before > 0 ? "&last_seq=" + before : ""), token);
            JsonNode data = okHttp(r);
            data.get("messages").forEach(newestFirst::add);
            if (!data.get("has_more").asBoolean()) {
                break;
            }
            before = newestFirst.getLast().get("seq").asLong();
        }
        return newestFirst.reversed();
    }

    /** The JSON frame type of an event: 20 (created) to 28 (dissolved). */
    static int jsonType(GroupEvent.Type type) {
        return 19 + type.getNumber();
    }

    /** A user's entry for the group in GET /api/conversations, or null. */
    static JsonNode httpConversation(HttpApi api, Account user, long groupId) {
        JsonNode found = null;
        for (JsonNode c : okHttp(api.get("/api/conversations", user.token())).get("conversations")) {
            if (c.path("conversation_id").asText().equals(conversation(groupId))) {
                if (found != null) {
                    throw new AssertionError("the group is listed twice for " + user.username());
                }
                found = c;
            }
        }
        return found;
    }
}
