package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.server.HttpApi.Account;
import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole friend life cycle over real HTTP: request, accept, decline, cancel, remove, block, unblock. */
class FriendFlowTest {
    @TempDir
    static Path dir;
    static TestNode node;
    static HttpApi api;

    @BeforeAll
    static void start() {
        node = TestNode.start(dir);
        api = node.api;
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void requestAcceptListAndRemove() {
        Account alice = api.account("alice");
        Account bob = api.account("bob");

        Reply sent = api.post("/api/friends/requests", obj("user_id", bob.id(), "message", "hi, it's Alice"), alice.token());
        assertThat(sent.status()).isEqualTo(200);
        long requestId = sent.data().get("request_id").asLong();
        assertThat(sent.data().get("state").asText()).isEqualTo("pending");
        assertThat(sent.data().get("to").get("user_id").asLong()).isEqualTo(bob.id());

        JsonNode bobPending = api.get("/api/friends/requests", bob.token()).data();
        assertThat(bobPending.get("incoming")).hasSize(1);
        assertThat(bobPending.get("incoming").get(0).get("message").asText()).isEqualTo("hi, it's Alice");
        assertThat(bobPending.get("incoming").get(0).get("from").get("username").asText()).isEqualTo("alice");
        assertThat(api.get("/api/friends/requests?direction=outgoing", alice.token()).data().get("outgoing")).hasSize(1);

        Reply duplicate = api.post("/api/friends/requests", obj("username", "bob"), alice.token());
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.code()).isEqualTo(4003);

        // only the recipient may accept
        assertThat(api.post("/api/friends/requests/" + requestId + "/accept", null, alice.token()).code()).isEqualTo(4004);
        Reply accepted = api.post("/api/friends/requests/" + requestId + "/accept", null, bob.token());
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.data().get("state").asText()).isEqualTo("accepted");
        assertThat(api.post("/api/friends/requests/" + requestId + "/accept", null, bob.token()).code()).isEqualTo(4005);

        assertThat(friendIds(alice)).containsExactly(bob.id());
        assertThat(friendIds(bob)).containsExactly(alice.id());
        JsonNode friend = api.get("/api/friends", alice.token()).data().get("friends").get(0);
        assertThat(friend.get("nickname").asText()).isEqualTo("bob");
        assertThat(friend.get("blocked").asBoolean()).isFalse();
        assertThat(api.get("/api/friends/requests", bob.token()).data().get("incoming")).isEmpty();

        assertThat(api.post("/api/friends/requests", obj("user_id", alice.id()), bob.token()).code()).isEqualTo(4002);

        assertThat(api.delete("/api/friends/" + alice.id(), bob.token()).status()).isEqualTo(200);
        assertThat(friendIds(alice)).isEmpty();
        assertThat(friendIds(bob)).isEmpty();
        assertThat(api.delete("/api/friends/" + alice.id(), bob.token()).code()).isEqualTo(4006);
    }

    @Test
    void declineAndCancelEndARequestAndAllowANewOne() {
        Account carol = api.account("carol");
        Account dan = api.account("dan");

        long first = api.post("/api/friends/requests", obj("user_id", dan.id()), carol.token()).data().get("request_id").asLong();
        Reply declined = api.post("/api/friends/requests/" + first + "/decline", null, dan.token());
        assertThat(declined.data().get("state").asText()).isEqualTo("declined");
        assertThat(api.delete("/api/friends/requests/" + first, carol.token()).code()).isEqualTo(4005);

        long second = api.post("/api/friends/requests", obj("user_id", dan.id()), carol.token()).data().get("request_id").asLong();
        assertThat(second).isNotEqualTo(first);
        // only the sender may cancel
        assertThat(api.delete("/api/friends/requests/" + second, dan.token()).code()).isEqualTo(4004);
        Reply cancelled = api.delete("/api/friends/requests/" + second, carol.token());
        assertThat(cancelled.data().get("state").asText()).isEqualTo("cancelled");
        assertThat(api.get("/api/friends/requests", dan.token()).data().get("incoming")).isEmpty();
        assertThat(friendIds(carol)).isEmpty();
    }

    @Test
    void twoUsersWhoAskEachOtherBecomeFriendsAtOnce() {
        Account erin = api.account("erin");
        Account fred = api.account("fred");
        api.post("/api/friends/requests", obj("user_id", fred.id()), erin.token());
        Reply mutual = api.post("/api/friends/requests", obj("user_id", erin.id()), fred.token());
        assertThat(mutual.status()).isEqualTo(200);
        assertThat(mutual.data().get("state").asText()).isEqualTo("accepted");
        assertThat(friendIds(erin)).containsExactly(fred.id());
        assertThat(friendIds(fred)).containsExactly(erin.id());
    }

    @Test
    void requestsToOneselfOrToNobodyGetClearErrors() {
        Account gus = api.account("gus");
        Reply self = api.post("/api/friends/requests", obj("user_id", gus.id()), gus.token());
        assertThat(self.status()).isEqualTo(400);
        assertThat(self.code()).isEqualTo(4001);
        Reply nobody = api.post("/api/friends/requests", obj("user_id", 987654321L), gus.token());
        assertThat(nobody.status()).isEqualTo(404);
        assertThat(nobody.code()).isEqualTo(3004);
        assertThat(api.post("/api/friends/requests", obj("username", "no-such-user"), gus.token()).code()).isEqualTo(3004);
        assertThat(api.post("/api/friends/requests", obj("message", "to whom?"), gus.token()).code()).isEqualTo(1003);
        assertThat(api.post("/api/friends/requests/424242/accept", null, gus.token()).code()).isEqualTo(4004);
    }

    @Test
    void aBlockIsOneSidedAndSilent() {
        Account hana = api.account("hana");
        Account ivan = api.account("ivan");

        assertThat(api.put("/api/blocks/" + ivan.id(), null, hana.token()).status()).isEqualTo(200);
        assertThat(api.put("/api/blocks/" + ivan.id(), null, hana.token()).status()).isEqualTo(200); // idempotent
        JsonNode blocks = api.get("/api/blocks", hana.token()).data();
        assertThat(blocks.get("total").asInt()).isEqualTo(1);
        assertThat(blocks.get("users").get(0).get("user_id").asLong()).isEqualTo(ivan.id());

        // Ivan is not told: his request looks pending to him, and Hana never sees it.
        Reply fromIvan = api.post("/api/friends/requests", obj("user_id", hana.id(), "message", "please?"), ivan.token());
        assertThat(fromIvan.status()).isEqualTo(200);
        assertThat(fromIvan.data().get("state").asText()).isEqualTo("pending");
        assertThat(api.get("/api/friends/requests", ivan.token()).data().get("outgoing")).hasSize(1);
        assertThat(api.get("/api/friends/requests", hana.token()).data().get("incoming")).isEmpty();

        // Hana cannot ask the user she blocks without unblocking first.
        Reply fromHana = api.post("/api/friends/requests", obj("user_id", ivan.id()), hana.token());
        assertThat(fromHana.status()).isEqualTo(409);
        assertThat(fromHana.code()).isEqualTo(4007);

        assertThat(api.delete("/api/blocks/" + ivan.id(), hana.token()).status()).isEqualTo(200);
        assertThat(api.get("/api/blocks", hana.token()).data().get("users")).isEmpty();
        JsonNode incoming = api.get("/api/friends/requests", hana.token()).data().get("incoming");
        assertThat(incoming).hasSize(1);
        long requestId = incoming.get(0).get("request_id").asLong();
        assertThat(api.post("/api/friends/requests/" + requestId + "/accept", null, hana.token()).status()).isEqualTo(200);
        assertThat(friendIds(hana)).containsExactly(ivan.id());
    }

    @Test
    void blockingAFriendKeepsTheFriendshipButMarksIt() {
        Account jo = api.account("joan");
        Account kim = api.account("kim");
        long id = api.post("/api/friends/requests", obj("user_id", kim.id()), jo.token()).data().get("request_id").asLong();
        api.post("/api/friends/requests/" + id + "/accept", null, kim.token());

        api.put("/api/blocks/" + kim.id(), null, jo.token());
        assertThat(api.get("/api/friends", jo.token()).data().get("friends").get(0).get("blocked").asBoolean()).isTrue();
        // silent: Kim's list is unchanged
        assertThat(api.get("/api/friends", kim.token()).data().get("friends").get(0).get("blocked").asBoolean()).isFalse();

        api.delete("/api/blocks/" + kim.id(), jo.token());
        assertThat(api.get("/api/friends", jo.token()).data().get("friends").get(0).get("blocked").asBoolean()).isFalse();
    }

    @Test
    void blockingWithdrawsTheBlockersOwnPendingRequest() {
        Account lou = api.account("lou");
        Account mia = api.account("mia");
        api.post("/api/friends/requests", obj("user_id", mia.id()), lou.token());
        api.put("/api/blocks/" + mia.id(), null, lou.token());
        assertThat(api.get("/api/friends/requests", lou.token()).data().get("outgoing")).isEmpty();
        assertThat(api.get("/api/friends/requests", mia.token()).data().get("incoming")).isEmpty();
        assertThat(api.put("/api/blocks/" + lou.id(), null, lou.token()).code()).isEqualTo(4001);
        assertThat(api.put("/api/blocks/5555555", null, lou.token()).code()).isEqualTo(3004);
    }

    private static java.util.List<Long> friendIds(Account who) {
        Reply r = api.get("/api/friends", who.token());
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.data().get("total").asInt()).isEqualTo(r.data().get("friends").size());
        return r.data().get("friends").findValues("user_id").stream().map(JsonNode::asLong).toList();
    }
}
