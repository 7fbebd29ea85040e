package io.courier.store.friend;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.friend.Block;
import io.courier.core.friend.FriendRequest;
import io.courier.core.friend.Friendship;
import io.courier.core.friend.RequestState;
import io.courier.store.Backend;
import io.courier.store.TestDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JdbcFriendStoreTest {
    private static final long ALICE = 1;
    private static final long BOB = 2;
    private static final long CAROL = 3;
    private static final long DAVE = 4;

    @RegisterExtension
    static final TestDatabases.PerClass databases = TestDatabases.perClass();

    private JdbcFriendStore friends;

    private void on(Backend backend) {
        friends = new JdbcFriendStore(databases.fresh(backend).jdbc());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void createRequestStoresAPendingRequest(Backend backend) {
        on(backend);
        long id = friends.createRequest(ALICE, BOB, "Hi Bob 👋", 1_000);

        FriendRequest expected = new FriendRequest(id, ALICE, BOB, "Hi Bob 👋", RequestState.PENDING, 1_000, 1_000);
        assertThat(friends.findRequest(id)).contains(expected);
        assertThat(friends.pendingRequest(ALICE, BOB)).contains(expected);
        assertThat(friends.pendingRequest(BOB, ALICE)).isEmpty();
        assertThat(friends.findRequest(id + 1)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void onlyOneRequestPerDirectionMayBePending(Backend backend) {
        on(backend);
        long first = friends.createRequest(ALICE, BOB, "first", 1_000);

        CourierException e = catchThrowableOfType(CourierException.class,
                () -> friends.createRequest(ALICE, BOB, "again", 2_000));

        assertThat(e.code()).isEqualTo(ErrorCode.FRIEND_REQUEST_EXISTS);
        assertThat(friends.pendingFrom(ALICE)).extracting(FriendRequest::id).containsExactly(first);
        assertThat(friends.pendingRequest(ALICE, BOB).orElseThrow().message()).isEqualTo("first");
        // The other direction is a different request.
        long reverse = friends.createRequest(BOB, ALICE, "crossing", 3_000);
        assertThat(reverse).isNotEqualTo(first);
        assertThat(friends.pendingRequest(BOB, ALICE)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(reverse));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aNewRequestMayFollowADeclinedOne(Backend backend) {
        on(backend);
        long first = friends.createRequest(ALICE, BOB, "first", 1_000);
        assertThat(friends.closeRequest(first, RequestState.DECLINED, 2_000)).isTrue();

        long second = friends.createRequest(ALICE, BOB, "second", 3_000);

        assertThat(second).isGreaterThan(first);
        assertThat(friends.findRequest(first)).contains(
                new FriendRequest(first, ALICE, BOB, "first", RequestState.DECLINED, 1_000, 2_000));
        assertThat(friends.pendingRequest(ALICE, BOB)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(second));
        // And after a cancelled one too.
        assertThat(friends.closeRequest(second, RequestState.CANCELLED, 4_000)).isTrue();
        long third = friends.createRequest(ALICE, BOB, "third", 5_000);
        assertThat(friends.pendingFrom(ALICE)).extracting(FriendRequest::id).containsExactly(third);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void acceptingARequestMakesFriendsBothWaysOnce(Backend backend) {
        on(backend);
        long id = friends.createRequest(ALICE, BOB, "hi", 1_000);

        assertThat(friends.acceptRequest(id, 2_000)).isTrue();

        assertThat(friends.findRequest(id)).contains(new FriendRequest(id, ALICE, BOB, "hi", RequestState.ACCEPTED, 1_000, 2_000));
        assertThat(friends.pendingRequest(ALICE, BOB)).isEmpty();
        assertThat(friends.areFriends(ALICE, BOB)).isTrue();
        assertThat(friends.areFriends(BOB, ALICE)).isTrue();
        assertThat(friends.friendsOf(ALICE)).containsExactly(new Friendship(BOB, 2_000));
        assertThat(friends.friendsOf(BOB)).containsExactly(new Friendship(ALICE, 2_000));

        assertThat(friends.acceptRequest(id, 3_000)).isFalse();
        assertThat(friends.findRequest(id).orElseThrow().updatedAt()).isEqualTo(2_000);
        assertThat(friends.friendsOf(ALICE)).containsExactly(new Friendship(BOB, 2_000));
        assertThat(friends.acceptRequest(id + 100, 3_000)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void acceptingTheCrossingRequestOfExistingFriendsKeepsOneFriendshipEachWay(Backend backend) {
        on(backend);
        long aliceToBob = friends.createRequest(ALICE, BOB, "", 1_000);
        long bobToAlice = friends.createRequest(BOB, ALICE, "", 1_001);
        assertThat(friends.acceptRequest(aliceToBob, 2_000)).isTrue();

        assertThat(friends.acceptRequest(bobToAlice, 3_000)).isTrue();

        assertThat(friends.findRequest(bobToAlice).orElseThrow().state()).isEqualTo(RequestState.ACCEPTED);
        assertThat(friends.friendsOf(ALICE)).containsExactly(new Friendship(BOB, 2_000));
        assertThat(friends.friendsOf(BOB)).containsExactly(new Friendship(ALICE, 2_000));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void befriendMakesFriendsBothWaysAtOnceAndOnlyOnce(Backend backend) {
        on(backend);

        assertThat(friends.befriend(ALICE, BOB, 1_000)).isTrue();

        assertThat(friends.friendsOf(ALICE)).containsExactly(new Friendship(BOB, 1_000));
        assertThat(friends.friendsOf(BOB)).containsExactly(new Friendship(ALICE, 1_000));
        // Friends already, from either side: nothing changes.
        assertThat(friends.befriend(BOB, ALICE, 2_000)).isFalse();
        assertThat(friends.befriend(ALICE, BOB, 2_000)).isFalse();
        assertThat(friends.friendsOf(ALICE)).containsExactly(new Friendship(BOB, 1_000));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void befriendAcceptsThePendingRequestsBetweenTheTwoAndNoOthers(Backend backend) {
        on(backend);
        long aliceToBob = friends.createRequest(ALICE, BOB, "", 1_000);
        long bobToAlice = friends.createRequest(BOB, ALICE, "", 1_001);
        long carolToAlice = friends.createRequest(CAROL, ALICE, "", 1_002);

        assertThat(friends.befriend(BOB, ALICE, 2_000)).isTrue();

        assertThat(friends.findRequest(aliceToBob)).contains(new FriendRequest(aliceToBob, ALICE, BOB, "", RequestState.ACCEPTED, 1_000, 2_000));
        assertThat(friends.findRequest(bobToAlice)).contains(new FriendRequest(bobToAlice, BOB, ALICE, "", RequestState.ACCEPTED, 1_001, 2_000));
        assertThat(friends.pendingRequest(ALICE, BOB)).isEmpty();
        assertThat(friends.pendingRequest(BOB, ALICE)).isEmpty();
        assertThat(friends.pendingTo(ALICE)).extracting(FriendRequest::id).containsExactly(carolToAlice);
        assertThat(friends.areFriends(ALICE, BOB)).isTrue();
        // A later request between them is a new one, as after any accept.
        assertThat(friends.acceptRequest(aliceToBob, 3_000)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void befriendAfterAnEndedFriendshipMakesANewOne(Backend backend) {
        on(backend);
        friends.befriend(ALICE, BOB, 1_000);
        friends.removeFriendship(ALICE, BOB);
        friends.acceptRequest(friends.createRequest(ALICE, CAROL, "", 1_000), 1_500);

        assertThat(friends.befriend(ALICE, BOB, 2_000)).isTrue();
        assertThat(friends.befriend(CAROL, ALICE, 2_000)).isFalse();

        assertThat(friends.friendsOf(ALICE)).containsExactly(new Friendship(CAROL, 1_500), new Friendship(BOB, 2_000));
        assertThat(friends.friendsOf(BOB)).containsExactly(new Friendship(ALICE, 2_000));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void closeRequestEndsOnlyAPendingRequest(Backend backend) {
        on(backend);
        long declined = friends.createRequest(ALICE, BOB, "", 1_000);
        long accepted = friends.createRequest(CAROL, BOB, "", 1_000);
        friends.acceptRequest(accepted, 1_500);

        assertThat(friends.closeRequest(declined, RequestState.DECLINED, 2_000)).isTrue();
        assertThat(friends.closeRequest(declined, RequestState.CANCELLED, 3_000)).isFalse();
        assertThat(friends.closeRequest(accepted, RequestState.CANCELLED, 3_000)).isFalse();
        assertThat(friends.closeRequest(declined + accepted + 100, RequestState.DECLINED, 3_000)).isFalse();

        assertThat(friends.findRequest(declined)).hasValueSatisfying(r -> {
            assertThat(r.state()).isEqualTo(RequestState.DECLINED);
            assertThat(r.updatedAt()).isEqualTo(2_000);
        });
        assertThat(friends.findRequest(accepted).orElseThrow().state()).isEqualTo(RequestState.ACCEPTED);
        assertThat(friends.pendingTo(BOB)).isEmpty();
        assertThat(friends.areFriends(ALICE, BOB)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void pendingListsAreNewestFirstAndHoldOnlyPendingRequests(Backend backend) {
        on(backend);
        long fromAlice = friends.createRequest(ALICE, DAVE, "", 1_000);
        long fromBob = friends.createRequest(BOB, DAVE, "", 2_000);
        long fromCarol = friends.createRequest(CAROL, DAVE, "", 3_000);
        long aliceToBob = friends.createRequest(ALICE, BOB, "", 4_000);
        long aliceToCarol = friends.createRequest(ALICE, CAROL, "", 5_000);
        friends.closeRequest(fromBob, RequestState.CANCELLED, 6_000);
        friends.acceptRequest(aliceToCarol, 6_000);

        assertThat(friends.pendingTo(DAVE)).extracting(FriendRequest::id).containsExactly(fromCarol, fromAlice);
        assertThat(friends.pendingFrom(ALICE)).extracting(FriendRequest::id).containsExactly(aliceToBob, fromAlice);
        assertThat(friends.pendingTo(BOB)).extracting(FriendRequest::id).containsExactly(aliceToBob);
        assertThat(friends.pendingFrom(DAVE)).isEmpty();
        assertThat(friends.pendingTo(ALICE)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void friendsOfListsFriendsOldestFirst(Backend backend) {
        on(backend);
        friends.acceptRequest(friends.createRequest(ALICE, DAVE, "", 1_000), 3_000);
        friends.acceptRequest(friends.createRequest(CAROL, ALICE, "", 1_000), 2_000);
        friends.acceptRequest(friends.createRequest(ALICE, BOB, "", 1_000), 3_000);

        assertThat(friends.friendsOf(ALICE)).containsExactly(
                new Friendship(CAROL, 2_000), new Friendship(BOB, 3_000), new Friendship(DAVE, 3_000));
        assertThat(friends.friendsOf(CAROL)).containsExactly(new Friendship(ALICE, 2_000));
        assertThat(friends.friendsOf(99)).isEmpty();
        assertThat(friends.areFriends(BOB, CAROL)).isFalse();
        assertThat(friends.areFriends(ALICE, ALICE)).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void removeFriendshipEndsItInBothDirections(Backend backend) {
        on(backend);
        friends.acceptRequest(friends.createRequest(ALICE, BOB, "", 1_000), 2_000);
        friends.acceptRequest(friends.createRequest(ALICE, CAROL, "", 1_000), 2_000);

        // Either side may end it.
        assertThat(friends.removeFriendship(BOB, ALICE)).isTrue();

        assertThat(friends.areFriends(ALICE, BOB)).isFalse();
        assertThat(friends.areFriends(BOB, ALICE)).isFalse();
        assertThat(friends.friendsOf(BOB)).isEmpty();
        assertThat(friends.friendsOf(ALICE)).containsExactly(new Friendship(CAROL, 2_000));
        assertThat(friends.removeFriendship(ALICE, BOB)).isFalse();
        assertThat(friends.removeFriendship(BOB, DAVE)).isFalse();

        assertThat(friends.removeFriendship(ALICE, CAROL)).isTrue();
        assertThat(friends.friendsOf(CAROL)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void blockingIsOneSidedAndIdempotent(Backend backend) {
        on(backend);
        friends.block(ALICE, BOB, 1_000);
        friends.block(ALICE, BOB, 2_000);

        assertThat(friends.isBlocked(ALICE, BOB)).isTrue();
        assertThat(friends.isBlocked(BOB, ALICE)).isFalse();
        assertThat(friends.blocksOf(ALICE)).containsExactly(new Block(BOB, 1_000));
        assertThat(friends.blocksOf(BOB)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void blocksAreListedOldestFirstAndCanBeLifted(Backend backend) {
        on(backend);
        friends.block(ALICE, DAVE, 2_000);
        friends.block(ALICE, CAROL, 1_000);
        friends.block(ALICE, BOB, 2_000);
        friends.block(CAROL, ALICE, 3_000);

        assertThat(friends.blocksOf(ALICE)).containsExactly(
                new Block(CAROL, 1_000), new Block(BOB, 2_000), new Block(DAVE, 2_000));

        assertThat(friends.unblock(ALICE, BOB)).isTrue();
        assertThat(friends.unblock(ALICE, BOB)).isFalse();
        assertThat(friends.unblock(BOB, ALICE)).isFalse();
        assertThat(friends.isBlocked(ALICE, BOB)).isFalse();
        assertThat(friends.isBlocked(CAROL, ALICE)).isTrue();
        assertThat(friends.blocksOf(ALICE)).containsExactly(new Block(CAROL, 1_000), new Block(DAVE, 2_000));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void blockingDoesNotTouchFriendshipsOrRequests(Backend backend) {
        on(backend);
        friends.acceptRequest(friends.createRequest(ALICE, BOB, "", 1_000), 2_000);
        long pending = friends.createRequest(CAROL, ALICE, "", 3_000);

        friends.block(ALICE, BOB, 4_000);
        friends.block(ALICE, CAROL, 4_000);

        assertThat(friends.areFriends(ALICE, BOB)).isTrue();
        assertThat(friends.pendingTo(ALICE)).extracting(FriendRequest::id).containsExactly(pending);
    }
}
