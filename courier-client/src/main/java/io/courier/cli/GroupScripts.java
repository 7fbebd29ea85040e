package io.courier.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** The group subcommands. Group ids are numbers ({@code g:5} is taken too). */
final class GroupScripts {
    static final List<Class<? extends Script>> ALL = List.of(CreateGroup.class, JoinGroup.class, Groups.class,
            Group.class, Members.class, Invite.class, Kick.class, Admin.class, Transfer.class, Mute.class,
            MuteAll.class, Leave.class, Dissolve.class);

    private GroupScripts() {
    }

    @Command(name = "creategroup", description = "Create a group anyone may join; prints its id.")
    static final class CreateGroup extends Script {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Parameters(index = "1..*", arity = "0..*", paramLabel = "DESCRIPTION")
        List<String> description;

        @Override
        io.courier.cli.Command command() {
            return new GroupCommand.Create(name, description == null ? null : String.join(" ", description));
        }
    }

    @Command(name = "joingroup", description = "Join a group (or ask to, if it needs approval).")
    static final class JoinGroup extends Script {
        @Parameters(paramLabel = "GID")
        String group;

        @Override
        io.courier.cli.Command command() {
            return new GroupCommand.Join(GroupIds.parse(group));
        }
    }

    @Command(name = "groups", description = "The groups you are in.")
    static final class Groups extends Script {
        @Override
        io.courier.cli.Command command() {
            return new GroupCommand.Mine();
        }
    }

    @Command(name = "group", description = "A group's details.")
    static final class Group extends Script {
        @Parameters(paramLabel = "GID")
        String group;

        @Override
        io.courier.cli.Command command() {
            return new GroupCommand.Info(GroupIds.parse(group));
        }
    }

    @Command(name = "members", description = "A group's members.")
    static final class Members extends Script {
        @Parameters(paramLabel = "GID")
        String group;

        @Override
        io.courier.cli.Command command() {
            return new GroupCommand.Members(GroupIds.parse(group));
        }
    }

    @Command(name = "invite", description = "Invite users to a group; they accept with joingroup.")
    static final class Invite extends Script {
        @Parameters(index = "0", paramLabel = "GID")
        String group;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "USER")
        List<String> users;

        @Override
        io.courier.cli.Command command() {
            return new GroupCommand.Invite(GroupIds.parse(group), users.stream().map(UserRef::parse).toList());
        }
    }

    @Command(name = "kick", description = "Remove a member.")
    static final class Kick extends Script {
        @Parameters(index = "0", paramLabel = "GID")
        String group;
        @Parameters(index = "1", paramLabel = "USER")
        String user;

        @Override
        io.courier.cli.Command command() {
            return new GroupCommand.Kick(GroupIds.parse(group), UserRef.parse(user));
        }
    }

    @Command(name = "admin", description = "Make a member an admin (on), or an admin a member (off).")
    static final class Admin extends Script {
        @Parameters(index = "0", paramLabel = "GID")
        String group;
        @Parameters(index = "1", paramLabel = "USER")
        String user;
        @Parameters(index = "2", paramLabel = "on|off")
        String on;

        @Override
        io.courier.cli.Command command() {
            return new GroupCommand.SetAdmin(GroupIds.parse(group), UserRef.parse(user), Args.onOff("on|off", on));
        }
    }

    @Command(name = "transfer", description = "Hand the group to another member; you become an admin.")
    static final class Transfer extends Script {
        @Parameters(index = "0", paramLabel = "GID")
        String group;
        @Parameters(index = "1", paramLabel = "USER")
        String user;

        @Override
        io.courier.cli.Command command() {
            return new GroupCommand.Transfer(GroupIds.parse(group), UserRef.parse(user));
        }
    }

    @Command(name = "mute", description = "Mute a member for some seconds (0 unmutes).")
    static final class Mute extends Script {
        @Parameters(index = "0", paramLabel = "GID")
        String group;
        @Parameters(index = "1", paramLabel = "USER")
        String user;
        @Parameters(index = "2", paramLabel = "SECONDS")
        int seconds;

        @Override
        io.courier.cli.Command command() {
            if (seconds < 0) {
                throw new UsageException("SECONDS must not be negative: " + seconds);
            }
            return new GroupCommand.Mute(GroupIds.parse(group), UserRef.parse(user), seconds);
        }
    }

    @Command(name = "muteall", description = "Let only the owner and admins speak (on), or everyone again (off).")
    static final class MuteAll extends Script {
        @Parameters(index = "0", paramLabel = "GID")
        String group;
        @Parameters(index = "1", paramLabel = "on|off")
        String on;

        @Override
        io.courier.cli.Command command() {
            return new GroupCommand.MuteAll(GroupIds.parse(group), Args.onOff("on|off", on));
        }
    }

    @Command(name = "leave", description = "Leave a group.")
    static final class Leave extends Script {
        @Parameters(paramLabel = "GID")
        String group;

        @Override
        io.courier.cli.Command command() {
            return new GroupCommand.Leave(GroupIds.parse(group));
        }
    }

    @Command(name = "dissolve", description = "Close a group for good (owner only).")
    static final class Dissolve extends Script {
        @Parameters(paramLabel = "GID")
        String group;

        @Override
        io.courier.cli.Command command() {
            return new GroupCommand.Dissolve(GroupIds.parse(group));
        }
    }
}
