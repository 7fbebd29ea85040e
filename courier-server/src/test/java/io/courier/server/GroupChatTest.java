package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.v1.AnswerJoin;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.ConversationState;
import io.courier.protocol.v1.CreateGroup;
import io.courier.protocol.v1.Empty;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.GroupCommand;
import io.courier.protocol.v1.GroupEvent;
import io.courier.protocol.v1.GroupInfo;
import io.courier.protocol.v1.GroupMember;
import io.courier.protocol.v1.GroupRole;
import io.courier.protocol.v1.GroupUpdate;
import io.courier.protocol.v1.JoinGroup;
import io.courier.protocol.v1.JoinPolicy;
import io.courier.protocol.v1.Message;
import io.courier.protocol.v1.MuteAll;
import io.courier.protocol.v1.MuteMember;
import io.courier.protocol.v1.Page;
import io.courier.protocol.v1.PullRequest;
import io.courier.protocol.v1.ReadState;
import io.courier.protocol.v1.ReadStateResult;
import io.courier.protocol.v1.Recall;
import io.courier.protocol.v1.SendMessage;
import io.courier.protocol.v1.SetAdmin;
import io.courier.protocol.v1.Target;
import io.courier.protocol.v1.Targets;
import io.courier.protocol.v1.Text;
import io.courier.server.HttpApi.Account;
import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.courier.protocol.v1.GroupEvent.Type.CREATED;
import static io.courier.protocol.v1.GroupEvent.Type.DISSOLVED;
import static io.courier.protocol.v1.GroupEvent.Type.INFO_CHANGED;
import static io.courier.protocol.v1.GroupEvent.Type.JOINED;
import static io.courier.protocol.v1.GroupEvent.Type.KICKED;
import static io.courier.protocol.v1.GroupEvent.Type.LEFT;
import static io.courier.protocol.v1.GroupEvent.Type.MUTED;
import static io.courier.protocol.v1.GroupEvent.Type.MUTE_ALL;
import static io.courier.protocol.v1.GroupEvent.Type.ROLE_CHANGED;
import static io.courier.server.GroupKit.awaitEvent;
import static io.courier.server.GroupKit.code;
import static io.courier.server.GroupKit.command;
import static io.courier.server.GroupKit.conversation;
import static io.courier.server.GroupKit.create;
import static io.courier.server.GroupKit.get;
import static io.courier.server.GroupKit.history;
import static io.courier.server.GroupKit.httpConversation;
import static io.courier.server.GroupKit.httpHistory;
import static io.courier.server.GroupKit.markRead;
import static io.courier.server.GroupKit.noEvent;
import static io.courier.server.GroupKit.ok;
import static io.courier.server.GroupKit.okHttp;
import static io.courier.server.GroupKit.send;
import static io.courier.server.GroupKit.sendText;
import static io.courier.server.GroupKit.sent;
import static io.courier.server.GroupKit.synced;
import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Group chat end to end against a real node: every group operation over HTTP and the native
 * protocol, join policies, requests and invitations, moderation, read state and mentions.
 */
class GroupChatTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();

    private static final AtomicInteger NAMES = new AtomicInteger();

    private static Account user(String prefix) {
        return server.api.account(prefix + NAMES.incrementAndGet());
    }

    private static NativeClient login(Account a) {
        return GroupKit.online(server.node().tcpPort(), a.token());
    }

    private static void makeAdmin(Account owner, long groupId, Account target) {
        okHttp(server.api.post("/api/groups/" + groupId + "/admin", obj("target_id", target.id(), "is_admin", true), owner.token()));
    }

    private static JsonNode info(long groupId, Account caller) {
        return okHttp(server.api.get("/api/groups/" + groupId, caller.token()));
    }

    // ---- create, get, my groups ------------------------------------------------------------------

    @Test
    void createMakesTheCreatorOwnerAndTellsEveryMemberWithACreatedEvent() {
        Account owner = user("creator");
        Account m1 = user("first");
        Account m2 = user("second");
        Account outsider = user("outsider");
        try (NativeClient o = login(owner); NativeClient a = login(m1); NativeClient b = login(m2)) {
            // the owner named among the members is the owner all the same, counted once
            GroupInfo g = ok(o, 0, GroupCommand.newBuilder().setCreate(CreateGroup.newBuilder().setName("Hikers")
                    .setDescription("weekend walks").addMemberIds(m1.id()).addMemberIds(m2.id()).addMemberIds(owner.id()))).getGroup();
            long id = g.getGroupId();
            assertThat(id).isPositive();
            assertThat(g.getOwnerId()).isEqualTo(owner.id());
            assertThat(g.getMyRole()).isEqualTo(GroupRole.OWNER);
            assertThat(g.getMemberCount()).isEqualTo(3);
            assertThat(g.getJoinPolicy()).isEqualTo(JoinPolicy.OPEN);
            assertThat(g.getName()).isEqualTo("Hikers");
            assertThat(g.getDissolvedAt()).isZero();

            for (NativeClient c : List.of(o, a, b)) {
                Message created = awaitEvent(c, id, CREATED);
                assertThat(created.getSeq()).isEqualTo(1);
                assertThat(created.getConversationId()).isEqualTo(conversation(id));
                assertThat(created.getSenderId()).isEqualTo(owner.id());
                GroupEvent e = created.getContent().getEvent();
                assertThat(e.getGroupId()).isEqualTo(id);
                assertThat(e.getOperatorId()).isEqualTo(owner.id());
                assertThat(e.getTargetIdsList()).containsExactlyInAnyOrder(m1.id(), m2.id());
            }

            // get, natively and over HTTP, with the caller's own role
            assertThat(ok(a, id, get()).getGroup().getMyRole()).isEqualTo(GroupRole.MEMBER);
            JsonNode forMember = info(id, m2);
            assertThat(forMember.get("group_id").asLong()).isEqualTo(id);
            assertThat(forMember.get("name").asText()).isEqualTo("Hikers");
            assertThat(forMember.get("description").asText()).isEqualTo("weekend walks");
            assertThat(forMember.get("owner_id").asLong()).isEqualTo(owner.id());
            assertThat(forMember.get("member_count").asInt()).isEqualTo(3);
            assertThat(forMember.get("join_policy").asText()).isEqualTo("open");
            assertThat(forMember.get("my_role").asText()).isEqualTo("member");
            assertThat(forMember.get("announcement").asText()).isEmpty();
            assertThat(forMember.get("mute_all").asBoolean()).isFalse();
            JsonNode forOutsider = info(id, outsider);
            assertThat(forOutsider.get("name").asText()).isEqualTo("Hikers");
            assertThat(forOutsider.has("my_role")).as("an outsider has no role").isFalse();

            // my groups
            JsonNode mine = okHttp(server.api.get("/api/groups/my", m1.token()));
            assertThat(mine.get("total").asInt()).isEqualTo(1);
            assertThat(mine.get("groups").get(0).get("group_id").asLong()).isEqualTo(id);
            assertThat(mine.get("groups").get(0).get("my_role").asText()).isEqualTo("member");
            List<GroupInfo> ownerMine = ok(o, 0, GroupCommand.newBuilder().setMine(Empty.getDefaultInstance())).getGroups().getGroupsList();
            assertThat(ownerMine).singleElement().satisfies(x -> {
                assertThat(x.getGroupId()).isEqualTo(id);
                assertThat(x.getMyRole()).isEqualTo(GroupRole.OWNER);
            });
            assertThat(okHttp(server.api.get("/api/groups/my", outsider.token())).get("total").asInt()).isZero();

            assertThat(code(command(o, 999_999, get()))).isEqualTo(6001);
            assertThat(server.api.get("/api/groups/999999", owner.token()).code()).isEqualTo(6001);
        }
    }

    @Test
    void createRefusesBadNamesUnknownMembersAndUnknownPolicies() {
        Account owner = user("picky");
        Reply blank = server.api.post("/api/groups", obj("name", "  "), owner.token());
        assertThat(blank.code()).isEqualTo(6014);
        Reply tooLong = server.api.post("/api/groups", obj("name", "n".repeat(65)), owner.token());
        assertThat(tooLong.code()).isEqualTo(6014);
        Reply unknown = server.api.post("/api/groups", obj("name", "ghosts", "member_ids", List.of(987_654_321L)), owner.token());
        assertThat(unknown.code()).isEqualTo(3004);
        for (String policy : List.of("whoever", "join_policy_unspecified", "unrecognized", "invite-only")) {
            assertThat(server.api.post("/api/groups", obj("name", "odd", "join_policy", policy), owner.token()).code())
                    .as(policy).isEqualTo(1002);
        }
        JsonNode shouty = okHttp(server.api.post("/api/groups", obj("name", "shouty", "join_policy", "INVITE_ONLY"), owner.token()));
        assertThat(shouty.get("join_policy").asText()).isEqualTo("invite_only");
        assertThat(okHttp(server.api.get("/api/groups/my", owner.token())).get("total").asInt()).isEqualTo(1);
        assertThat(server.api.put("/api/groups/" + shouty.get("group_id").asLong(), obj("join_policy", "sometimes"), owner.token())
                .code()).isEqualTo(1002);
    }

    // ---- update, dissolve ----------------------------------------------------------------------------

    @Test
    void updateChangesInformationAndAnnouncementWithAnInfoChangedEvent() {
        Account owner = user("editor");
        Account admin = user("deputy");
        Account member = user("reader");
        long id = create(server.api, owner, "open", admin, member);
        makeAdmin(owner, id, admin);
        try (NativeClient o = login(owner); NativeClient a = login(admin); NativeClient m = login(member)) {
            JsonNode updated = okHttp(server.api.put("/api/groups/" + id, obj("name", "Renamed", "announcement", "Meet at 9"),
                    owner.token()));
            assertThat(updated.get("name").asText()).isEqualTo("Renamed");
            assertThat(updated.get("announcement").asText()).isEqualTo("Meet at 9");
            for (NativeClient c : List.of(o, a, m)) {
                GroupEvent e = awaitEvent(c, id, INFO_CHANGED).getContent().getEvent();
                assertThat(e.getOperatorId()).isEqualTo(owner.id());
                assertThat(e.getExtra()).isEqualTo("name,announcement");
            }

            // an admin changes the announcement only, natively
            GroupInfo byAdmin = ok(a, id, GroupCommand.newBuilder().setUpdate(GroupUpdate.newBuilder().setAnnouncement("Meet at 10")))
                    .getGroup();
            assertThat(byAdmin.getAnnouncement()).isEqualTo("Meet at 10");
            assertThat(byAdmin.getName()).isEqualTo("Renamed");
            GroupEvent e = awaitEvent(m, id, INFO_CHANGED).getContent().getEvent();
            assertThat(e.getOperatorId()).isEqualTo(admin.id());
            assertThat(e.getExtra()).isEqualTo("announcement");

            okHttp(server.api.put("/api/groups/" + id, obj("join_policy", "approval", "description", "new rules"), admin.token()));
            assertThat(awaitEvent(m, id, INFO_CHANGED).getContent().getEvent().getExtra()).isEqualTo("description,join_policy");
            JsonNode now = info(id, member);
            assertThat(now.get("name").asText()).isEqualTo("Renamed");
            assertThat(now.get("announcement").asText()).isEqualTo("Meet at 10");
            assertThat(now.get("description").asText()).isEqualTo("new rules");
            assertThat(now.get("join_policy").asText()).isEqualTo("approval");

            // nothing to change: no event
            ok(o, id, GroupCommand.newBuilder().setUpdate(GroupUpdate.getDefaultInstance()));
            noEvent(m, id, INFO_CHANGED);

            assertThat(server.api.put("/api/groups/" + id, obj("announcement", "x".repeat(2049)), owner.token()).code())
                    .isEqualTo(6015);
            assertThat(server.api.put("/api/groups/" + id, obj("name", ""), owner.token()).code()).isEqualTo(6014);
            assertThat(server.api.put("/api/groups/" + id, obj("name", "mine now"), member.token()).code()).isEqualTo(6003);
            assertThat(info(id, member).get("name").asText()).isEqualTo("Renamed");
        }
    }

    @Test
    void dissolvingTellsMembersThenRefusesSendsAndChangesButKeepsHistoryReadable() {
        Account owner = user("founder");
        Account member = user("loyal");
        Account admin = user("helper");
        Account outsider = user("late");
        long id = create(server.api, owner, "open", member, admin);
        makeAdmin(owner, id, admin);
        try (NativeClient o = login(owner); NativeClient m = login(member); NativeClient x = login(outsider)) {
            long before = sent(m, id, "before the end");
            assertThat(server.api.delete("/api/groups/" + id, admin.token()).code()).isEqualTo(6003);
            assertThat(code(command(m, id, GroupCommand.newBuilder().setDissolve(Empty.getDefaultInstance())))).isEqualTo(6003);

            okHttp(server.api.delete("/api/groups/" + id, owner.token()));
            for (NativeClient c : List.of(o, m)) {
                Message dissolved = awaitEvent(c, id, DISSOLVED);
                assertThat(dissolved.getSeq()).isEqualTo(before + 1);
                assertThat(dissolved.getContent().getEvent().getOperatorId()).isEqualTo(owner.id());
            }

            assertThat(code(sendText(m, id, "anyone?"))).isEqualTo(6006);
            assertThat(code(sendText(o, id, "hello?"))).isEqualTo(6006);
            // every change is refused
            assertThat(server.api.put("/api/groups/" + id, obj("name", "revived"), owner.token()).code()).isEqualTo(6006);
            assertThat(server.api.delete("/api/groups/" + id, owner.token()).code()).isEqualTo(6006);
            assertThat(server.api.post("/api/groups/" + id + "/invite", obj("user_ids", List.of(outsider.id())), owner.token()).code())
                    .isEqualTo(6006);
            assertThat(server.api.post("/api/groups/" + id + "/kick", obj("target_ids", List.of(member.id())), owner.token()).code())
                    .isEqualTo(6006);
            assertThat(server.api.post("/api/groups/" + id + "/mute", obj("target_id", member.id(), "duration_s", 60), owner.token())
                    .code()).isEqualTo(6006);
            assertThat(server.api.post("/api/groups/" + id + "/mute-all", obj("mute_all", true), admin.token()).code()).isEqualTo(6006);
            assertThat(server.api.post("/api/groups/" + id + "/admin", obj("target_id", member.id(), "is_admin", true), owner.token())
                    .code()).isEqualTo(6006);
            assertThat(server.api.post("/api/groups/" + id + "/transfer", obj("new_owner_id", member.id()), owner.token()).code())
                    .isEqualTo(6006);
            assertThat(code(command(x, id, GroupCommand.newBuilder().setJoin(JoinGroup.getDefaultInstance())))).isEqualTo(6006);

            // still there to read
            JsonNode g = info(id, member);
            assertThat(g.get("dissolved_at").asLong()).isPositive();
            List<JsonNode> timeline = httpHistory(server.api, member.token(), id);
            assertThat(timeline.getLast().get("type").asInt()).isEqualTo(GroupKit.jsonType(DISSOLVED));
            assertThat(timeline.getLast().get("content").get("type").asText()).isEqualTo("dissolved");
            Envelope nativeHistory = history(o, id);
            assertThat(nativeHistory.getMessages().getMessagesList()).anySatisfy(msg ->
                    assertThat(msg.getContent().getText().getText()).isEqualTo("before the end"));
            assertThat(okHttp(server.api.get("/api/groups/" + id + "/members", member.token())).get("total").asInt()).isEqualTo(3);
            assertThat(okHttp(server.api.get("/api/groups/my", member.token())).get("groups").get(0).get("dissolved_at").asLong())
                    .isPositive();

            // leaving a dissolved group only tidies one's own lists: allowed to anyone, the owner too, and silent
            okHttp(server.api.post("/api/groups/" + id + "/leave", null, member.token()));
            GroupKit.ok(o, id, GroupCommand.newBuilder().setLeave(Empty.getDefaultInstance()));
            assertThat(o.drainMessages(Duration.ofMillis(300))).as("no LEFT events in a dissolved group")
                    .noneMatch(e -> e.getMessage().getSeq() > before + 1);
            assertThat(httpHistory(server.api, admin.token(), id).getLast().get("type").asInt())
                    .isEqualTo(GroupKit.jsonType(DISSOLVED));
            assertThat(okHttp(server.api.get("/api/groups/my", member.token())).get("total").asInt()).isZero();
            assertThat(code(history(m, id))).isEqualTo(5005);
            assertThat(okHttp(server.api.get("/api/groups/" + id + "/members", admin.token())).get("total").asInt()).isEqualTo(1);
        }
    }

    // ---- members --------------------------------------------------------------------------------------

    @Test
    void theMemberListPagesOwnerFirstThenAdminsThenMembers() {
        Account owner = user("chief");
        List<Account> members = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            members.add(user("crew"));
        }
        long id = create(server.api, owner, "open", members.toArray(Account[]::new));
        Account admin = members.get(7);
        makeAdmin(owner, id, admin);

        Set<Long> seen = new HashSet<>();
        List<JsonNode> all = new ArrayList<>();
        for (int page = 1; page <= 3; page++) {
            JsonNode data = okHttp(server.api.get("/api/groups/" + id + "/members?page_size=5&page=" + page, members.get(0).token()));
            assertThat(data.get("total").asInt()).isEqualTo(12);
            assertThat(data.get("members")).hasSize(page < 3 ? 5 : 2);
            data.get("members").forEach(m -> {
                assertThat(seen.add(m.get("user_id").asLong())).as("no member on two pages").isTrue();
                all.add(m);
            });
        }
        assertThat(okHttp(server.api.get("/api/groups/" + id + "/members?page_size=5&page=4", owner.token())).get("members"))
                .isEmpty();
        Set<Long> expected = new HashSet<>(members.stream().map(Account::id).toList());
        expected.add(owner.id());
        assertThat(seen).isEqualTo(expected);
        assertThat(all.get(0).get("user_id").asLong()).isEqualTo(owner.id());
        assertThat(all.get(0).get("role").asText()).isEqualTo("owner");
        assertThat(all.get(1).get("user_id").asLong()).isEqualTo(admin.id());
        assertThat(all.get(1).get("role").asText()).isEqualTo("admin");
        assertThat(all.subList(2, 12)).allSatisfy(m -> assertThat(m.get("role").asText()).isEqualTo("member"));
        assertThat(all.get(2).get("muted_until").asLong()).isZero();

        try (NativeClient c = login(members.get(3))) {
            var page = ok(c, id, GroupCommand.newBuilder().setMembers(Page.newBuilder().setOffset(10).setLimit(5))).getMembers();
            assertThat(page.getTotal()).isEqualTo(12);
            assertThat(page.getMembersList()).extracting(GroupMember::getUserId)
                    .containsExactly(all.get(10).get("user_id").asLong(), all.get(11).get("user_id").asLong());
            var everyone = ok(c, id, GroupCommand.newBuilder().setMembers(Page.getDefaultInstance())).getMembers();
            assertThat(everyone.getMembersList()).hasSize(12);
            assertThat(everyone.getMembers(0).getRole()).isEqualTo(GroupRole.OWNER);
        }
        Account stranger = user("stranger");
        assertThat(server.api.get("/api/groups/" + id + "/members", stranger.token()).code()).isEqualTo(6002);
    }

    // ---- joining: open, approval, invite-only; invitations -------------------------------------------

    @Test
    void joiningAnOpenGroupMakesAMemberAndTellsEveryone() {
        Account owner = user("host");
        Account member = user("regular");
        Account joiner = user("newcomer");
        long id = create(server.api, owner, "open", member);
        try (NativeClient o = login(owner); NativeClient m = login(member); NativeClient j = login(joiner)) {
            assertThat(code(sendText(j, id, "let me speak"))).isEqualTo(6002);
            assertThat(code(history(j, id))).isEqualTo(5005);

            JsonNode joined = okHttp(server.api.post("/api/groups/" + id + "/join", null, joiner.token()));
            assertThat(joined.get("my_role").asText()).isEqualTo("member");
            assertThat(joined.get("member_count").asInt()).isEqualTo(3);
            for (NativeClient c : List.of(o, m, j)) {
                GroupEvent e = awaitEvent(c, id, JOINED).getContent().getEvent();
                assertThat(e.getTargetIdsList()).containsExactly(joiner.id());
                assertThat(e.getOperatorId()).isEqualTo(joiner.id());
            }
            long seq = sent(j, id, "hello all");
            assertThat(GroupKit.awaitSeq(m, id, seq).getSenderId()).isEqualTo(joiner.id());

            assertThat(server.api.post("/api/groups/" + id + "/join", null, joiner.token()).code()).isEqualTo(6008);
            assertThat(code(command(o, id, GroupCommand.newBuilder().setJoin(JoinGroup.getDefaultInstance())))).isEqualTo(6008);
            assertThat(server.api.post("/api/groups/987654/join", null, joiner.token()).code()).isEqualTo(6001);
        }
    }

    @Test
    void anApprovalGroupTakesRequestsThatTheOwnerOrAnAdminAcceptsOrDeclines() {
        Account owner = user("gatekeeper");
        Account admin = user("doorman");
        Account member = user("insider");
        Account asker = user("asker");
        Account second = user("hopeful");
        Account outsider = user("nosy");
        long id = create(server.api, owner, "approval", admin, member);
        makeAdmin(owner, id, admin);
        try (NativeClient o = login(owner); NativeClient m = login(member); NativeClient a = login(asker)) {
            JsonNode pending = okHttp(server.api.post("/api/groups/" + id + "/join", obj("message", "let me in"), asker.token()));
            assertThat(pending.get("pending").asBoolean()).isTrue();
            JsonNode request = pending.get("request");
            long requestId = request.get("request_id").asLong();
            assertThat(request.get("group_id").asLong()).isEqualTo(id);
            assertThat(request.get("user_id").asLong()).isEqualTo(asker.id());
            assertThat(request.get("message").asText()).isEqualTo("let me in");
            assertThat(request.get("state").asText()).isEqualTo("pending");
            assertThat(request.has("inviter_id")).as("a request has no inviter").isFalse();

            // asking twice, or acting before acceptance, does not work
            assertThat(server.api.post("/api/groups/" + id + "/join", null, asker.token()).code()).isEqualTo(6010);
            assertThat(code(sendText(a, id, "am I in?"))).isEqualTo(6002);
            assertThat(info(id, asker).has("my_role")).isFalse();

            // who sees and answers requests
            JsonNode requests = okHttp(server.api.get("/api/groups/" + id + "/requests", admin.token()));
            assertThat(requests.get("total").asInt()).isEqualTo(1);
            assertThat(requests.get("requests").get(0).get("request_id").asLong()).isEqualTo(requestId);
            assertThat(server.api.get("/api/groups/" + id + "/requests", member.token()).code()).isEqualTo(6003);
            assertThat(server.api.post("/api/groups/requests/" + requestId + "/accept", null, member.token()).code()).isEqualTo(6003);
            assertThat(server.api.post("/api/groups/requests/" + requestId + "/accept", null, outsider.token()).code()).isEqualTo(6011);
            assertThat(server.api.post("/api/groups/requests/" + requestId + "/accept", null, asker.token()).code()).isEqualTo(6011);

            okHttp(server.api.post("/api/groups/requests/" + requestId + "/accept", null, admin.token()));
            for (NativeClient c : List.of(o, m, a)) {
                GroupEvent e = awaitEvent(c, id, JOINED).getContent().getEvent();
                assertThat(e.getTargetIdsList()).containsExactly(asker.id());
                assertThat(e.getOperatorId()).isEqualTo(admin.id());
            }
            assertThat(info(id, asker).get("my_role").asText()).isEqualTo("member");
            assertThat(sent(a, id, "thanks")).isPositive();
            assertThat(server.api.post("/api/groups/requests/" + requestId + "/accept", null, owner.token()).code()).isEqualTo(6012);
            assertThat(okHttp(server.api.get("/api/groups/" + id + "/requests", owner.token())).get("total").asInt()).isZero();

            // a request the owner declines, natively
            try (NativeClient s = login(second)) {
                var reply = ok(s, id, GroupCommand.newBuilder().setJoin(JoinGroup.newBuilder().setMessage("me too")));
                assertThat(reply.hasRequest()).as(reply.toString()).isTrue();
                long secondId = reply.getRequest().getRequestId();
                ok(o, 0, GroupCommand.newBuilder().setAnswer(AnswerJoin.newBuilder().setRequestId(secondId).setAccept(false)));
                noEvent(m, id, JOINED);
                assertThat(code(sendText(s, id, "in?"))).isEqualTo(6002);
                assertThat(info(id, second).has("my_role")).isFalse();
                assertThat(code(command(o, 0, GroupCommand.newBuilder().setAnswer(AnswerJoin.newBuilder().setRequestId(secondId)
                        .setAccept(true))))).isEqualTo(6012);
                // declined is not banned: they may ask again
                var again = ok(s, id, GroupCommand.newBuilder().setJoin(JoinGroup.getDefaultInstance()));
                assertThat(again.getRequest().getRequestId()).isNotEqualTo(secondId);
                assertThat(again.getRequest().getState()).isEqualTo("pending");
            }
        }
    }

    @Test
    void anInviteOnlyGroupIsJoinedOnlyByInvitationsOfTheOwnerOrAnAdmin() {
        Account owner = user("curator");
        Account admin = user("scout");
        Account member = user("guest");
        Account accepting = user("yes");
        Account declining = user("no");
        Account joining = user("direct");
        long id = create(server.api, owner, "invite_only", admin, member);
        makeAdmin(owner, id, admin);
        try (NativeClient o = login(owner); NativeClient y = login(accepting)) {
            assertThat(server.api.post("/api/groups/" + id + "/join", null, accepting.token()).code()).isEqualTo(6013);
            assertThat(server.api.post("/api/groups/" + id + "/invite", obj("user_ids", List.of(accepting.id())), member.token()).code())
                    .isEqualTo(6003);

            JsonNode invited = okHttp(server.api.post("/api/groups/" + id + "/invite",
                    obj("user_ids", List.of(accepting.id(), declining.id())), admin.token()));
            assertThat(invited.get("total").asInt()).isEqualTo(2);
            invited.get("requests").forEach(r -> {
                assertThat(r.get("inviter_id").asLong()).isEqualTo(admin.id());
                assertThat(r.get("group_id").asLong()).isEqualTo(id);
                assertThat(r.get("state").asText()).isEqualTo("pending");
            });
            assertThat(invited.get("requests")).extracting(r -> r.get("user_id").asLong())
                    .containsExactly(accepting.id(), declining.id());
            assertThat(server.api.post("/api/groups/" + id + "/invite", obj("user_ids", List.of(accepting.id())), owner.token()).code())
                    .isEqualTo(6010);
            assertThat(server.api.post("/api/groups/" + id + "/invite", obj("user_ids", List.of(member.id())), owner.token()).code())
                    .isEqualTo(6008);

            // the invitee sees the invitation; only they answer it
            JsonNode mine = okHttp(server.api.get("/api/groups/invitations", accepting.token()));
            assertThat(mine.get("total").asInt()).isEqualTo(1);
            long invitation = mine.get("requests").get(0).get("request_id").asLong();
            assertThat(mine.get("requests").get(0).get("group_id").asLong()).isEqualTo(id);
            assertThat(server.api.post("/api/groups/requests/" + invitation + "/accept", null, owner.token()).code()).isEqualTo(6011);
            assertThat(server.api.post("/api/groups/requests/" + invitation + "/accept", null, declining.token()).code())
                    .isEqualTo(6011);
            // native view of my invitations
            var nativeMine = ok(y, 0, GroupCommand.newBuilder().setRequests(Empty.getDefaultInstance())).getRequests();
            assertThat(nativeMine.getRequestsList()).singleElement()
                    .satisfies(r -> assertThat(r.getRequestId()).isEqualTo(invitation));

            ok(y, 0, GroupCommand.newBuilder().setAnswer(AnswerJoin.newBuilder().setRequestId(invitation).setAccept(true)));
            for (NativeClient c : List.of(o, y)) {
                GroupEvent e = awaitEvent(c, id, JOINED).getContent().getEvent();
                assertThat(e.getTargetIdsList()).containsExactly(accepting.id());
                assertThat(e.getOperatorId()).as("the inviter let them in").isEqualTo(admin.id());
            }
            assertThat(info(id, accepting).get("my_role").asText()).isEqualTo("member");
            assertThat(okHttp(server.api.get("/api/groups/invitations", accepting.token())).get("total").asInt()).isZero();

            long declined = okHttp(server.api.get("/api/groups/invitations", declining.token())).get("requests").get(0)
                    .get("request_id").asLong();
            okHttp(server.api.post("/api/groups/requests/" + declined + "/decline", null, declining.token()));
            noEvent(o, id, JOINED);
            assertThat(okHttp(server.api.get("/api/groups/invitations", declining.token())).get("total").asInt()).isZero();
            assertThat(info(id, declining).has("my_role")).isFalse();
            assertThat(server.api.post("/api/groups/requests/" + declined + "/accept", null, declining.token()).code())
                    .isEqualTo(6012);

            // joining with a pending invitation accepts it, even in an invite-only group
            okHttp(server.api.post("/api/groups/" + id + "/invite", obj("user_ids", List.of(joining.id())), owner.token()));
            JsonNode joined = okHttp(server.api.post("/api/groups/" + id + "/join", null, joining.token()));
            assertThat(joined.get("my_role").asText()).isEqualTo("member");
            GroupEvent e = awaitEvent(o, id, JOINED).getContent().getEvent();
            assertThat(e.getTargetIdsList()).containsExactly(joining.id());
            assertThat(e.getOperatorId()).isEqualTo(owner.id());
            assertThat(okHttp(server.api.get("/api/groups/invitations", joining.token())).get("total").asInt()).isZero();
            assertThat(info(id, owner).get("member_count").asInt()).isEqualTo(5);
        }
    }

    @Test
    void inAnOpenGroupAnyMemberInvitesAndTheInviteeAccepts() {
        Account owner = user("opener");
        Account member = user("friendly");
        Account invitee = user("invitee");
        long id = create(server.api, owner, "open", member);
        try (NativeClient m = login(member); NativeClient i = login(invitee)) {
            var sent = ok(m, id, GroupCommand.newBuilder().setInvite(Targets.newBuilder().addUserIds(invitee.id()))).getRequests();
            long invitation = sent.getRequests(0).getRequestId();
            assertThat(sent.getRequests(0).getInviterId()).isEqualTo(member.id());
            ok(i, 0, GroupCommand.newBuilder().setAnswer(AnswerJoin.newBuilder().setRequestId(invitation).setAccept(true)));
            GroupEvent e = awaitEvent(i, id, JOINED).getContent().getEvent();
            assertThat(e.getOperatorId()).isEqualTo(member.id());
            assertThat(e.getTargetIdsList()).containsExactly(invitee.id());
            assertThat(code(command(m, id, GroupCommand.newBuilder().setInvite(Targets.newBuilder().addUserIds(987_654_321L)))))
                    .isEqualTo(3004);
            assertThat(code(command(m, id, GroupCommand.newBuilder().setInvite(Targets.getDefaultInstance())))).isEqualTo(1003);
        }
    }

    // ---- leaving, kicking ------------------------------------------------------------------------------

    @Test
    void membersLeaveButTheOwnerMustTransferFirst() {
        Account owner = user("captain");
        Account leaver = user("leaver");
        Account stayer = user("stayer");
        long id = create(server.api, owner, "open", leaver, stayer);
        try (NativeClient o = login(owner); NativeClient l = login(leaver); NativeClient s = login(stayer)) {
            assertThat(server.api.post("/api/groups/" + id + "/leave", null, owner.token()).code()).isEqualTo(6009);
            assertThat(code(command(o, id, GroupCommand.newBuilder().setLeave(Empty.getDefaultInstance())))).isEqualTo(6009);

            ok(l, id, GroupCommand.newBuilder().setLeave(Empty.getDefaultInstance()));
            long leftSeq = 0;
            for (NativeClient c : List.of(o, s, l)) {
                Message left = awaitEvent(c, id, LEFT);
                GroupEvent e = left.getContent().getEvent();
                assertThat(e.getTargetIdsList()).containsExactly(leaver.id());
                assertThat(e.getOperatorId()).isEqualTo(leaver.id());
                leftSeq = left.getSeq();
            }
            assertThat(code(history(l, id))).isEqualTo(5005);
            assertThat(code(sendText(l, id, "one more thing"))).isEqualTo(6002);
            assertThat(okHttp(server.api.get("/api/groups/my", leaver.token())).get("total").asInt()).isZero();
            assertThat(server.api.post("/api/groups/" + id + "/leave", null, leaver.token()).code()).isEqualTo(6002);
            assertThat(info(id, owner).get("member_count").asInt()).isEqualTo(2);

            long seq = sent(s, id, "quieter now");
            GroupKit.awaitSeq(o, id, seq);
            long last = leftSeq;
            assertThat(l.drainMessages(Duration.ofMillis(300))).as("a former member gets no more messages")
                    .noneMatch(e -> e.getMessage().getSeq() > last);
        }
    }

    @Test
    void aKickedMemberHearsOfItAndThenLosesAccess() {
        Account owner = user("boss");
        Account admin = user("bouncer");
        Account victim = user("victim");
        Account bystander = user("bystander");
        long id = create(server.api, owner, "open", admin, victim, bystander);
        makeAdmin(owner, id, admin);
        try (NativeClient o = login(owner); NativeClient v = login(victim); NativeClient b = login(bystander)) {
            long hello = sent(b, id, "hello");
            GroupKit.awaitSeq(v, id, hello);
            assertThat(synced(v, id)).isPresent();

            okHttp(server.api.post("/api/groups/" + id + "/kick", obj("target_ids", List.of(victim.id())), admin.token()));
            Message kicked = awaitEvent(v, id, KICKED);
            assertThat(kicked.getContent().getEvent().getTargetIdsList()).containsExactly(victim.id());
            assertThat(kicked.getContent().getEvent().getOperatorId()).isEqualTo(admin.id());
            assertThat(kicked.getSeq()).isEqualTo(hello + 1);
            for (NativeClient c : List.of(o, b)) {
                assertThat(awaitEvent(c, id, KICKED).getSeq()).isEqualTo(hello + 1);
            }

            // the conversation no longer exists for them
            assertThat(code(history(v, id))).isEqualTo(5005);
            assertThat(code(v.request(Envelope.newBuilder().setPull(PullRequest.newBuilder().setConversationId(conversation(id))))))
                    .isEqualTo(5005);
            assertThat(code(markRead(v, id, hello))).isEqualTo(5005);
            Reply http = server.api.get("/api/messages/group/" + id, victim.token());
            assertThat(http.code()).isEqualTo(5005);
            assertThat(http.status()).isEqualTo(404);
            assertThat(code(sendText(v, id, "wait, what?"))).isEqualTo(6002);
            assertThat(code(command(v, id, GroupCommand.newBuilder().setMembers(Page.getDefaultInstance())))).isEqualTo(6002);
            assertThat(code(command(v, id, GroupCommand.newBuilder().setReadState(ReadState.newBuilder().setSeq(hello)))))
                    .isEqualTo(6002);
            assertThat(synced(v, id)).as("sync no longer lists the group").isEmpty();
            assertThat(httpConversation(server.api, victim, id)).isNull();
            assertThat(okHttp(server.api.get("/api/groups/my", victim.token())).get("total").asInt()).isZero();

            long after = sent(b, id, "they are gone");
            GroupKit.awaitSeq(o, id, after);
            assertThat(v.drainMessages(Duration.ofMillis(300))).as("a former member gets no more messages")
                    .noneMatch(e -> e.getMessage().getSeq() > kicked.getSeq());

            assertThat(server.api.post("/api/groups/" + id + "/kick", obj("target_ids", List.of(admin.id())), admin.token()).code())
                    .isEqualTo(4001);
            assertThat(server.api.post("/api/groups/" + id + "/kick", obj("target_ids", List.of(victim.id())), owner.token()).code())
                    .isEqualTo(6016);
            assertThat(server.api.post("/api/groups/" + id + "/kick", obj("target_ids", List.of()), owner.token()).code())
                    .isEqualTo(1003);
            assertThat(info(id, owner).get("member_count").asInt()).isEqualTo(3);
        }
    }

    // ---- roles -------------------------------------------------------------------------------------------

    @Test
    void theOwnerAppointsAndDismissesAdminsAndTransfersTheGroup() {
        Account owner = user("elder");
        Account deputy = user("heir");
        Account member = user("commoner");
        long id = create(server.api, owner, "open", deputy, member);
        try (NativeClient o = login(owner); NativeClient d = login(deputy); NativeClient m = login(member)) {
            MuteMember.Builder muteMember = MuteMember.newBuilder().setUserId(member.id()).setDurationS(60);
            assertThat(code(command(d, id, GroupCommand.newBuilder().setMute(muteMember)))).isEqualTo(6003);

            ok(o, id, GroupCommand.newBuilder().setSetAdmin(SetAdmin.newBuilder().setUserId(deputy.id()).setAdmin(true)));
            GroupEvent appointed = awaitEvent(m, id, ROLE_CHANGED).getContent().getEvent();
            assertThat(appointed.getTargetIdsList()).containsExactly(deputy.id());
            assertThat(appointed.getExtra()).isEqualTo("admin");
            assertThat(ok(d, id, get()).getGroup().getMyRole()).isEqualTo(GroupRole.ADMIN);
            ok(d, id, GroupCommand.newBuilder().setMute(muteMember));
            ok(d, id, GroupCommand.newBuilder().setMute(MuteMember.newBuilder().setUserId(member.id()).setDurationS(0)));

            okHttp(server.api.post("/api/groups/" + id + "/admin", obj("target_id", deputy.id(), "is_admin", false), owner.token()));
            GroupEvent dismissed = awaitEvent(m, id, ROLE_CHANGED).getContent().getEvent();
            assertThat(dismissed.getExtra()).isEqualTo("member");
            assertThat(code(command(d, id, GroupCommand.newBuilder().setMute(muteMember)))).isEqualTo(6003);

            assertThat(server.api.post("/api/groups/" + id + "/admin", obj("target_id", owner.id(), "is_admin", true), owner.token())
                    .code()).isEqualTo(4001);
            Account stranger = user("passerby");
            assertThat(server.api.post("/api/groups/" + id + "/admin", obj("target_id", stranger.id(), "is_admin", true), owner.token())
                    .code()).isEqualTo(6016);
            assertThat(server.api.post("/api/groups/" + id + "/admin", obj("target_id", deputy.id()), owner.token()).code())
                    .isEqualTo(1003);

            // a muted member made owner is unmuted: nobody could lift the mute of an owner
            ok(o, id, GroupCommand.newBuilder().setMute(MuteMember.newBuilder().setUserId(deputy.id()).setDurationS(600)));
            assertThat(code(sendText(d, id, "let me speak"))).isEqualTo(6004);

            // transfer: the old owner stays on as an admin
            okHttp(server.api.post("/api/groups/" + id + "/transfer", obj("new_owner_id", deputy.id()), owner.token()));
            GroupEvent transferred = awaitEvent(m, id, ROLE_CHANGED).getContent().getEvent();
            assertThat(transferred.getTargetIdsList()).containsExactly(deputy.id());
            assertThat(transferred.getExtra()).isEqualTo("owner");
            assertThat(transferred.getOperatorId()).isEqualTo(owner.id());
            JsonNode forOld = info(id, owner);
            assertThat(forOld.get("owner_id").asLong()).isEqualTo(deputy.id());
            assertThat(forOld.get("my_role").asText()).isEqualTo("admin");
            assertThat(ok(d, id, get()).getGroup().getMyRole()).isEqualTo(GroupRole.OWNER);
            var roles = ok(m, id, GroupCommand.newBuilder().setMembers(Page.getDefaultInstance())).getMembers().getMembersList();
            assertThat(roles).extracting(GroupMember::getUserId).startsWith(deputy.id(), owner.id());
            assertThat(roles).extracting(GroupMember::getRole).containsExactly(GroupRole.OWNER, GroupRole.ADMIN, GroupRole.MEMBER);
            assertThat(roles.getFirst().getMutedUntil()).isZero();
            assertThat(sent(d, id, "my group now")).isPositive();

            // the powers moved with it
            assertThat(server.api.delete("/api/groups/" + id, owner.token()).code()).isEqualTo(6003);
            assertThat(server.api.post("/api/groups/" + id + "/transfer", obj("new_owner_id", owner.id()), owner.token()).code())
                    .isEqualTo(6003);
            assertThat(code(command(d, id, GroupCommand.newBuilder().setLeave(Empty.getDefaultInstance())))).isEqualTo(6009);
            assertThat(code(command(d, id, GroupCommand.newBuilder().setTransfer(Target.newBuilder().setUserId(deputy.id())))))
                    .isEqualTo(4001);
            // as an admin, the old owner still mutes members, and may now leave
            ok(o, id, GroupCommand.newBuilder().setMute(muteMember));
            ok(o, id, GroupCommand.newBuilder().setLeave(Empty.getDefaultInstance()));
            assertThat(info(id, deputy).get("member_count").asInt()).isEqualTo(2);
        }
    }

    // ---- muting -------------------------------------------------------------------------------------------

    @Test
    void aMutedMemberCannotSendUntilUnmutedOrTheMuteRunsOut() throws InterruptedException {
        Account owner = user("moderator");
        Account admin = user("warden");
        Account member = user("chatty");
        long id = create(server.api, owner, "open", admin, member);
        makeAdmin(owner, id, admin);
        try (NativeClient o = login(owner); NativeClient m = login(member)) {
            long now = server.clock().millis();
            okHttp(server.api.post("/api/groups/" + id + "/mute", obj("target_id", member.id(), "duration_s", 60), owner.token()));
            GroupEvent muted = awaitEvent(m, id, MUTED).getContent().getEvent();
            assertThat(muted.getTargetIdsList()).containsExactly(member.id());
            assertThat(Long.parseLong(muted.getExtra())).isBetween(now + 59_000, now + 70_000);

            Envelope refused = sendText(m, id, "let me talk");
            assertThat(code(refused)).isEqualTo(6004);
            assertThat(refused.getError().getName()).isEqualTo("MEMBER_MUTED");
            JsonNode members = okHttp(server.api.get("/api/groups/" + id + "/members", owner.token())).get("members");
            JsonNode entry = null;
            for (JsonNode e : members) {
                if (e.get("user_id").asLong() == member.id()) {
                    entry = e;
                }
            }
            assertThat(entry).isNotNull();
            assertThat(entry.get("muted_until").asLong()).isEqualTo(Long.parseLong(muted.getExtra()));

            // unmuted with 0
            ok(o, id, GroupCommand.newBuilder().setMute(MuteMember.newBuilder().setUserId(member.id()).setDurationS(0)));
            assertThat(awaitEvent(m, id, MUTED).getContent().getEvent().getExtra()).isEqualTo("0");
            assertThat(sent(m, id, "thank you")).isPositive();

            // a short mute runs out by itself
            okHttp(server.api.post("/api/groups/" + id + "/mute", obj("target_id", member.id(), "duration_s", 1), admin.token()));
            assertThat(awaitEvent(m, id, MUTED).getContent().getEvent().getOperatorId()).isEqualTo(admin.id());
            assertThat(code(sendText(m, id, "too soon"))).isEqualTo(6004);
            server.clock().advance(Duration.ofMillis(1_001));
            assertThat(sent(m, id, "free again")).isPositive();

            // duration_s is unsigned: 2^32-1 seconds is a very long mute (capped at 366 days), not an unmute
            long before = server.clock().millis();
            ok(o, id, GroupCommand.newBuilder().setMute(MuteMember.newBuilder().setUserId(member.id()).setDurationS(-1)));
            long until = Long.parseLong(awaitEvent(m, id, MUTED).getContent().getEvent().getExtra());
            assertThat(until).isBetween(before + 365L * 24 * 3600 * 1000, before + 367L * 24 * 3600 * 1000);
            assertThat(code(sendText(m, id, "still muted?"))).isEqualTo(6004);

            // nobody mutes themselves, and admins do not mute the owner
            assertThat(server.api.post("/api/groups/" + id + "/mute", obj("target_id", owner.id(), "duration_s", 60), admin.token())
                    .code()).isEqualTo(6003);
            assertThat(server.api.post("/api/groups/" + id + "/mute", obj("target_id", admin.id(), "duration_s", 60), admin.token())
                    .code()).isEqualTo(4001);
            assertThat(server.api.post("/api/groups/" + id + "/mute", obj("target_id", member.id()), owner.token()).code())
                    .isEqualTo(1003);
        }
    }

    @Test
    void muteAllSilencesMembersWhileTheOwnerAndAdminsStillSpeak() {
        Account owner = user("teacher");
        Account admin = user("assistant");
        Account member = user("pupil");
        long id = create(server.api, owner, "open", admin, member);
        makeAdmin(owner, id, admin);
        try (NativeClient o = login(owner); NativeClient a = login(admin); NativeClient m = login(member)) {
            ok(a, id, GroupCommand.newBuilder().setMuteAll(MuteAll.newBuilder().setMuteAll(true)));
            GroupEvent on = awaitEvent(m, id, MUTE_ALL).getContent().getEvent();
            assertThat(on.getExtra()).isEqualTo("true");
            assertThat(on.getOperatorId()).isEqualTo(admin.id());
            assertThat(info(id, member).get("mute_all").asBoolean()).isTrue();

            Envelope refused = sendText(m, id, "psst");
            assertThat(code(refused)).isEqualTo(6005);
            long fromOwner = sent(o, id, "quiet please");
            long fromAdmin = sent(a, id, "listen up");
            assertThat(GroupKit.awaitSeq(m, id, fromOwner).getSenderId()).isEqualTo(owner.id());
            assertThat(GroupKit.awaitSeq(m, id, fromAdmin).getSenderId()).isEqualTo(admin.id());

            okHttp(server.api.post("/api/groups/" + id + "/mute-all", obj("mute_all", false), owner.token()));
            assertThat(awaitEvent(m, id, MUTE_ALL).getContent().getEvent().getExtra()).isEqualTo("false");
            assertThat(info(id, member).get("mute_all").asBoolean()).isFalse();
            assertThat(sent(m, id, "finally")).isPositive();
        }
    }

    // ---- read state, mentions --------------------------------------------------------------------------

    @Test
    void readStateCountsTheReadersAmongThoseWhoWereMembersWhenItWasSent() {
        Account owner = user("poster");
        Account r1 = user("quick");
        Account r2 = user("prompt");
        Account slow = user("slow");
        Account late = user("tardy");
        long id = create(server.api, owner, "open", r1, r2, slow);
        try (NativeClient o = login(owner); NativeClient a = login(r1); NativeClient b = login(r2);
             NativeClient s = login(slow); NativeClient l = login(late)) {
            long seq = sent(o, id, "did you all read this?");
            for (NativeClient c : List.of(a, b, s)) {
                GroupKit.awaitSeq(c, id, seq);
            }
            assertThat(markRead(a, id, seq).hasOk()).isTrue();
            assertThat(markRead(b, id, seq).hasOk()).isTrue();
            okHttp(server.api.post("/api/groups/" + id + "/join", null, late.token()));

            JsonNode state = okHttp(server.api.get("/api/groups/" + id + "/read-state/" + seq, slow.token()));
            assertThat(state.get("seq").asLong()).isEqualTo(seq);
            assertThat(state.path("read_count").asInt(0)).isEqualTo(2);
            assertThat(state.path("unread_count").asInt(0)).as("the sender and the later member are not counted").isEqualTo(1);
            assertThat(state.get("read_user_ids")).extracting(JsonNode::asLong).containsExactlyInAnyOrder(r1.id(), r2.id());

            ReadStateResult viaNative = ok(o, id, GroupCommand.newBuilder().setReadState(ReadState.newBuilder().setSeq(seq)))
                    .getReadState();
            assertThat(viaNative.getReadCount()).isEqualTo(2);
            assertThat(viaNative.getUnreadCount()).isEqualTo(1);
            assertThat(viaNative.getReadUserIdsList()).containsExactlyInAnyOrder(r1.id(), r2.id());

            markRead(s, id, seq);
            ReadStateResult all = ok(a, id, GroupCommand.newBuilder().setReadState(ReadState.newBuilder().setSeq(seq))).getReadState();
            assertThat(all.getReadCount()).isEqualTo(3);
            assertThat(all.getUnreadCount()).isZero();

            // a later message: its sender is left out, the later member counts now
            long second = sent(a, id, "and this one?");
            GroupKit.awaitSeq(l, id, second);
            markRead(l, id, second);
            ReadStateResult next = ok(s, id, GroupCommand.newBuilder().setReadState(ReadState.newBuilder().setSeq(second))).getReadState();
            assertThat(next.getReadUserIdsList()).containsExactly(late.id());
            assertThat(next.getReadCount()).isEqualTo(1);
            assertThat(next.getUnreadCount()).isEqualTo(3);

            assertThat(server.api.get("/api/groups/" + id + "/read-state/99999", owner.token()).code()).isEqualTo(5006);
        }
    }

    @Test
    void mentionsMarkTheMentionedMembersConversationUntilTheyReadPastIt() {
        Account owner = user("leader");
        Account admin = user("announcer");
        Account speaker = user("speaker");
        Account named = user("named");
        Account other = user("other");
        long id = create(server.api, owner, "open", admin, speaker, named, other);
        makeAdmin(owner, id, admin);
        try (NativeClient o = login(owner); NativeClient ad = login(admin); NativeClient sp = login(speaker);
             NativeClient n = login(named); NativeClient ot = login(other)) {
            Envelope ack = send(sp, id, Text.newBuilder().setText("@named look").addAtUserIds(named.id()));
            long seq = ack.getSendAck().getSeq();
            Message pushed = GroupKit.awaitSeq(n, id, seq);
            assertThat(pushed.getContent().getText().getAtUserIdsList()).containsExactly(named.id());

            ConversationState forNamed = synced(n, id).orElseThrow();
            assertThat(forNamed.getMentioned()).isTrue();
            assertThat(forNamed.getGroupId()).isEqualTo(id);
            assertThat(forNamed.getLastSeq()).isEqualTo(seq);
            assertThat(synced(ot, id).orElseThrow().getMentioned()).isFalse();
            assertThat(synced(sp, id).orElseThrow().getMentioned()).isFalse();
            assertThat(httpConversation(server.api, named, id).get("mentioned").asBoolean()).isTrue();
            assertThat(httpConversation(server.api, other, id).get("mentioned").asBoolean()).isFalse();

            // reading up to just before it keeps the mark; reading past it clears it
            markRead(n, id, seq - 1);
            assertThat(synced(n, id).orElseThrow().getMentioned()).isTrue();
            markRead(n, id, seq);
            assertThat(synced(n, id).orElseThrow().getMentioned()).isFalse();
            assertThat(httpConversation(server.api, named, id).get("mentioned").asBoolean()).isFalse();

            // @all: owners and admins only
            Envelope byMember = send(sp, id, Text.newBuilder().setText("@all listen").setAtAll(true));
            assertThat(code(byMember)).isEqualTo(6003);
            long all = send(ad, id, Text.newBuilder().setText("@all meeting now").setAtAll(true)).getSendAck().getSeq();
            GroupKit.awaitSeq(o, id, all);
            for (Account everyone : List.of(owner, speaker, named, other)) {
                assertThat(httpConversation(server.api, everyone, id).get("mentioned").asBoolean())
                        .as(everyone.username() + " is mentioned").isTrue();
            }
            assertThat(httpConversation(server.api, admin, id).get("mentioned").asBoolean()).as("not the sender").isFalse();
            markRead(o, id, all);
            assertThat(synced(o, id).orElseThrow().getMentioned()).isFalse();
            assertThat(synced(ot, id).orElseThrow().getMentioned()).isTrue();
        }
    }

    @Test
    void membersRecallTheirOwnGroupMessagesButNeitherEventsNorAnythingOnceDissolved() {
        Account owner = user("archivist");
        Account member = user("hasty");
        Account other = user("onlooker");
        long id = create(server.api, owner, "open", member, other);
        try (NativeClient o = login(owner); NativeClient m = login(member); NativeClient x = login(other)) {
            long seq = sent(m, id, "oops, wrong group");
            GroupKit.awaitSeq(x, id, seq);
            assertThat(code(recall(x, id, seq))).isEqualTo(5007);
            Envelope recalled = recall(m, id, seq);
            assertThat(recalled.hasRecalled()).as(recalled.toString()).isTrue();
            for (NativeClient c : List.of(o, x)) {
                var pushed = c.await(Envelope::hasRecalled).getRecalled();
                assertThat(pushed.getConversationId()).isEqualTo(conversation(id));
                assertThat(pushed.getSeq()).isEqualTo(seq);
                assertThat(pushed.getByUserId()).isEqualTo(member.id());
            }
            assertThat(history(x, id).getMessages().getMessagesList()).filteredOn(msg -> msg.getSeq() == seq).singleElement()
                    .satisfies(msg -> assertThat(msg.getRecalled()).isTrue());
            // an event is not its operator's message to take back
            assertThat(code(recall(o, id, 1))).isEqualTo(5007);

            long kept = sent(m, id, "for the record");
            okHttp(server.api.delete("/api/groups/" + id, owner.token()));
            assertThat(code(recall(m, id, kept))).isEqualTo(6006);
        }
    }

    private static Envelope recall(NativeClient c, long groupId, long seq) {
        return c.request(Envelope.newBuilder().setRecall(Recall.newBuilder()
                .setConversationId(conversation(groupId)).setSeq(seq)));
    }

    @Test
    void concurrentJoinsOfOneUserMakeOneMembershipAndOneJoinedEvent() throws Exception {
        Account owner = user("magnet");
        long id = create(server.api, owner, "open");
        List<Account> joiners = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            joiners.add(user("clicker"));
        }
        int attempts = 5;
        List<List<Integer>> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(joiners.size() * attempts);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> codes = new ArrayList<>();
            for (Account j : joiners) {
                for (int k = 0; k < attempts; k++) {
                    codes.add(pool.submit(() -> {
                        go.await();
                        return server.api.post("/api/groups/" + id + "/join", null, j.token()).code();
                    }));
                }
            }
            go.countDown();
            for (int i = 0; i < joiners.size(); i++) {
                List<Integer> mine = new ArrayList<>();
                for (int k = 0; k < attempts; k++) {
                    mine.add(codes.get(i * attempts + k).get(30, TimeUnit.SECONDS));
                }
                answers.add(mine);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(info(id, owner).get("member_count").asInt()).isEqualTo(1 + joiners.size());
        assertThat(joinedTargets(owner, id)).as("one JOINED event per new member; answers were %s", answers)
                .containsExactlyInAnyOrderElementsOf(joiners.stream().map(Account::id).toList());
        assertThat(answers).as("each joiner: one success, then ALREADY_GROUP_MEMBER")
                .allSatisfy(mine -> assertThat(mine).containsOnlyOnce(0).containsOnly(0, 6008));
    }

    /** Whom the JOINED events of the group's timeline name, one entry per event and target. */
    private static List<Long> joinedTargets(Account reader, long groupId) {
        List<Long> targets = new ArrayList<>();
        for (JsonNode m : httpHistory(server.api, reader.token(), groupId)) {
            if (m.get("type").asInt() == GroupKit.jsonType(JOINED)) {
                m.get("content").get("target_ids").forEach(t -> targets.add(t.asLong()));
            }
        }
        return targets;
    }

    @Test
    void aRequestAcceptedByTheOwnerAndAnAdminAtOnceJoinsOnce() throws Exception {
        Account owner = user("warden");
        Account admin = user("turnkey");
        long id = create(server.api, owner, "approval", admin);
        makeAdmin(owner, id, admin);
        List<Account> askers = new ArrayList<>();
        List<Long> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Account a = user("applicant");
            askers.add(a);
            requests.add(okHttp(server.api.post("/api/groups/" + id + "/join", null, a.token())).get("request").get("request_id")
                    .asLong());
        }
        List<List<Integer>> answers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(requests.size() * 2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> codes = new ArrayList<>();
            for (long request : requests) {
                for (Account approver : List.of(owner, admin)) {
                    codes.add(pool.submit(() -> {
                        go.await();
                        return server.api.post("/api/groups/requests/" + request + "/accept", null, approver.token()).code();
                    }));
                }
            }
            go.countDown();
            for (int i = 0; i < requests.size(); i++) {
                answers.add(List.of(codes.get(2 * i).get(30, TimeUnit.SECONDS),
                        codes.get(2 * i + 1).get(30, TimeUnit.SECONDS)));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(info(id, owner).get("member_count").asInt()).isEqualTo(2 + askers.size());
        assertThat(joinedTargets(owner, id)).as("one JOINED event per new member; answers were %s", answers)
                .containsExactlyInAnyOrderElementsOf(askers.stream().map(Account::id).toList());
        assertThat(answers).as("each request: one acceptance succeeds, the other is refused")
                .allSatisfy(pair -> assertThat(pair).containsOnlyOnce(0));
    }

    @Test
    void clientsCannotWriteGroupEventsThemselves() {
        Account owner = user("forger");
        Account member = user("witness");
        long id = create(server.api, owner, "open", member);
        try (NativeClient o = login(owner)) {
            Envelope forged = o.request(Envelope.newBuilder().setSend(SendMessage.newBuilder().setToGroupId(id).setClientMsgId("forged-1")
                    .setContent(Content.newBuilder().setEvent(GroupEvent.newBuilder().setType(KICKED).setGroupId(id)
                            .setOperatorId(owner.id()).addTargetIds(member.id())))));
            assertThat(code(forged)).isEqualTo(5010);
            assertThat(httpHistory(server.api, owner.token(), id)).hasSize(1);
            assertThat(info(id, member).get("member_count").asInt()).isEqualTo(2);
        }
    }
}
