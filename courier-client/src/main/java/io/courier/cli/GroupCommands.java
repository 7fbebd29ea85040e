package io.courier.cli;

import io.courier.cli.GroupCommand.Create;
import io.courier.cli.GroupCommand.Dissolve;
import io.courier.cli.GroupCommand.Info;
import io.courier.cli.GroupCommand.Invite;
import io.courier.cli.GroupCommand.Join;
import io.courier.cli.GroupCommand.Kick;
import io.courier.cli.GroupCommand.Leave;
import io.courier.cli.GroupCommand.Members;
import io.courier.cli.GroupCommand.Mine;
import io.courier.cli.GroupCommand.Mute;
import io.courier.cli.GroupCommand.MuteAll;
import io.courier.cli.GroupCommand.SetAdmin;
import io.courier.cli.GroupCommand.Transfer;
import io.courier.client.ClientGroups;
import io.courier.protocol.v1.GroupInfo;
import io.courier.protocol.v1.GroupMember;
import io.courier.protocol.v1.GroupReply;
import io.courier.protocol.v1.GroupRole;
import io.courier.protocol.v1.JoinPolicy;
import io.courier.protocol.v1.MemberPage;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Locale;
import java.util.stream.Collectors;

/** Group operations, over the real-time connection (the SDK's {@link ClientGroups}); who may do what is the server's call. */
final class GroupCommands {
    private static final int MEMBER_PAGE = 500;

    private final Account account;
    private final NameResolver names;
    private final Output out;
    private final TimeText times;

    GroupCommands(Account account, NameResolver names, Output out, TimeText times) {
        this.account = account;
        this.names = names;
        this.out = out;
        this.times = times;
    }

    void run(GroupCommand command) {
        ClientGroups groups = account.client().groups();
        switch (command) {
            case Create c -> create(groups, c.name(), c.description());
            case Join j -> join(groups, j.groupId());
            case Mine m -> mine(groups);
            case Info i -> info(groups, i.groupId());
            case Members m -> members(groups, m.groupId());
            case Invite i -> invite(groups, i.groupId(), i.users());
            case Kick k -> done(groups.kick(k.groupId(), List.of(names.id(k.user()))),
                    "Removed " + who(k.user()) + " from group " + k.groupId() + ".");
            case SetAdmin a -> done(groups.setAdmin(a.groupId(), names.id(a.user()), a.admin()),
                    who(a.user()) + " is now " + (a.admin() ? "an admin" : "a member") + " of group " + a.groupId() + ".");
            case Transfer t -> done(groups.transfer(t.groupId(), names.id(t.user())),
                    "Group " + t.groupId() + " now belongs to " + who(t.user()) + "; you are an admin of it.");
            case Mute m -> done(groups.mute(m.groupId(), names.id(m.user()), m.seconds()), m.seconds() == 0
                    ? "Unmuted " + who(m.user()) + " in group " + m.groupId() + "."
                    : "Muted " + who(m.user()) + " in group " + m.groupId() + " for " + m.seconds() + " s.");
            case MuteAll m -> done(groups.muteAll(m.groupId(), m.on()), m.on()
                    ? "Only the owner and admins can speak in group " + m.groupId() + " now."
                    : "Everyone can speak in group " + m.groupId() + " again.");
            case Leave l -> done(groups.leave(l.groupId()), "You left group " + l.groupId() + ".");
            case Dissolve d -> done(groups.dissolve(d.groupId()), "Group " + d.groupId() + " is dissolved.");
        }
    }

    /** MPIM's creategroup made a group anyone may join by its id; so does this one. */
    private void create(ClientGroups groups, String name, String description) {
        GroupInfo g = Await.result(groups.create(name, description, JoinPolicy.OPEN, List.of()));
        out.print(Tone.SUCCESS, "Created group " + g.getGroupId() + " (" + MessageText.safe(g.getName())
                + "); others join with: joingroup " + g.getGroupId());
    }

    private void join(ClientGroups groups, long groupId) {
        GroupReply reply = Await.result(groups.join(groupId, null));
        if (reply.hasRequest()) {
            out.print(Tone.SUCCESS, "Asked to join group " + groupId + " (request #" + reply.getRequest().getRequestId()
                    + "); an owner or admin has to approve it.");
        } else {
            out.print(Tone.SUCCESS, "Joined group " + groupId + " (" + MessageText.safe(reply.getGroup().getName()) + ").");
        }
    }

    private void mine(ClientGroups groups) {
        List<GroupInfo> mine = Await.result(groups.mine());
        if (mine.isEmpty()) {
            out.print("You are in no group yet; creategroup <name> makes one.");
        }
        for (GroupInfo g : mine) {
            out.print(Line.of(Tone.GROUP, g.getGroupId() + "  " + MessageText.safe(g.getName()))
                    .add("  " + role(g.getMyRole()) + ", " + g.getMemberCount() + " members"
                            + (g.getDissolvedAt() != 0 ? ", dissolved" : "")));
        }
    }

    private void info(ClientGroups groups, long groupId) {
        GroupInfo g = Await.result(groups.info(groupId));
        out.print(Line.of(Tone.GROUP, "group " + g.getGroupId() + "  " + MessageText.safe(g.getName())));
        if (!g.getDescription().isEmpty()) {
            out.print("  description:  " + MessageText.safe(g.getDescription()));
        }
        if (!g.getAnnouncement().isEmpty()) {
            out.print("  announcement: " + MessageText.safe(g.getAnnouncement()));
        }
        out.print("  owner:        " + names.name(g.getOwnerId()) + " (id " + g.getOwnerId() + ")");
        out.print("  members:      " + g.getMemberCount() + " of at most " + g.getMaxMembers());
        out.print("  joining:      " + g.getJoinPolicy().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        out.print("  mute all:     " + (g.getMuteAll() ? "on" : "off"));
        out.print("  your role:    " + role(g.getMyRole()));
        out.print("  created:      " + times.of(g.getCreatedAt()));
        if (g.getDissolvedAt() != 0) {
            out.print("  dissolved:    " + times.of(g.getDissolvedAt()));
        }
    }

    private void members(ClientGroups groups, long groupId) {
        MemberPage page = Await.result(groups.members(groupId, 0, MEMBER_PAGE));
        long now = System.currentTimeMillis();
        for (GroupMember m : page.getMembersList()) {
            String muted = m.getMutedUntil() > now ? ", muted until " + times.of(m.getMutedUntil()) : "";
            out.print(new Line().add(Tone.PEER, MessageText.safe(m.getNickname()))
                    .add(" (id " + m.getUserId() + ")  " + role(m.getRole()) + muted));
        }
        if (page.getTotal() > page.getMembersCount()) {
            out.print(Tone.DIM, "... and " + (page.getTotal() - page.getMembersCount()) + " more");
        }
    }

    private void invite(ClientGroups groups, long groupId, List<UserRef> users) {
        List<Long> ids = users.stream().map(names::id).toList();
        Await.result(groups.invite(groupId, ids));
        out.print(Tone.SUCCESS, "Invited " + ids.stream().map(names::name).collect(Collectors.joining(", "))
                + " to group " + groupId + "; they accept with: joingroup " + groupId);
    }

    /** The username of a user as typed (known by then: the operation looked the id up). */
    private String who(UserRef user) {
        return names.name(names.id(user));
    }

    private void done(CompletableFuture<GroupReply> operation, String success) {
        Await.result(operation);
        out.print(Tone.SUCCESS, success);
    }

    private static String role(GroupRole role) {
        return switch (role) {
            case OWNER -> "owner";
            case ADMIN -> "admin";
            case MEMBER -> "member";
            case GROUP_ROLE_UNSPECIFIED, UNRECOGNIZED -> "not a member";
        };
    }
}
