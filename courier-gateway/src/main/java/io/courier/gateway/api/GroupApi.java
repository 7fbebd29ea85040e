package io.courier.gateway.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.group.GroupService;
import io.courier.gateway.http.ApiRequest;
import io.courier.gateway.http.ApiResponse;
import io.courier.gateway.http.Router;
import io.courier.gateway.ws.JsonProto;
import io.courier.protocol.v1.GroupInfo;
import io.courier.protocol.v1.GroupMember;
import io.courier.protocol.v1.JoinPolicy;
import io.courier.protocol.v1.JoinRequest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.courier.gateway.http.ApiRequest.require;
import static io.courier.gateway.http.Router.Access.AUTHENTICATED;

/**
 * SimpleIM's group routes, and Courier's own for invitations, join requests and read state. Groups,
 * members and requests have the JSON form of their protocol messages (enums as lower-case names).
 */
public final class GroupApi {
    private final GroupService groups;

    public GroupApi(GroupService groups) {
        this.groups = groups;
    }

    record CreateBody(String name, String avatar, String description, List<Long> memberIds, String joinPolicy) {
    }

    record UpdateBody(String name, String avatar, String description, String announcement, String joinPolicy) {
    }

    record JoinBody(String message) {
    }

    record KickBody(List<Long> targetIds) {
    }

    record InviteBody(List<Long> userIds) {
    }

    record AdminBody(Long targetId, Boolean isAdmin) {
    }

    record TransferBody(Long newOwnerId) {
    }

    record MuteBody(Long targetId, Long durationS) {
    }

    record MuteAllBody(Boolean muteAll) {
    }

    public void routes(Router router) {
        router.post("/api/groups", AUTHENTICATED, r -> {
                    CreateBody b = r.body(CreateBody.class);
                    return ApiResponse.ok(group(groups.create(me(r), require(b.name(), "name"), b.avatar(), b.description(),
                            b.memberIds() == null ? List.of() : b.memberIds(), policy(b.joinPolicy()))));
                })
                .get("/api/groups/my", AUTHENTICATED, r -> {
                    var mine = groups.mine(me(r));
                    return ApiResponse.ok(Map.of("total", mine.size(), "groups", mine.stream().map(GroupApi::group).toList()));
                })
                .get("/api/groups/invitations", AUTHENTICATED, r -> requests(groups.requests(me(r), 0)))
                .get("/api/groups/{group_id}", AUTHENTICATED, r -> ApiResponse.ok(group(groups.info(id(r), me(r)))))
                .put("/api/groups/{group_id}", AUTHENTICATED, r -> {
                    UpdateBody b = r.body(UpdateBody.class);
                    return ApiResponse.ok(group(groups.update(me(r), id(r), b.name(), b.avatar(), b.description(),
                            b.announcement(), policy(b.joinPolicy()))));
                })
                .delete("/api/groups/{group_id}", AUTHENTICATED, r -> {
                    groups.dissolve(me(r), id(r));
                    return ApiResponse.ok(null);
                })
                .post("/api/groups/{group_id}/join", AUTHENTICATED, r -> {
                    GroupService.Joined joined = groups.join(me(r), id(r), r.body(JoinBody.class).message());
                    return joined.group() != null ? ApiResponse.ok(group(joined.group()))
                            : ApiResponse.ok(Map.of("pending", true, "request", JsonProto.toJson(joined.pending())));
                })
                .post("/api/groups/{group_id}/leave", AUTHENTICATED, r -> {
                    groups.leave(me(r), id(r));
                    return ApiResponse.ok(null);
                })
                .post("/api/groups/{group_id}/kick", AUTHENTICATED, r -> {
                    groups.kick(me(r), id(r), require(r.body(KickBody.class).targetIds(), "target_ids"));
                    return ApiResponse.ok(null);
                })
                .post("/api/groups/{group_id}/invite", AUTHENTICATED, r ->
                        requests(groups.invite(me(r), id(r), require(r.body(InviteBody.class).userIds(), "user_ids"))))
                .get("/api/groups/{group_id}/members", AUTHENTICATED, r -> {
                    int pageSize = r.queryInt("page_size", 100, 1, GroupService.MAX_PAGE);
                    int page = r.queryInt("page", 1, 1, 1_000_000);
                    GroupService.MemberPage members = groups.members(me(r), id(r), (page - 1) * pageSize, pageSize);
                    Map<String, Object> data = new LinkedHashMap<>();
                    data.put("total", members.total());
                    data.put("members", members.members().stream().map(GroupApi::member).toList());
                    return ApiResponse.ok(data);
                })
                .post("/api/groups/{group_id}/admin", AUTHENTICATED, r -> {
                    AdminBody b = r.body(AdminBody.class);
                    groups.setAdmin(me(r), id(r), require(b.targetId(), "target_id"), require(b.isAdmin(), "is_admin"));
                    return ApiResponse.ok(null);
                })
                .post("/api/groups/{group_id}/transfer", AUTHENTICATED, r -> {
                    groups.transfer(me(r), id(r), require(r.body(TransferBody.class).newOwnerId(), "new_owner_id"));
                    return ApiResponse.ok(null);
                })
                .post("/api/groups/{group_id}/mute", AUTHENTICATED, r -> {
                    MuteBody b = r.body(MuteBody.class);
                    groups.mute(me(r), id(r), require(b.targetId(), "target_id"), require(b.durationS(), "duration_s"));
                    return ApiResponse.ok(null);
                })
                .post("/api/groups/{group_id}/mute-all", AUTHENTICATED, r -> {
                    groups.muteAll(me(r), id(r), require(r.body(MuteAllBody.class).muteAll(), "mute_all"));
                    return ApiResponse.ok(null);
                })
                .get("/api/groups/{group_id}/requests", AUTHENTICATED, r -> requests(groups.requests(me(r), id(r))))
                .post("/api/groups/requests/{request_id}/accept", AUTHENTICATED, r -> {
                    groups.answer(me(r), r.pathId("request_id"), true);
                    return ApiResponse.ok(null);
                })
                .post("/api/groups/requests/{request_id}/decline", AUTHENTICATED, r -> {
                    groups.answer(me(r), r.pathId("request_id"), false);
                    return ApiResponse.ok(null);
                })
                .get("/api/groups/{group_id}/read-state/{seq}", AUTHENTICATED, r ->
                        ApiResponse.ok(JsonProto.toJson(groups.readState(me(r), id(r), r.pathId("seq")))));
    }

    private static ApiResponse requests(List<JoinRequest> list) {
        return ApiResponse.ok(Map.of("total", list.size(), "requests", list.stream().map(JsonProto::toJson).toList()));
    }

    /** The group in its protocol JSON form, plus SimpleIM's {@code announcement} always present. */
    private static ObjectNode group(GroupInfo g) {
        ObjectNode node = JsonProto.toJson(g);
        node.put("announcement", g.getAnnouncement());
        node.put("mute_all", g.getMuteAll());
        node.put("member_count", g.getMemberCount());
        return node;
    }

    /** A member, with SimpleIM's {@code mute_until} beside {@code muted_until}. */
    private static ObjectNode member(GroupMember m) {
        ObjectNode node = JsonProto.toJson(m);
        node.put("muted_until", m.getMutedUntil());
        node.put("mute_until", m.getMutedUntil());
        return node;
    }

    private static JoinPolicy policy(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "open" -> JoinPolicy.OPEN;
            case "approval" -> JoinPolicy.APPROVAL;
            case "invite_only" -> JoinPolicy.INVITE_ONLY;
            default -> throw CourierException.field(ErrorCode.INVALID_FIELD, "join_policy", "join_policy is open, approval or invite_only");
        };
    }

    private static long id(ApiRequest r) {
        return r.pathId("group_id");
    }

    private static long me(ApiRequest r) {
        return r.principal().userId();
    }
}
