package io.courier.gateway.realtime;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.group.GroupService;
import io.courier.protocol.v1.Empty;
import io.courier.protocol.v1.GroupCommand;
import io.courier.protocol.v1.GroupList;
import io.courier.protocol.v1.GroupReply;
import io.courier.protocol.v1.JoinRequestList;
import io.courier.protocol.v1.MemberPage;

/** Runs a {@link GroupCommand} from a device against the {@link GroupService}: a translation, no rules. */
final class GroupCommands {
    private static final GroupReply DONE = GroupReply.newBuilder().setDone(Empty.getDefaultInstance()).build();

    private final GroupService groups;

    GroupCommands(GroupService groups) {
        this.groups = groups;
    }

    GroupReply run(long caller, GroupCommand c) {
        long id = c.getGroupId();
        if (id == 0 && c.getOpCase() != GroupCommand.OpCase.CREATE && c.getOpCase() != GroupCommand.OpCase.MINE
                && c.getOpCase() != GroupCommand.OpCase.REQUESTS && c.getOpCase() != GroupCommand.OpCase.ANSWER) {
            throw CourierException.field(ErrorCode.MISSING_FIELD, "group_id", "The operation names its group (group_id)");
        }
        return switch (c.getOpCase()) {
            case CREATE -> group(groups.create(caller, c.getCreate().getName(), c.getCreate().getAvatar(),
                    c.getCreate().getDescription(), c.getCreate().getMemberIdsList(), c.getCreate().getJoinPolicy()));
            case UPDATE -> {
                var u = c.getUpdate();
                yield group(groups.update(caller, id, u.hasName() ? u.getName() : null, u.hasAvatar() ? u.getAvatar() : null,
                        u.hasDescription() ? u.getDescription() : null, u.hasAnnouncement() ? u.getAnnouncement() : null,
                        u.getJoinPolicy()));
            }
            case DISSOLVE -> {
                groups.dissolve(caller, id);
                yield DONE;
            }
            case JOIN -> {
                GroupService.Joined joined = groups.join(caller, id, c.getJoin().getMessage());
                yield joined.group() != null ? group(joined.group()) : GroupReply.newBuilder().setRequest(joined.pending()).build();
            }
            case LEAVE -> {
                groups.leave(caller, id);
                yield DONE;
            }
            case KICK -> {
                groups.kick(caller, id, c.getKick().getUserIdsList());
                yield DONE;
            }
            case INVITE -> GroupReply.newBuilder().setRequests(JoinRequestList.newBuilder()
                    .addAllRequests(groups.invite(caller, id, c.getInvite().getUserIdsList()))).build();
            case ANSWER -> {
                groups.answer(caller, c.getAnswer().getRequestId(), c.getAnswer().getAccept());
                yield DONE;
            }
            case SET_ADMIN -> {
                groups.setAdmin(caller, id, c.getSetAdmin().getUserId(), c.getSetAdmin().getAdmin());
                yield DONE;
            }
            case TRANSFER -> {
                groups.transfer(caller, id, c.getTransfer().getUserId());
                yield DONE;
            }
            case MUTE -> {
                groups.mute(caller, id, c.getMute().getUserId(), Integer.toUnsignedLong(c.getMute().getDurationS()));
                yield DONE;
            }
            case MUTE_ALL -> {
                groups.muteAll(caller, id, c.getMuteAll().getMuteAll());
                yield DONE;
            }
            case GET -> group(groups.info(id, caller));
            case MEMBERS -> {
                GroupService.MemberPage page = groups.members(caller, id, c.getMembers().getOffset(), c.getMembers().getLimit());
                yield GroupReply.newBuilder().setMembers(MemberPage.newBuilder().setTotal(page.total())
                        .addAllMembers(page.members())).build();
            }
            case MINE -> GroupReply.newBuilder().setGroups(GroupList.newBuilder().addAllGroups(groups.mine(caller))).build();
            case REQUESTS -> GroupReply.newBuilder().setRequests(JoinRequestList.newBuilder()
                    .addAllRequests(groups.requests(caller, id))).build();
            case READ_STATE -> GroupReply.newBuilder().setReadState(groups.readState(caller, id, c.getReadState().getSeq())).build();
            case OP_NOT_SET -> throw CourierException.field(ErrorCode.MISSING_FIELD, "op", "A group command names its operation");
        };
    }

    private static GroupReply group(io.courier.protocol.v1.GroupInfo info) {
        return GroupReply.newBuilder().setGroup(info).build();
    }
}
