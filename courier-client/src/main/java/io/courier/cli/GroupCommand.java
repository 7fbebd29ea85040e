package io.courier.cli;

import java.util.List;

/** Groups and their members. */
sealed interface GroupCommand extends Command {
    record Create(String name, String description) implements GroupCommand {
    }

    record Join(long groupId) implements GroupCommand {
    }

    record Mine() implements GroupCommand {
    }

    record Info(long groupId) implements GroupCommand {
    }

    record Members(long groupId) implements GroupCommand {
    }

    record Invite(long groupId, List<UserRef> users) implements GroupCommand {
    }

    record Kick(long groupId, UserRef user) implements GroupCommand {
    }

    record SetAdmin(long groupId, UserRef user, boolean admin) implements GroupCommand {
    }

    record Transfer(long groupId, UserRef user) implements GroupCommand {
    }

    record Mute(long groupId, UserRef user, int seconds) implements GroupCommand {
    }

    record MuteAll(long groupId, boolean on) implements GroupCommand {
    }

    record Leave(long groupId) implements GroupCommand {
    }

    record Dissolve(long groupId) implements GroupCommand {
    }
}
