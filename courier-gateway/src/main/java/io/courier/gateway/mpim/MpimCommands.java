package io.courier.gateway.mpim;

import io.courier.core.auth.Principal;
import io.courier.core.error.CourierException;
import io.courier.core.friend.FriendService;
import io.courier.core.friend.RequestState;
import io.courier.core.group.GroupService;
import io.courier.core.message.MessageService;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.JoinPolicy;
import io.courier.protocol.v1.SendAck;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.Text;

import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import static io.courier.gateway.mpim.Replies.answer;

/**
 * The commands of a logged-in line client, translated onto the same core operations every protocol uses:
 * chats, friends, groups. The caller is always the logged-in user, never a field of the line. Each returns
 * its answer line, or throws the one line a failure gets ({@link Replies.Answer}, or a CourierException
 * for the general form). Blocking: runs on the connection's request queue.
 */
final class MpimCommands {
    private final MessageService messages;
    private final FriendService friends;
    private final GroupService groups;
    private final boolean instantFriends;

    /** @param instantFriends ADDFRIEND befriends at once, as in MPIM ({@code mpim.instant-friends}); else it asks */
    MpimCommands(MessageService messages, FriendService friends, GroupService groups, boolean instantFriends) {
        this.messages = messages;
        this.friends = friends;
        this.groups = groups;
        this.instantFriends = instantFriends;
    }

    /** {@code SEND <toUid> <text>}: a 1:1 text message with a client message id made up per line. */
    SendAck send(Principal me, CommandLine line) {
        String text = line.afterFirst();
        if (line.first().isEmpty() || text.isEmpty()) {
            throw answer(Replies.USAGE_SEND);
        }
        long to = CommandLine.id(line.first());
        if (to < 0) {
            throw answer(Replies.BAD_TO_UID);
        }
        try {
            return stored(me, SendMessage.newBuilder().setToUserId(to).setContent(text(text)).build());
        } catch (CourierException e) {
            throw switch (e.code()) {
                case USER_NOT_FOUND -> answer(Replies.BAD_TO_UID);
                default -> e;
            };
        }
    }

    /** {@code SENDGROUP <group_id> <text>}: membership, mutes and dissolution are the core's checks. */
    SendAck sendGroup(Principal me, CommandLine line) {
        String text = line.afterFirst();
        if (line.first().isEmpty() || text.isEmpty()) {
            throw answer(Replies.USAGE_SEND_GROUP);
        }
        long group = CommandLine.id(line.first());
        if (group < 0) {
            throw answer(Replies.BAD_GROUP_ID);
        }
        try {
            return stored(me, SendMessage.newBuilder().setToGroupId(group).setContent(text(text)).build());
        } catch (CourierException e) {
            throw switch (e.code()) {
                case GROUP_NOT_FOUND, GROUP_DISSOLVED -> answer(Replies.BAD_GROUP_ID);
                default -> e;
            };
        }
    }

    /**
     * {@code ADDFRIEND <uid>}: a friend request, as everywhere in Courier (nobody becomes someone's
     * friend, and sees their presence, without saying yes), answered {@code +OK friend request sent};
     * when the other user had asked first, it accepts theirs: {@code +OK friend added}. So two MPIM
     * users who ADDFRIEND each other are friends. With {@code mpim.instant-friends}, MPIM's own rule:
     * friends both ways at once.
     */
    String addFriend(Principal me, CommandLine line) {
        List<String> args = line.words();
        if (args.size() != 1) {
            throw answer(Replies.USAGE_ADD_FRIEND);
        }
        long friend = CommandLine.id(args.getFirst());
        if (friend < 0 || friend == me.userId()) {
            throw answer(Replies.BAD_FRIEND_ID);
        }
        try {
            if (instantFriends) {
                friends.befriend(me.userId(), friend);
            } else if (friends.request(me.userId(), friend, "").request().state() != RequestState.ACCEPTED) {
                return Replies.FRIEND_REQUEST_SENT;
            }
        } catch (CourierException e) {
            throw switch (e.code()) {
                case USER_NOT_FOUND -> answer(Replies.FRIEND_NOT_FOUND);
                case ALREADY_FRIENDS -> answer(Replies.ALREADY_FRIENDS);
                default -> e;
            };
        }
        return Replies.FRIEND_ADDED;
    }

    /** {@code GETFRIENDS}: ids in ascending order. */
    String friends(Principal me) {
        return "+OK friends: " + friends.friends(me.userId()).stream()
                .mapToLong(f -> f.user().id()).sorted()
                .mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    /** {@code CREATEGROUP <name> [description...]}: an open group, since MPIM joins are instant. */
    String createGroup(Principal me, CommandLine line) {
        String name = line.first();
        if (name.isEmpty()) {
            throw answer(Replies.USAGE_CREATE_GROUP);
        }
        long id = groups.create(me.userId(), name, "", line.afterFirst(), List.of(), JoinPolicy.OPEN).getGroupId();
        return "+OK group_id=" + id;
    }

    /** {@code JOINGROUP <gid>}: joins an open group, asks to join one that needs approval, accepts an invitation. */
    String joinGroup(Principal me, CommandLine line) {
        List<String> args = line.words();
        if (args.size() != 1) {
            throw answer(Replies.USAGE_JOIN_GROUP);
        }
        long group = CommandLine.id(args.getFirst());
        if (group < 0) {
            throw answer(Replies.BAD_GROUP_ID);
        }
        try {
            return groups.join(me.userId(), group, "").group() != null ? Replies.JOINED_GROUP : Replies.JOIN_REQUESTED;
        } catch (CourierException e) {
            throw switch (e.code()) {
                case GROUP_NOT_FOUND, GROUP_DISSOLVED -> answer(Replies.BAD_GROUP_ID);
                default -> e;
            };
        }
    }

    /** Sends and waits until the message is durable, so that the answer can name its id. */
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

    private static Content text(String text) {
        return Content.newBuilder().setText(Text.newBuilder().setText(text)).build();
    }
}
