package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.v1.Empty;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.GroupCommand;
import io.courier.protocol.v1.GroupEvent;
import io.courier.protocol.v1.GroupUpdate;
import io.courier.protocol.v1.MuteAll;
import io.courier.protocol.v1.MuteMember;
import io.courier.protocol.v1.Page;
import io.courier.protocol.v1.ReadState;
import io.courier.protocol.v1.SetAdmin;
import io.courier.protocol.v1.Target;
import io.courier.protocol.v1.Targets;
import io.courier.server.HttpApi.Account;
import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.courier.server.GroupKit.code;
import static io.courier.server.GroupKit.command;
import static io.courier.server.GroupKit.create;
import static io.courier.server.GroupKit.okHttp;
import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what in a group: one row per role and operation, each on a fresh group, over the
 * native protocol and over HTTP (where the operation has a route). A refused operation leaves no
 * trace in the group's timeline; an allowed change writes its event.
 */
class GroupPermissionTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    enum Role { OWNER, ADMIN, MEMBER, NON_MEMBER }

    enum Op { UPDATE, DISSOLVE, KICK_MEMBER, KICK_ADMIN, SET_ADMIN, TRANSFER, MUTE_MEMBER, MUTE_ADMIN, MUTE_ALL, INVITE, MEMBERS,
        READ_STATE, SEND }

    /** 0: allowed; otherwise the error code. Columns: owner, admin, member, non-member. */
    private static final String TABLE = """
            UPDATE       0    0    6003 6002
            DISSOLVE     0    6003 6003 6002
            KICK_MEMBER  0    0    6003 6002
            KICK_ADMIN   0    6003 6003 6002
            SET_ADMIN    0    6003 6003 6002
            TRANSFER     0    6003 6003 6002
            MUTE_MEMBER  0    0    6003 6002
            MUTE_ADMIN   0    6003 6003 6002
            MUTE_ALL     0    0    6003 6002
            INVITE       0    0    0    6002
            MEMBERS      0    0    0    6002
            READ_STATE   0    0    0    6002
            SEND         0    0    0    6002
            """;

    /** The event an allowed operation writes into the timeline (null: none). */
    private static final Map<Op, GroupEvent.Type> EVENTS = new EnumMap<>(Map.of(
            Op.UPDATE, GroupEvent.Type.INFO_CHANGED, Op.DISSOLVE, GroupEvent.Type.DISSOLVED,
            Op.KICK_MEMBER, GroupEvent.Type.KICKED, Op.KICK_ADMIN, GroupEvent.Type.KICKED,
            Op.SET_ADMIN, GroupEvent.Type.ROLE_CHANGED, Op.TRANSFER, GroupEvent.Type.ROLE_CHANGED,
            Op.MUTE_MEMBER, GroupEvent.Type.MUTED, Op.MUTE_ADMIN, GroupEvent.Type.MUTED, Op.MUTE_ALL, GroupEvent.Type.MUTE_ALL));

    // The cast of every row: the acting owner, admin, member and outsider; a member and an admin to
    // act on; a user to invite.
    private static Account owner;
    private static Account admin;
    private static Account member;
    private static Account outsider;
    private static Account targetMember;
    private static Account targetAdmin;
    private static Account invitee;
    private static final Map<Role, NativeClient> clients = new EnumMap<>(Role.class);

    @BeforeAll
    static void cast() {
        owner = server.api.account("owner");
        admin = server.api.account("admin");
        member = server.api.account("member");
        outsider = server.api.account("outsider");
        targetMember = server.api.account("target_member");
        targetAdmin = server.api.account("target_admin");
        invitee = server.api.account("invitee");
        int port = server.node().tcpPort();
        clients.put(Role.OWNER, GroupKit.online(port, owner.token()));
        clients.put(Role.ADMIN, GroupKit.online(port, admin.token()));
        clients.put(Role.MEMBER, GroupKit.online(port, member.token()));
        clients.put(Role.NON_MEMBER, GroupKit.online(port, outsider.token()));
    }

    @AfterAll
    static void disconnect() {
        clients.values().forEach(NativeClient::close);
    }

    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        for (String line : TABLE.strip().split("\n")) {
            String[] cells = line.trim().split("\\s+");
            Op op = Op.valueOf(cells[0]);
            for (Role role : Role.values()) {
                rows.add(Arguments.of(role, op, Integer.parseInt(cells[1 + role.ordinal()])));
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @MethodSource("table")
    void roleAndOperation(Role role, Op op, int expected) {
        long viaNative = freshGroup();
        assertThat(runNative(role, op, viaNative)).as("%s %s over the native protocol", role, op).isEqualTo(expected);
        checkTrace(viaNative, op, expected);

        if (op != Op.SEND) { // sending is a real-time operation only
            long viaHttp = freshGroup();
            assertThat(runHttp(role, op, viaHttp)).as("%s %s over HTTP", role, op).isEqualTo(expected);
            checkTrace(viaHttp, op, expected);
        }
    }

    /** Owner; admins admin and targetAdmin; members member and targetMember. Its timeline: created, two role changes. */
    private static long freshGroup() {
        clients.values().forEach(c -> c.drainMessages(Duration.ZERO));
        long id = create(server.api, owner, "open", admin, targetAdmin, member, targetMember);
        for (Account a : List.of(admin, targetAdmin)) {
            okHttp(server.api.post("/api/groups/" + id + "/admin", obj("target_id", a.id(), "is_admin", true), owner.token()));
        }
        return id;
    }

    private static final long SETUP_SEQ = 3;

    private static Account actor(Role role) {
        return switch (role) {
            case OWNER -> owner;
            case ADMIN -> admin;
            case MEMBER -> member;
            case NON_MEMBER -> outsider;
        };
    }

    private static int runNative(Role role, Op op, long id) {
        NativeClient c = clients.get(role);
        GroupCommand.Builder b = GroupCommand.newBuilder();
        Envelope answer = switch (op) {
            case UPDATE -> command(c, id, b.setUpdate(GroupUpdate.newBuilder().setAnnouncement("new rules")));
            case DISSOLVE -> command(c, id, b.setDissolve(Empty.getDefaultInstance()));
            case KICK_MEMBER -> command(c, id, b.setKick(Targets.newBuilder().addUserIds(targetMember.id())));
            case KICK_ADMIN -> command(c, id, b.setKick(Targets.newBuilder().addUserIds(targetAdmin.id())));
            case SET_ADMIN -> command(c, id, b.setSetAdmin(SetAdmin.newBuilder().setUserId(targetMember.id()).setAdmin(true)));
            case TRANSFER -> command(c, id, b.setTransfer(Target.newBuilder().setUserId(targetMember.id())));
            case MUTE_MEMBER -> command(c, id, b.setMute(MuteMember.newBuilder().setUserId(targetMember.id()).setDurationS(600)));
            case MUTE_ADMIN -> command(c, id, b.setMute(MuteMember.newBuilder().setUserId(targetAdmin.id()).setDurationS(600)));
            case MUTE_ALL -> command(c, id, b.setMuteAll(MuteAll.newBuilder().setMuteAll(true)));
            case INVITE -> command(c, id, b.setInvite(Targets.newBuilder().addUserIds(invitee.id())));
            case MEMBERS -> command(c, id, b.setMembers(Page.getDefaultInstance()));
            case READ_STATE -> command(c, id, b.setReadState(ReadState.newBuilder().setSeq(1)));
            case SEND -> GroupKit.sendText(c, id, "may I?");
        };
        if (answer.hasError()) {
            return code(answer);
        }
        // what an allowed operation answers
        switch (op) {
            case SEND -> assertThat(answer.hasSendAck()).as(answer.toString()).isTrue();
            case MEMBERS -> assertThat(answer.getGroupReply().getMembers().getTotal()).isEqualTo(5);
            case READ_STATE -> assertThat(answer.getGroupReply().getReadState().getSeq()).isEqualTo(1);
            case INVITE -> assertThat(answer.getGroupReply().getRequests().getRequests(0).getUserId()).isEqualTo(invitee.id());
            case UPDATE -> assertThat(answer.getGroupReply().getGroup().getAnnouncement()).isEqualTo("new rules");
            default -> assertThat(answer.getGroupReply().hasDone()).as(answer.toString()).isTrue();
        }
        return 0;
    }

    private static int runHttp(Role role, Op op, long id) {
        String token = actor(role).token();
        String base = "/api/groups/" + id;
        Reply r = switch (op) {
            case UPDATE -> server.api.put(base, obj("announcement", "new rules"), token);
            case DISSOLVE -> server.api.delete(base, token);
            case KICK_MEMBER -> server.api.post(base + "/kick", obj("target_ids", List.of(targetMember.id())), token);
            case KICK_ADMIN -> server.api.post(base + "/kick", obj("target_ids", List.of(targetAdmin.id())), token);
            case SET_ADMIN -> server.api.post(base + "/admin", obj("target_id", targetMember.id(), "is_admin", true), token);
            case TRANSFER -> server.api.post(base + "/transfer", obj("new_owner_id", targetMember.id()), token);
            case MUTE_MEMBER -> server.api.post(base + "/mute", obj("target_id", targetMember.id(), "duration_s", 600), token);
            case MUTE_ADMIN -> server.api.post(base + "/mute", obj("target_id", targetAdmin.id(), "duration_s", 600), token);
            case MUTE_ALL -> server.api.post(base + "/mute-all", obj("mute_all", true), token);
            case INVITE -> server.api.post(base + "/invite", obj("user_ids", List.of(invitee.id())), token);
            case MEMBERS -> server.api.get(base + "/members", token);
            case READ_STATE -> server.api.get(base + "/read-state/1", token);
            case SEND -> throw new IllegalArgumentException("no HTTP route sends");
        };
        if (r.code() != 0) {
            assertThat(r.status()).as("an error status for " + r).isEqualTo(403);
            return r.code();
        }
        assertThat(r.status()).isEqualTo(200);
        return 0;
    }

    /** An allowed change is the newest entry of the timeline; a refused one left the timeline as set up. */
    private static void checkTrace(long id, Op op, int expected) {
        List<JsonNode> timeline = GroupKit.httpHistory(server.api, owner.token(), id);
        JsonNode newest = timeline.getLast();
        if (expected != 0) {
            assertThat(newest.get("seq").asLong()).as("a refused operation writes nothing").isEqualTo(SETUP_SEQ);
            checkUnchanged(id);
            return;
        }
        GroupEvent.Type event = EVENTS.get(op);
        if (event != null) {
            assertThat(newest.get("seq").asLong()).isEqualTo(SETUP_SEQ + 1);
            assertThat(newest.get("type").asInt()).isEqualTo(GroupKit.jsonType(event));
        } else if (op == Op.SEND) {
            assertThat(newest.get("seq").asLong()).isEqualTo(SETUP_SEQ + 1);
            assertThat(newest.get("content").get("text").asText()).isEqualTo("may I?");
        } else {
            assertThat(newest.get("seq").asLong()).isEqualTo(SETUP_SEQ);
        }
    }

    /** Nothing about the group moved: same owner, roles, mutes and information. */
    private static void checkUnchanged(long id) {
        JsonNode g = okHttp(server.api.get("/api/groups/" + id, owner.token()));
        assertThat(g.get("owner_id").asLong()).isEqualTo(owner.id());
        assertThat(g.get("member_count").asInt()).isEqualTo(5);
        assertThat(g.get("mute_all").asBoolean()).isFalse();
        assertThat(g.get("announcement").asText()).isEmpty();
        assertThat(g.has("dissolved_at")).isFalse();
        for (JsonNode m : okHttp(server.api.get("/api/groups/" + id + "/members", owner.token())).get("members")) {
            assertThat(m.get("muted_until").asLong()).isZero();
            long user = m.get("user_id").asLong();
            String role = user == owner.id() ? "owner" : user == admin.id() || user == targetAdmin.id() ? "admin" : "member";
            assertThat(m.get("role").asText()).as("role of " + user).isEqualTo(role);
        }
        assertThat(okHttp(server.api.get("/api/groups/invitations", invitee.token())).get("requests"))
                .noneMatch(r -> r.get("group_id").asLong() == id);
    }
}
