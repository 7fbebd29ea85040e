package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.protocol.v1.AnswerJoin;
import io.courier.protocol.v1.CreateGroup;
import io.courier.protocol.v1.Envelope;
import io.courier.protocol.v1.GroupCommand;
import io.courier.protocol.v1.GroupInfo;
import io.courier.protocol.v1.JoinGroup;
import io.courier.server.HttpApi.Account;
import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.courier.server.GroupKit.code;
import static io.courier.server.GroupKit.command;
import static io.courier.server.GroupKit.create;
import static io.courier.server.GroupKit.okHttp;
import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** groups.max-members on a node that allows 3: creation, joins, approvals and invitations all stop at the limit. */
class GroupLimitTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension(Map.of("groups.max-members", "3"));

    private static final AtomicInteger NAMES = new AtomicInteger();

    private static Account user(String prefix) {
        return server.api.account(prefix + NAMES.incrementAndGet());
    }

    private static NativeClient login(Account a) {
        return GroupKit.online(server.node().tcpPort(), a.token());
    }

    private static int memberCount(long id, Account caller) {
        return okHttp(server.api.get("/api/groups/" + id, caller.token())).get("member_count").asInt();
    }

    @Test
    void aGroupIsCreatedWithAtMostTheLimit() {
        Account owner = user("maker");
        Account a = user("alpha");
        Account b = user("bravo");
        Account c = user("charlie");
        Reply tooMany = server.api.post("/api/groups", obj("name", "crowd", "member_ids", List.of(a.id(), b.id(), c.id())),
                owner.token());
        assertThat(tooMany.code()).isEqualTo(6007);
        assertThat(tooMany.status()).isEqualTo(409);
        try (NativeClient o = login(owner)) {
            Envelope refused = command(o, 0, GroupCommand.newBuilder().setCreate(CreateGroup.newBuilder().setName("crowd")
                    .addMemberIds(a.id()).addMemberIds(b.id()).addMemberIds(c.id())));
            assertThat(code(refused)).isEqualTo(6007);
            assertThat(okHttp(server.api.get("/api/groups/my", owner.token())).get("total").asInt()).isZero();

            // the owner counts once, however often named
            GroupInfo full = GroupKit.ok(o, 0, GroupCommand.newBuilder().setCreate(CreateGroup.newBuilder().setName("trio")
                    .addMemberIds(a.id()).addMemberIds(b.id()).addMemberIds(owner.id()).addMemberIds(a.id()))).getGroup();
            assertThat(full.getMemberCount()).isEqualTo(3);
            assertThat(full.getMaxMembers()).isEqualTo(3);
        }
    }

    @Test
    void joiningAFullOpenGroupIsRefusedUntilSomeoneLeaves() {
        Account owner = user("full");
        Account a = user("alpha");
        Account b = user("bravo");
        Account joiner = user("joiner");
        long id = create(server.api, owner, "open", a, b);
        Reply refused = server.api.post("/api/groups/" + id + "/join", null, joiner.token());
        assertThat(refused.code()).isEqualTo(6007);
        assertThat(memberCount(id, owner)).isEqualTo(3);
        assertThat(GroupKit.httpHistory(server.api, owner.token(), id)).as("no JOINED event for a refused join").hasSize(1);

        okHttp(server.api.post("/api/groups/" + id + "/leave", null, b.token()));
        okHttp(server.api.post("/api/groups/" + id + "/join", null, joiner.token()));
        assertThat(memberCount(id, owner)).isEqualTo(3);
    }

    @Test
    void acceptingARequestOrAnInvitationIntoAFullGroupIsRefused() {
        Account owner = user("strict");
        Account a = user("alpha");
        Account b = user("bravo");
        Account asker = user("asker");
        Account invitee = user("invitee");
        long id = create(server.api, owner, "approval", a, b);
        long request = okHttp(server.api.post("/api/groups/" + id + "/join", null, asker.token())).get("request").get("request_id")
                .asLong();
        Reply accept = server.api.post("/api/groups/requests/" + request + "/accept", null, owner.token());
        assertThat(accept.code()).isEqualTo(6007);
        assertThat(memberCount(id, owner)).isEqualTo(3);

        // an invitation may be sent, but not taken up while the group is full: neither by answering nor by joining
        long invitation = okHttp(server.api.post("/api/groups/" + id + "/invite", obj("user_ids", List.of(invitee.id())),
                owner.token())).get("requests").get(0).get("request_id").asLong();
        try (NativeClient i = login(invitee)) {
            assertThat(code(command(i, id, GroupCommand.newBuilder().setJoin(JoinGroup.getDefaultInstance()))))
                    .isEqualTo(6007);
        }
        assertThat(memberCount(id, owner)).isEqualTo(3);
        assertThat(GroupKit.httpHistory(server.api, owner.token(), id)).as("no JOINED events").hasSize(1);
        assertThat(invitation).isPositive();
    }

    @Test
    void aRequestRefusedForAFullGroupCanBeAcceptedOnceThereIsRoom() {
        Account owner = user("patient");
        Account a = user("alpha");
        Account b = user("bravo");
        Account asker = user("asker");
        Account invitee = user("invitee");
        long id = create(server.api, owner, "approval", a, b);
        long request = okHttp(server.api.post("/api/groups/" + id + "/join", null, asker.token())).get("request").get("request_id")
                .asLong();
        long invitation = okHttp(server.api.post("/api/groups/" + id + "/invite", obj("user_ids", List.of(invitee.id())),
                owner.token())).get("requests").get(0).get("request_id").asLong();
        assertThat(server.api.post("/api/groups/requests/" + request + "/accept", null, owner.token()).code()).isEqualTo(6007);
        assertThat(server.api.post("/api/groups/requests/" + invitation + "/accept", null, invitee.token()).code()).isEqualTo(6007);

        // the failed acceptances consumed nothing: both are still pending
        JsonNode pending = okHttp(server.api.get("/api/groups/" + id + "/requests", owner.token()));
        assertThat(pending.get("requests")).extracting(r -> r.get("request_id").asLong()).containsExactly(request);
        JsonNode invitations = okHttp(server.api.get("/api/groups/invitations", invitee.token()));
        assertThat(invitations.get("requests")).extracting(r -> r.get("request_id").asLong()).containsExactly(invitation);

        okHttp(server.api.post("/api/groups/" + id + "/leave", null, a.token()));
        okHttp(server.api.post("/api/groups/requests/" + request + "/accept", null, owner.token()));
        assertThat(okHttp(server.api.get("/api/groups/" + id, asker.token())).get("my_role").asText()).isEqualTo("member");
        okHttp(server.api.post("/api/groups/" + id + "/leave", null, b.token()));
        try (NativeClient i = login(invitee)) {
            GroupKit.ok(i, 0, GroupCommand.newBuilder().setAnswer(AnswerJoin.newBuilder().setRequestId(invitation).setAccept(true)));
        }
        assertThat(memberCount(id, owner)).isEqualTo(3);
    }
}
