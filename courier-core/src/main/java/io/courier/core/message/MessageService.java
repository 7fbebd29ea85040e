package io.courier.core.message;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.courier.core.auth.Principal;
import io.courier.core.delivery.ConnectionRegistry;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.limit.RateLimits;
import io.courier.core.friend.FriendStore;
import io.courier.core.group.Group;
import io.courier.core.group.GroupDirectory;
import io.courier.core.group.GroupStore;
import io.courier.core.group.Member;
import io.courier.core.user.UserStore;
import io.courier.protocol.v1.ConversationState;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.Messages;
import io.courier.protocol.v1.ReadReceipt;
import io.courier.protocol.v1.Recalled;
import io.courier.protocol.v1.SendAck;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.SyncResponse;
import io.courier.protocol.v1.Typing;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * 1:1 and group messaging: sending (checks, then the group-commit writer), delivery and read cursors with
 * read receipts, typing, recall, sync, pull and history. The sender of anything is always the
 * authenticated {@link Principal}, never a field of the request. Blocking (database reads): never
 * call it on an event loop.
 */
public final class MessageService {
    /** The most messages one pull or history page returns. */
    public static final int MAX_PAGE = 200;
    private static final int DEFAULT_PAGE = 50;

    private final MessageWriter writer;
    private final Cache<Long, Boolean> knownUsers = Caffeine.newBuilder().maximumSize(500_000).build();
    private final MessageStore store;
    private final CursorStore cursors;
    private final UserStore users;
    private final FriendStore friends;
    private final ConnectionRegistry registry;
    private final MessagingSettings settings;
    private final RateLimits limits;
    private final ContentRules rules;
    private final GroupStore groups;
    private final GroupDirectory directory;
    private final Clock clock;

    public MessageService(MessageWriter writer, MessageStore store, CursorStore cursors, UserStore users, FriendStore friends,
                          GroupStore groups, GroupDirectory directory, ConnectionRegistry registry, MessagingSettings settings,
                          RateLimits limits, Clock clock) {
        this.limits = limits;
        this.groups = groups;
        this.directory = directory;
        this.writer = writer;
        this.store = store;
        this.cursors = cursors;
        this.users = users;
        this.friends = friends;
        this.registry = registry;
        this.settings = settings;
        this.rules = new ContentRules(settings.maxTextLength());
        this.clock = clock;
    }

    /** Checks the send and queues it; the future completes with the ack once the message is durable. */
    public CompletableFuture<SendAck> send(Principal from, SendMessage send) {
        String clientMsgId = clientMsgId(send.getClientMsgId());
        if (send.getToGroupId() != 0) {
            limits.acquire(RateLimits.Kind.GROUP_MESSAGES, from.userId());
            return sendToGroup(from, send, clientMsgId);
        }
        limits.acquire(RateLimits.Kind.MESSAGES, from.userId());
        long to = send.getToUserId();
        if (to == 0) {
            throw CourierException.field(ErrorCode.MISSING_FIELD, "to_user_id", "A message names its recipient (to_user_id)");
        }
        if (to == from.userId()) {
            throw CourierException.of(ErrorCode.TARGET_IS_SELF);
        }
        rules.check(send.getContent());
        if (!userExists(to)) {
            throw CourierException.of(ErrorCode.USER_NOT_FOUND);
        }
        if (friends.isBlocked(to, from.userId())) {
            throw CourierException.of(ErrorCode.RECIPIENT_BLOCKED_YOU);
        }
        if (settings.requireFriendship() && !friends.areFriends(from.userId(), to)) {
            throw CourierException.of(ErrorCode.NOT_FRIENDS_CANNOT_SEND);
        }
        StoredMessage draft = new StoredMessage(ConversationId.ofUsers(from.userId(), to).value(), 0, 0, from.userId(), to, 0,
                clientMsgId, send.getContent(), 0, 0);
        return submit(draft, from);
    }

    /** Users are never deleted, so once seen a user id stays valid: only misses ask storage. */
    private boolean userExists(long userId) {
        if (knownUsers.getIfPresent(userId) != null) {
            return true;
        }
        boolean exists = users.findById(userId).isPresent();
        if (exists) {
            knownUsers.put(userId, Boolean.TRUE);
        }
        return exists;
    }

    /**
     * A group message: the sender must be a member, not muted, the group not dissolved, and when the
     * group is muted only the owner and admins speak; mentioning everyone is theirs too.
     */
    private CompletableFuture<SendAck> sendToGroup(Principal from, SendMessage send, String clientMsgId) {
        rules.check(send.getContent());
        long groupId = send.getToGroupId();
        Group group = groups.find(groupId).orElseThrow(() -> CourierException.of(ErrorCode.GROUP_NOT_FOUND));
        if (group.dissolved()) {
            throw CourierException.of(ErrorCode.GROUP_DISSOLVED);
        }
        Member me = groups.member(groupId, from.userId()).orElseThrow(() -> CourierException.of(ErrorCode.NOT_GROUP_MEMBER));
        if (me.mutedAt(clock.millis())) {
            throw CourierException.of(ErrorCode.MEMBER_MUTED, "You are muted in this group until " + java.time.Instant.ofEpochMilli(me.mutedUntil()));
        }
        if (group.muteAll() && !me.isAdminOrOwner()) {
            throw CourierException.of(ErrorCode.GROUP_MUTED_ALL);
        }
        if (send.getContent().hasText() && send.getContent().getText().getAtAll() && !me.isAdminOrOwner()) {
            throw CourierException.of(ErrorCode.GROUP_ROLE_FORBIDDEN, "Only the owner and admins may mention everyone");
        }
        StoredMessage draft = new StoredMessage(ConversationId.ofGroup(groupId).value(), 0, 0, from.userId(), 0, groupId,
                clientMsgId, send.getContent(), 0, 0);
        return submit(draft, from);
    }

    private CompletableFuture<SendAck> submit(StoredMessage draft, Principal from) {
        return writer.submit(draft, from.deviceId()).thenApply(outcome -> {
            StoredMessage m = outcome.message();
            return SendAck.newBuilder().setClientMsgId(m.clientMsgId()).setMessageId(m.messageId())
                    .setConversationId(m.conversationId()).setSeq(m.seq()).setServerTs(m.createdAt())
                    .setDuplicate(outcome.duplicate()).build();
        });
    }

    /** This device has everything of the conversation up to seq. */
    public void delivered(Principal who, String conversationId, long seq) {
        deliveredLater(who, conversationId, seq).join();
    }

    /**
     * Moves the device's delivered cursor; the future completes once it is stored (group-committed
     * with other devices' acknowledgements). Access is checked before this returns.
     */
    public CompletableFuture<Void> deliveredLater(Principal who, String conversationId, long seq) {
        ConversationId conversation = access(who, conversationId);
        return cursors.advanceDeliveredLater(who.userId(), who.deviceId(), conversation.value(),
                Math.min(seq, writer.lastSeq(conversation.value())));
    }

    /** The user read up to seq: the read cursor moves and the other party (and the user's other devices) are told. */
    public void read(Principal who, String conversationId, long seq) {
        ConversationId conversation = access(who, conversationId);
        long upTo = Math.min(seq, writer.lastSeq(conversation.value()));
        if (upTo > 0 && cursors.advanceRead(who.userId(), conversation.value(), upTo)) {
            Envelope receipt = Envelope.newBuilder().setReadReceipt(ReadReceipt.newBuilder()
                    .setConversationId(conversation.value()).setReaderId(who.userId()).setSeq(upTo)).build();
            if (conversation.isPrivate()) {
                registry.pushTo(conversation.peerOf(who.userId()), null, receipt);
            }
            // In a group, readers are counted on request (read state), not announced to everyone.
            registry.pushTo(who.userId(), who.deviceId(), receipt);
        }
    }

    /** Relays a typing indicator to the other party's devices; nothing is stored. Silently dropped when blocked. */
    public void typing(Principal who, long toUserId, boolean typing) {
        if (toUserId == who.userId() || toUserId <= 0) {
            throw CourierException.of(ErrorCode.TARGET_IS_SELF);
        }
        if (!registry.isOnline(toUserId) || friends.isBlocked(toUserId, who.userId())) {
            return;
        }
        registry.pushTo(toUserId, null, Envelope.newBuilder().setTyping(Typing.newBuilder()
                .setFromUserId(who.userId()).setToUserId(toUserId).setTyping(typing)
                .setConversationId(ConversationId.ofUsers(who.userId(), toUserId).value())).build());
    }

    /** The sender takes a message back within the recall window; everyone in the conversation is told. */
    public Recalled recall(Principal who, String conversationId, long seq) {
        ConversationId conversation = access(who, conversationId);
        StoredMessage m = store.find(conversation.value(), seq).orElseThrow(() -> CourierException.of(ErrorCode.MESSAGE_NOT_FOUND));
        if (m.senderId() != who.userId() || m.content().hasEvent()) {
            throw CourierException.of(ErrorCode.RECALL_NOT_ALLOWED);
        }
        if (!conversation.isPrivate() && groups.find(conversation.groupId()).map(Group::dissolved).orElse(true)) {
            throw CourierException.of(ErrorCode.GROUP_DISSOLVED);
        }
        long now = clock.millis();
        if (!m.recalled() && now - m.createdAt() > settings.recallWindow().toMillis()) {
            throw CourierException.of(ErrorCode.RECALL_WINDOW_PASSED);
        }
        long at = m.recalled() ? m.recalledAt() : now;
        if (!m.recalled()) {
            store.recall(conversation.value(), seq, at);
        }
        Recalled recalled = Recalled.newBuilder().setConversationId(conversation.value()).setSeq(seq)
                .setMessageId(m.messageId()).setByUserId(who.userId()).setRecalledAt(at).build();
        Envelope push = Envelope.newBuilder().setRecalled(recalled).build();
        if (conversation.isPrivate()) {
            registry.pushTo(conversation.peerOf(who.userId()), null, push);
        } else {
            for (long member : directory.membersOf(conversation.groupId())) {
                if (member != who.userId()) {
                    registry.pushTo(member, null, push);
                }
            }
        }
        registry.pushTo(who.userId(), who.deviceId(), push);
        return recalled;
    }

    /** The conversations whose last seq is above what the device says it knows, with unread counts and a preview. */
    public SyncResponse sync(Principal who, Map<String, Long> known) {
        List<ConversationEntry> changed = store.conversationsOf(who.userId(), 1_000).stream()
                .filter(e -> e.lastSeq() > known.getOrDefault(e.conversationId(), 0L))
                .toList();
        Map<String, Long> delivered = changed.isEmpty() ? Map.of() : cursors.deliveredOf(who.userId(), who.deviceId());
        Map<String, Long> positions = changed.stream().collect(Collectors.toMap(ConversationEntry::conversationId,
                e -> Math.min(position(e, delivered), e.lastSeq()), (a, b) -> a));
        List<ConversationState> states = states(who.userId(), changed).stream()
                .map(s -> s.toBuilder().setDeliveredSeq(positions.get(s.getConversationId())).build())
                .toList();
        return SyncResponse.newBuilder().addAllConversations(states).setServerTs(clock.millis()).build();
    }

    /** The user's conversation list (HTTP), most recent first. */
    public List<ConversationState> conversations(long userId, int limit) {
        return states(userId, store.conversationsOf(userId, Math.clamp(limit, 1, 1_000)));
    }

    public Messages pull(Principal who, String conversationId, long afterSeq, int limit) {
        return pull(who.userId(), conversationId, afterSeq, limit);
    }

    public Messages pull(long userId, String conversationId, long afterSeq, int limit) {
        ConversationId conversation = access(userId, conversationId);
        int size = page(limit);
        List<StoredMessage> page = store.after(conversation.value(), afterSeq, size + 1);
        return messages(conversation.value(), page, size);
    }

    /** Newest first, before {@code beforeSeq} (0: from the newest). */
    public Messages history(long userId, String conversationId, long beforeSeq, int limit) {
        return history(userId, conversationId, beforeSeq, limit, true);
    }

    /** With {@code events} false, chat messages only: a group's timeline events are left out of the page. */
    public Messages history(long userId, String conversationId, long beforeSeq, int limit, boolean events) {
        ConversationId conversation = access(userId, conversationId);
        int size = page(limit);
        long before = beforeSeq <= 0 ? Long.MAX_VALUE : beforeSeq;
        List<StoredMessage> page = events ? store.before(conversation.value(), before, size + 1)
                : store.chatBefore(conversation.value(), before, size + 1);
        return messages(conversation.value(), page, size);
    }

    /**
     * What this device has not yet acknowledged, oldest first within each conversation, at most
     * {@code max} in all: pushed right after login, so offline messages arrive without a request.
     * A device that gets {@code max} should sync and pull for the rest.
     */
    public List<Message> undelivered(Principal who, int max) {
        Map<String, Long> delivered = cursors.deliveredOf(who.userId(), who.deviceId());
        List<Message> out = new ArrayList<>();
        for (ConversationEntry e : store.conversationsOf(who.userId(), 1_000)) {
            long cursor = position(e, delivered);
            while (cursor < e.lastSeq() && out.size() < max) {
                List<StoredMessage> page = store.after(e.conversationId(), cursor, Math.min(max - out.size(), MAX_PAGE));
                if (page.isEmpty()) {
                    break;
                }
                page.forEach(m -> out.add(m.toProto()));
                cursor = page.getLast().seq();
            }
            if (out.size() >= max) {
                break;
            }
        }
        return out;
    }

    /**
     * Where this device stands in each of the user's conversations: everything up to the position has reached it
     * (its delivered cursor, or a group's join point when that is later). {@link #undelivered} starts after it.
     */
    public Map<String, Long> deliveredPositions(Principal who) {
        Map<String, Long> delivered = cursors.deliveredOf(who.userId(), who.deviceId());
        return store.conversationsOf(who.userId(), 1_000).stream()
                .collect(Collectors.toMap(ConversationEntry::conversationId, e -> position(e, delivered), (a, b) -> a));
    }

    private static long position(ConversationEntry e, Map<String, Long> delivered) {
        return Math.max(delivered.getOrDefault(e.conversationId(), 0L), e.floorSeq());
    }

    private List<ConversationState> states(long userId, List<ConversationEntry> entries) {
        if (entries.isEmpty()) {
            return List.of();
        }
        Map<String, Long> read = cursors.readOf(userId);
        Map<String, StoredMessage> latest = store.latest(entries.stream().map(ConversationEntry::conversationId).toList())
                .stream().collect(Collectors.toMap(StoredMessage::conversationId, Function.identity(), (a, b) -> a));
        List<ConversationState> states = new ArrayList<>(entries.size());
        for (ConversationEntry e : entries) {
            ConversationId id = ConversationId.parse(e.conversationId());
            long readSeq = Math.min(Math.max(read.getOrDefault(e.conversationId(), 0L), e.floorSeq()), e.lastSeq());
            ConversationState.Builder s = ConversationState.newBuilder()
                    .setConversationId(e.conversationId())
                    .setLastSeq(e.lastSeq())
                    .setReadSeq(readSeq)
                    .setUnread(e.lastSeq() - readSeq)
                    .setMentioned(e.mentionSeq() > readSeq)
                    .setUpdatedAt(e.updatedAt());
            if (id.isPrivate()) {
                s.setPeerUserId(id.peerOf(userId));
            } else {
                s.setGroupId(id.groupId());
            }
            StoredMessage last = latest.get(e.conversationId());
            if (last != null) {
                s.setLastMessage(last.toProto());
            }
            states.add(s.build());
        }
        return states;
    }

    private static Messages messages(String conversationId, List<StoredMessage> page, int size) {
        Messages.Builder b = Messages.newBuilder().setConversationId(conversationId).setHasMore(page.size() > size);
        page.stream().limit(size).forEach(m -> b.addMessages(m.toProto()));
        return b.build();
    }

    private ConversationId access(Principal who, String conversationId) {
        return access(who.userId(), conversationId);
    }

    /** The conversation, if the user is part of it (a party, or a member of the group); otherwise it does not exist for them. */
    private ConversationId access(long userId, String conversationId) {
        ConversationId id = ConversationId.parse(conversationId);
        boolean part = id.isPrivate() ? id.includes(userId) : groups.member(id.groupId(), userId).isPresent();
        if (!part) {
            throw CourierException.of(ErrorCode.CONVERSATION_NOT_FOUND);
        }
        return id;
    }

    /** 0 means the default; anything above the maximum (a uint32 past 2^31 arrives negative) means the maximum. */
    private static int page(int limit) {
        if (limit == 0) {
            return DEFAULT_PAGE;
        }
        return limit < 0 ? MAX_PAGE : Math.min(limit, MAX_PAGE);
    }

    private static String clientMsgId(String given) {
        if (given.isEmpty()) {
            return UUID.randomUUID().toString();
        }
        if (given.length() > 64) {
            throw CourierException.field(ErrorCode.CLIENT_MSG_ID_INVALID, "client_msg_id", ErrorCode.CLIENT_MSG_ID_INVALID.message());
        }
        for (int i = 0; i < given.length(); i++) { // a loop, not chars(): this runs for every message
            char ch = given.charAt(i);
            if (ch <= 32 || ch >= 127) {
                throw CourierException.field(ErrorCode.CLIENT_MSG_ID_INVALID, "client_msg_id", ErrorCode.CLIENT_MSG_ID_INVALID.message());
            }
        }
        return given;
    }
}
