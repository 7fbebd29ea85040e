package io.courier.client;

import io.courier.protocol.v1.AnswerJoin;
import io.courier.protocol.v1.CreateGroup;
import io.courier.protocol.v1.Empty;
import io.courier.protocol.v1.GroupCommand;
import io.courier.protocol.v1.GroupInfo;
import io.courier.protocol.v1.GroupReply;
import io.courier.protocol.v1.GroupUpdate;
import io.courier.protocol.v1.JoinGroup;
import io.courier.protocol.v1.JoinPolicy;
import io.courier.protocol.v1.JoinRequest;
import io.courier.protocol.v1.MemberPage;
import io.courier.protocol.v1.MuteAll;
import io.courier.protocol.v1.MuteMember;
import io.courier.protocol.v1.Page;
import io.courier.protocol.v1.ReadState;
import io.courier.protocol.v1.ReadStateResult;
import io.courier.protocol.v1.SetAdmin;
import io.courier.protocol.v1.Target;
import io.courier.protocol.v1.Targets;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One method per group operation of the protocol ({@code GroupCommand}); permissions are the server's. */
public final class ClientGroups {
    private static final Empty EMPTY = Empty.getDefaultInstance();
    private final CourierClient client;

    ClientGroups(CourierClient client) {
        this.client = client;
    }

    public CompletableFuture<GroupInfo> create(String name, String description, JoinPolicy policy, List<Long> memberIds) {
        return run(GroupCommand.newBuilder().setCreate(CreateGroup.newBuilder().setName(name)
                .setDescription(description == null ? "" : description).setJoinPolicy(policy).addAllMemberIds(memberIds)))
                .thenApply(GroupReply::getGroup);
    }

    /** Joins an open group, or asks to join one that needs approval (the reply then holds the request). */
    public CompletableFuture<GroupReply> join(long groupId, String message) {
        return run(GroupCommand.newBuilder().setGroupId(groupId)
                .setJoin(JoinGroup.newBuilder().setMessage(message == null ? "" : message)));
    }

    public CompletableFuture<GroupReply> leave(long groupId) {
        return run(GroupCommand.newBuilder().setGroupId(groupId).setLeave(EMPTY));
    }

    public CompletableFuture<GroupReply> dissolve(long groupId) {
        return run(GroupCommand.newBuilder().setGroupId(groupId).setDissolve(EMPTY));
    }

    public CompletableFuture<GroupInfo> update(long groupId, GroupUpdate update) {
        return run(GroupCommand.newBuilder().setGroupId(groupId).setUpdate(update)).thenApply(GroupReply::getGroup);
    }

    public CompletableFuture<GroupReply> kick(long groupId, List<Long> userIds) {
        return run(GroupCommand.newBuilder().setGroupId(groupId).setKick(Targets.newBuilder().addAllUserIds(userIds)));
    }

    public CompletableFuture<GroupReply> invite(long groupId, List<Long> userIds) {
        return run(GroupCommand.newBuilder().setGroupId(groupId).setInvite(Targets.newBuilder().addAllUserIds(userIds)));
    }

    /** Answers a join request (owner/admin) or an invitation (the invitee). */
    public CompletableFuture<GroupReply> answer(long groupId, long requestId, boolean accept) {
        return run(GroupCommand.newBuilder().setGroupId(groupId)
                .setAnswer(AnswerJoin.newBuilder().setRequestId(requestId).setAccept(accept)));
    }

    public CompletableFuture<GroupReply> setAdmin(long groupId, long userId, boolean admin) {
        return run(GroupCommand.newBuilder().setGroupId(groupId).setSetAdmin(SetAdmin.newBuilder().setUserId(userId).setAdmin(admin)));
    }

    public CompletableFuture<GroupReply> transfer(long groupId, long newOwnerId) {
        return run(GroupCommand.newBuilder().setGroupId(groupId).setTransfer(Target.newBuilder().setUserId(newOwnerId)));
    }

    /** Mutes a member for {@code seconds} (0 unmutes). */
    public CompletableFuture<GroupReply> mute(long groupId, long userId, int seconds) {
        return run(GroupCommand.newBuilder().setGroupId(groupId)
                .setMute(MuteMember.newBuilder().setUserId(userId).setDurationS(seconds)));
    }

    public CompletableFuture<GroupReply> muteAll(long groupId, boolean muted) {
        return run(GroupCommand.newBuilder().setGroupId(groupId).setMuteAll(MuteAll.newBuilder().setMuteAll(muted)));
    }

    public CompletableFuture<GroupInfo> info(long groupId) {
        return run(GroupCommand.newBuilder().setGroupId(groupId).setGet(EMPTY)).thenApply(GroupReply::getGroup);
    }

    public CompletableFuture<MemberPage> members(long groupId, int offset, int limit) {
        return run(GroupCommand.newBuilder().setGroupId(groupId).setMembers(Page.newBuilder().setOffset(offset).setLimit(limit)))
                .thenApply(GroupReply::getMembers);
    }

    public CompletableFuture<List<GroupInfo>> mine() {
        return run(GroupCommand.newBuilder().setMine(EMPTY)).thenApply(r -> r.getGroups().getGroupsList());
    }

    /** Pending requests and invitations of a group (owner/admin), or the caller's own for group 0. */
    public CompletableFuture<List<JoinRequest>> requests(long groupId) {
        return run(GroupCommand.newBuilder().setGroupId(groupId).setRequests(EMPTY))
                .thenApply(r -> r.getRequests().getRequestsList());
    }

    /** Who of the group has read up to {@code seq}. */
    public CompletableFuture<ReadStateResult> readState(long groupId, long seq) {
        return run(GroupCommand.newBuilder().setGroupId(groupId).setReadState(ReadState.newBuilder().setSeq(seq)))
                .thenApply(GroupReply::getReadState);
    }

    private CompletableFuture<GroupReply> run(GroupCommand.Builder command) {
        return client.group(command.build());
    }
}
