package io.courier.cli;

import java.util.List;

/** Friends, friend requests, blocks and presence. */
sealed interface FriendCommand extends Command {
    /** MPIM's {@code addfriend}: in Courier a request, which the other side accepts (mutual ones at once). */
    record AddFriend(UserRef user, String message) implements FriendCommand {
    }

    record ListFriends() implements FriendCommand {
    }

    record ListRequests() implements FriendCommand {
    }

    record Answer(RequestRef request, boolean accept) implements FriendCommand {
    }

    record Cancel(RequestRef request) implements FriendCommand {
    }

    record Unfriend(UserRef user) implements FriendCommand {
    }

    record Block(UserRef user, boolean block) implements FriendCommand {
    }

    record ListBlocks() implements FriendCommand {
    }

    record Presence(List<UserRef> users) implements FriendCommand {
    }
}
