package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.server.HttpApi.Account;
import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole friend life cycle over real HTTP: request, accept, decline, cancel, remove, block, unblock. */
class FriendFlowTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension();


    @Test
    void requestAcceptListAndRemove() {
        Account alice = server.api.account("alice");
        Account bob = server.api.account("bob");

        Reply sent = server.api.post("/api/friends/requests", obj("user_id", bob.id(), "message", "hi, it's Alice"), alice.token());
        assertThat(sent.status()).isEqualTo(200);
        long requestId = sent.data().get("request_id").asLong();
        assertThat(sent.data().get("state").asText()).isEqualTo("pending");
        assertThat(sent.data().get("to").get("user_id").asLong()).isEqualTo(bob.id());

        JsonNode bobPending = server.api.get("/api/friends/requests", bob.token()).data();
        assertThat(bobPending.get("incoming")).hasSize(1);
        assertThat(bobPending.get("incoming").get(0).get("message").asText()).isEqualTo("hi, it's Alice");
        assertThat(bobPending.get("incoming").get(0).get("from").get("username").asText()).isEqualTo("alice");
        assertThat(server.api.get("/api/friends/requests?direction=outgoing", alice.token()).data().get("outgoing")).hasSize(1);

        Reply duplicate = server.api.post("/api/friends/requests", obj("username", "bob"), alice.token());
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.code()).isEqualTo(4003);

        // only the recipient may accept
        assertThat(server.api.post("/api/friends/requests/" + requestId + "/accept", null, alice.token()).code()).isEqualTo(4004);
        Reply accepted = server.api.post("/api/friends/requests/" + requestId + "/accept", null, bob.token());
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.data().get("state").asText()).isEqualTo("accepted");
        assertThat(server.api.post("/api/friends/requests/" + requestId + "/accept", null, bob.token()).code()).isEqualTo(4005);

        assertThat(friendIds(alice)).containsExactly(bob.id());
        assertThat(friendIds(bob)).containsExactly(alice.id());
        JsonNode friend = server.api.get("/api/friends", alice.token()).data().get("friends").get(0);
        assertThat(friend.get("nickname").asText()).isEqualTo("bob");
        assertThat(friend.get("blocked").asBoolean()).isFalse();
        assertThat(server.api.get("/api/friends/requests", bob.token()).data().get("incoming")).isEmpty();

        assertThat(server.api.post("/api/friends/requests", obj("user_id", alice.id()), bob.token()).code()).isEqualTo(4002);

        assertThat(server.api.delete("/api/friends/" + alice.id(), bob.token()).status()).isEqualTo(200);
        assertThat(friendIds(alice)).isEmpty();
        assertThat(friendIds(bob)).isEmpty();
        assertThat(server.api.delete("/api/friends/" + alice.id(), bob.token()).code()).isEqualTo(4006);
    }

    @Test
    void declineAndCancelEndARequestAndAllowANewOne() {
        Account carol = server.api.account("carol");
        Account dan = server.api.account("dan");

        long first = server.api.post("/api/friends/requests", obj("user_id", dan.id()), carol.token()).data().get("request_id").asLong();
        Reply declined = server.api.post("/api/friends/requests/" + first + "/decline", null, dan.token());
        assertThat(declined.data().get("state").asText()).isEqualTo("declined");
        assertThat(server.api.delete("/api/friends/requests/" + first, carol.token()).code()).isEqualTo(4005);

        long second = server.api.post("/api/friends/requests", obj("user_id", dan.id()), carol.token()).data().get("request_id").asLong();
        assertThat(second).isNotEqualTo(first);
        // only the sender may cancel
        assertThat(server.api.delete("/api/friends/requests/" + second, dan.token()).code()).isEqualTo(4004);
        Reply cancelled = server.api.delete("/api/friends/requests/" + second, carol.token());
        assertThat(cancelled.data().get("state").asText()).isEqualTo("cancelled");
        assertThat(server.api.get("/api/friends/requests", dan.token()).data().get("incoming")).isEmpty();
        assertThat(friendIds(carol)).isEmpty();
    }

    @Test
    void twoUsersWhoAskEachOtherBecomeFriendsAtOnce() {
        Account erin = server.api.account("erin");
        Account fred = server.api.account("fred");
        server.api.post("/api/friends/requests", obj("user_id", fred.id()), erin.token());
        Reply mutual = server.api.post("/api/friends/requests", obj("user_id", erin.id()), fred.token());
        assertThat(mutual.status()).isEqualTo(200);
        assertThat(mutual.data().get("state").asText()).isEqualTo("accepted");
        assertThat(friendIds(erin)).containsExactly(fred.id());
        assertThat(friendIds(fred)).containsExactly(erin.id());
    }

    @Test
    void requestsToOneselfOrToNobodyGetClearErrors() {
        Account gus = server.api.account("gus");
        Reply self = server.api.post("/api/friends/requests", obj("user_id", gus.id()), gus.token());
        assertThat(self.status()).isEqualTo(400);
        assertThat(self.code()).isEqualTo(4001);
        Reply nobody = server.api.post("/api/friends/requests", obj("user_id", 987654321L), gus.token());
        assertThat(nobody.status()).isEqualTo(404);
        assertThat(nobody.code()).isEqualTo(3004);
        assertThat(server.api.post("/api/friends/requests", obj("username", "no-such-user"), gus.token()).code()).isEqualTo(3004);
        assertThat(server.api.post("/api/friends/requests", obj("message", "to whom?"), gus.token()).code()).isEqualTo(1003);
        assertThat(server.api.post("/api/friends/requests/424242/accept", null, gus.token()).code()).isEqualTo(4004);
    }

    @Test
    void aBlockIsOneSidedAndSilent() {
        Account hana = server.api.account("hana");
        Account ivan = server.api.account("ivan");

        assertThat(server.api.put("/api/blocks/" + ivan.id(), null, hana.token()).status()).isEqualTo(200);
        assertThat(server.api.put("/api/blocks/" + ivan.id(), null, hana.token()).status()).isEqualTo(200); // idempotent
        JsonNode blocks = server.api.get("/api/blocks", hana.token()).data();
        assertThat(blocks.get("total").asInt()).isEqualTo(1);
        assertThat(blocks.get("users").get(0).get("user_id").asLong()).isEqualTo(ivan.id());

        // Ivan's request is not stored: he is answered as if Hana did not exist (as the MPIM
        // ADDFRIEND is), and nothing of his reaches her, now or after she unblocks him.
        Reply fromIvan = server.api.post("/api/friends/requests", obj("user_id", hana.id(), "message", "please?"), ivan.token());
        assertThat(fromIvan.status()).isEqualTo(404);
        assertThat(fromIvan.code()).isEqualTo(3004);
        assertThat(server.api.get("/api/friends/requests", ivan.token()).data().get("outgoing")).isEmpty();
        assertThat(server.api.get("/api/friends/requests", hana.token()).data().get("incoming")).isEmpty();

        // Hana cannot ask the user she blocks without unblocking first.
        Reply fromHana = server.api.post("/api/friends/requests", obj("user_id", ivan.id()), hana.token());
        assertThat(fromHana.status()).isEqualTo(409);
        assertThat(fromHana.code()).isEqualTo(4007);

        assertThat(server.api.delete("/api/blocks/" + ivan.id(), hana.token()).status()).isEqualTo(200);
        assertThat(server.api.get("/api/blocks", hana.token()).data().get("users")).isEmpty();
        assertThat(server.api.get("/api/friends/requests", hana.token()).data().get("incoming")).isEmpty();
        // Unblocked, Ivan may ask again, and this time it is a request.
        Reply again = server.api.post("/api/friends/requests", obj("user_id", hana.id(), "message", "now?"), ivan.token());
        assertThat(again.status()).isEqualTo(200);
        JsonNode incoming = server.api.get("/api/friends/requests", hana.token()).data().get("incoming");
        assertThat(incoming).hasSize(1);
        assertThat(incoming.get(0).get("message").asText()).isEqualTo("now?");
        long requestId = incoming.get(0).get("request_id").asLong();
        assertThat(server.api.post("/api/friends/requests/" + requestId + "/accept", null, hana.token()).status()).isEqualTo(200);
        assertThat(friendIds(hana)).containsExactly(ivan.id());
    }

    @Test
    void aRequestPendingWhenItsTargetBlocksTheSenderIsWithdrawn() {
        Account noa = server.api.account("noa");
        Account oli = server.api.account("oli");
        assertThat(server.api.post("/api/friends/requests", obj("user_id", noa.id(), "message", "hi"), oli.token()).status())
                .isEqualTo(200);
        server.api.put("/api/blocks/" + oli.id(), null, noa.token());
        server.api.delete("/api/blocks/" + oli.id(), noa.token());
        // Not kept hidden for later: the block ended it.
        assertThat(server.api.get("/api/friends/requests", noa.token()).data().get("incoming")).isEmpty();
    }

    @Test
    void blockingAFriendKeepsTheFriendshipButMarksIt() {
        Account jo = server.api.account("joan");
        Account kim = server.api.account("kim");
        long id = server.api.post("/api/friends/requests", obj("user_id", kim.id()), jo.token()).data().get("request_id").asLong();
        server.api.post("/api/friends/requests/" + id + "/accept", null, kim.token());

        server.api.put("/api/blocks/" + kim.id(), null, jo.token());
        assertThat(server.api.get("/api/friends", jo.token()).data().get("friends").get(0).get("blocked").asBoolean()).isTrue();
        // silent: Kim's list is unchanged
        assertThat(server.api.get("/api/friends", kim.token()).data().get("friends").get(0).get("blocked").asBoolean()).isFalse();

        server.api.delete("/api/blocks/" + kim.id(), jo.token());
        assertThat(server.api.get("/api/friends", jo.token()).data().get("friends").get(0).get("blocked").asBoolean()).isFalse();
    }

    @Test
    void blockingWithdrawsTheBlockersOwnPendingRequest() {
        Account lou = server.api.account("lou");
        Account mia = server.api.account("mia");
        server.api.post("/api/friends/requests", obj("user_id", mia.id()), lou.token());
        server.api.put("/api/blocks/" + mia.id(), null, lou.token());
        assertThat(server.api.get("/api/friends/requests", lou.token()).data().get("outgoing")).isEmpty();
        assertThat(server.api.get("/api/friends/requests", mia.token()).data().get("incoming")).isEmpty();
        assertThat(server.api.put("/api/blocks/" + lou.id(), null, lou.token()).code()).isEqualTo(4001);
        assertThat(server.api.put("/api/blocks/5555555", null, lou.token()).code()).isEqualTo(3004);
    }

    private static java.util.List<Long> friendIds(Account who) {
        Reply r = server.api.get("/api/friends", who.token());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.data().get("total").asInt()).isEqualTo(r.data().get("friends").size());
        return r.data().get("friends").findValues("user_id").stream().map(JsonNode::asLong).toList();
    }
}
