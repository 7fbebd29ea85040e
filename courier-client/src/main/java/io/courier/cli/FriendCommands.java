package io.courier.cli;

import io.courier.cli.FriendCommand.AddFriend;
import io.courier.cli.FriendCommand.Answer;
import io.courier.cli.FriendCommand.Block;
import io.courier.cli.FriendCommand.Cancel;
import io.courier.cli.FriendCommand.ListBlocks;
import io.courier.cli.FriendCommand.ListFriends;
import io.courier.cli.FriendCommand.ListRequests;
import io.courier.cli.FriendCommand.Presence;
import io.courier.cli.FriendCommand.Unfriend;
import io.courier.client.CourierClientException;
import io.courier.client.http.CourierHttp;
import io.courier.client.http.Friend;
import io.courier.client.http.FriendRequest;
import io.courier.client.http.FriendRequests;
import io.courier.client.http.UserProfile;
import io.courier.protocol.v1.PresenceChange;

import java.util.List;
import java.util.function.Function;

/** Friends, requests, blocks and presence: the HTTP API, except presence, which is real-time. */
final class FriendCommands {
    private final Account account;
    private final NameResolver names;
    private final Output out;
    private final TimeText times;

    FriendCommands(Account account, NameResolver names, Output out, TimeText times) {
        this.account = account;
        this.names = names;
        this.out = out;
        this.times = times;
    }

    void run(FriendCommand command) {
        switch (command) {
            case AddFriend a -> addFriend(a.user(), a.message());
            case ListFriends l -> listFriends();
            case ListRequests l -> listRequests();
            case Answer a -> answer(a.request(), a.accept());
            case Cancel c -> cancel(c.request());
            case Unfriend u -> unfriend(u.user());
            case Block b -> block(b.user(), b.block());
            case ListBlocks l -> listBlocks();
            case Presence p -> presence(p.users());
        }
    }

    /** MPIM's friendship was instant; Courier's is a request. Two crossed requests make friends at once. */
    private void addFriend(UserRef user, String message) {
        CourierHttp http = account.http();
        String token = account.token();
        FriendRequest r = Await.result(user.isId() ? http.requestFriend(token, user.id(), message)
                : http.requestFriend(token, user.text(), message));
        long me = account.requireSession().userId();
        UserProfile other = r.from().userId() == me ? r.to() : r.from();
        names.remember(other);
        if (r.state().equals("accepted")) {
            out.print(Tone.SUCCESS, "You and " + other.username() + " are friends now.");
        } else {
            out.print(Tone.SUCCESS, "Friend request #" + r.requestId() + " sent to " + other.username()
                    + "; they accept with: accept " + account.requireSession().username());
        }
    }

    private void listFriends() {
        List<Friend> friends = Await.result(account.http().friends(account.token()));
        if (friends.isEmpty()) {
            out.print("No friends yet; addfriend <user> asks someone.");
        }
        for (Friend f : friends) {
            names.remember(f.userId(), f.username());
            String state = f.online() ? "online" : f.lastSeen() > 0 ? "offline, last seen " + time(f.lastSeen()) : "offline";
            out.print(new Line().add(Tone.PEER, f.username()).add(" (id " + f.userId() + ")  ")
                    .add(f.online() ? Tone.SUCCESS : Tone.DIM, state).add(f.blocked() ? "  (blocked)" : ""));
        }
    }

    private void listRequests() {
        FriendRequests all = Await.result(account.http().friendRequests(account.token()));
        if (all.incoming().isEmpty() && all.outgoing().isEmpty()) {
            out.print("No pending friend requests.");
        }
        for (FriendRequest r : all.incoming()) {
            names.remember(r.from());
            out.print(new Line().add("#" + r.requestId() + " from ").add(Tone.PEER, r.from().username())
                    .add(" (id " + r.from().userId() + ")" + said(r)));
        }
        for (FriendRequest r : all.outgoing()) {
            names.remember(r.to());
            out.print(new Line().add("#" + r.requestId() + " to ").add(Tone.PEER, r.to().username())
                    .add(" (id " + r.to().userId() + ")" + said(r)));
        }
    }

    private void answer(RequestRef ref, boolean accept) {
        FriendRequest r = find(ref, Await.result(account.http().friendRequests(account.token())).incoming(),
                FriendRequest::from, "from");
        CourierHttp http = account.http();
        if (accept) {
            Await.result(http.acceptFriend(account.token(), r.requestId()));
            out.print(Tone.SUCCESS, "You and " + r.from().username() + " are friends now.");
        } else {
            Await.result(http.declineFriend(account.token(), r.requestId()));
            out.print(Tone.SUCCESS, "Declined " + r.from().username() + "'s friend request.");
        }
    }

    private void cancel(RequestRef ref) {
        FriendRequest r = find(ref, Await.result(account.http().friendRequests(account.token())).outgoing(),
                FriendRequest::to, "to");
        Await.result(account.http().cancelFriendRequest(account.token(), r.requestId()));
        out.print(Tone.SUCCESS, "Withdrew your friend request to " + r.to().username() + ".");
    }

    /**
     * A request by {@code #id}, or by the user on its other side. A bare number is taken as that
     * user's id first, then as a request id, so that both readings of {@code accept 7} work.
     */
    private static FriendRequest find(RequestRef ref, List<FriendRequest> pending,
                                      Function<FriendRequest, UserProfile> otherSide, String direction) {
        return switch (ref) {
            case RequestRef.ById byId -> pending.stream().filter(r -> r.requestId() == byId.requestId()).findFirst()
                    .orElseThrow(() -> notFound("No pending friend request #" + byId.requestId()));
            case RequestRef.ByUser byUser -> pending.stream().filter(r -> matches(byUser.user(), otherSide.apply(r)))
                    .findFirst()
                    .or(() -> byUser.user().isId()
                            ? pending.stream().filter(r -> r.requestId() == byUser.user().id()).findFirst()
                            : java.util.Optional.empty())
                    .orElseThrow(() -> notFound("No pending friend request " + direction + " " + byUser.user()));
        };
    }

    private static boolean matches(UserRef user, UserProfile profile) {
        return user.isId() ? profile.userId() == user.id() : profile.username().equalsIgnoreCase(user.text());
    }

    private static CourierClientException notFound(String message) {
        return new CourierClientException(4004, "FRIEND_REQUEST_NOT_FOUND", message);
    }

    private void unfriend(UserRef user) {
        long id = names.id(user);
        Await.result(account.http().removeFriend(account.token(), id));
        out.print(Tone.SUCCESS, names.name(id) + " is no longer your friend.");
    }

    private void block(UserRef user, boolean block) {
        long id = names.id(user);
        String token = account.token();
        Await.result(block ? account.http().block(token, id) : account.http().unblock(token, id));
        out.print(Tone.SUCCESS, (block ? "Blocked " : "Unblocked ") + names.name(id) + ".");
    }

    private void listBlocks() {
        List<UserProfile> blocked = Await.result(account.http().blocks(account.token()));
        if (blocked.isEmpty()) {
            out.print("You have blocked no one.");
        }
        blocked.forEach(u -> out.print(new Line().add(Tone.PEER, u.username()).add(" (id " + u.userId() + ")")));
    }

    /** The server answers for friends only: anyone else shows as offline. */
    private void presence(List<UserRef> users) {
        List<Long> ids = users.stream().map(names::id).toList();
        List<PresenceChange> states = Await.result(account.client().presence(ids));
        for (PresenceChange p : states) {
            String state = p.getOnline() ? "online since " + time(p.getLastSeen())
                    : p.getLastSeen() > 0 ? "offline, last seen " + time(p.getLastSeen()) : "offline";
            out.print(new Line().add(Tone.PEER, names.name(p.getUserId())).add("  ")
                    .add(p.getOnline() ? Tone.SUCCESS : Tone.DIM, state));
        }
    }

    private static String said(FriendRequest r) {
        return r.message() == null || r.message().isBlank() ? "" : ": " + MessageText.safe(r.message());
    }

    private String time(long epochMillis) {
        return times.of(epochMillis);
    }
}
