package io.courier.gateway.api;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.friend.FriendService;
import io.courier.core.presence.PresenceService;
import io.courier.core.user.AccountRules;
import io.courier.core.user.UserStore;
import io.courier.gateway.http.ApiRequest;
import io.courier.gateway.http.ApiResponse;
import io.courier.gateway.http.Router;
import io.courier.protocol.v1.PresenceChange;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.courier.gateway.http.Router.Access.AUTHENTICATED;

/**
 * Courier's friend routes: requests are a resource of their own
 * ({@code /api/friends/requests/{request_id}}), friends and blocks are sets keyed by user id.
 */
public final class FriendApi {
    private final FriendService friends;
    private final UserStore users;
    private final PresenceService presence;

    public FriendApi(FriendService friends, UserStore users, PresenceService presence) {
        this.friends = friends;
        this.users = users;
        this.presence = presence;
    }

    /** The target may be named by {@code user_id} or by {@code username}. */
    record RequestBody(Long userId, String username, String message) {
    }

    public void routes(Router router) {
        router.post("/api/friends/requests", AUTHENTICATED, this::request)
                .get("/api/friends/requests", AUTHENTICATED, this::pending)
                .post("/api/friends/requests/{request_id}/accept", AUTHENTICATED,
                        r -> ApiResponse.ok(Views.request(friends.accept(me(r), r.pathId("request_id")))))
                .post("/api/friends/requests/{request_id}/decline", AUTHENTICATED,
                        r -> ApiResponse.ok(Views.request(friends.decline(me(r), r.pathId("request_id")))))
                .delete("/api/friends/requests/{request_id}", AUTHENTICATED,
                        r -> ApiResponse.ok(Views.request(friends.cancel(me(r), r.pathId("request_id")))))
                .get("/api/friends", AUTHENTICATED, this::list)
                .delete("/api/friends/{user_id}", AUTHENTICATED, r -> {
                    friends.remove(me(r), r.pathId("user_id"));
                    return ApiResponse.ok(null);
                })
                .get("/api/blocks", AUTHENTICATED, this::blocks)
                .put("/api/blocks/{user_id}", AUTHENTICATED, r -> {
                    friends.block(me(r), r.pathId("user_id"));
                    return ApiResponse.ok(null);
                })
                .delete("/api/blocks/{user_id}", AUTHENTICATED, r -> {
                    friends.unblock(me(r), r.pathId("user_id"));
                    return ApiResponse.ok(null);
                });
    }

    private ApiResponse request(ApiRequest request) {
        RequestBody body = request.body(RequestBody.class);
        long target;
        if (body.userId() != null) {
            target = body.userId();
        } else if (body.username() != null) {
            target = users.findByUsername(AccountRules.canonicalUsername(body.username()))
                    .orElseThrow(() -> CourierException.of(ErrorCode.USER_NOT_FOUND)).id();
        } else {
            throw CourierException.field(ErrorCode.MISSING_FIELD, "user_id", "Field 'user_id' (or 'username') is required");
        }
        return ApiResponse.ok(Views.request(friends.request(me(request), target, body.message())));
    }

    private ApiResponse pending(ApiRequest request) {
        String query = request.query("direction");
        String direction = query == null ? null : query.toLowerCase(java.util.Locale.ROOT); // enum values in any case
        Map<String, Object> data = new LinkedHashMap<>();
        if (direction == null || direction.equals("incoming")) {
            data.put("incoming", friends.incoming(me(request)).stream().map(Views::request).toList());
        }
        if (direction == null || direction.equals("outgoing")) {
            data.put("outgoing", friends.outgoing(me(request)).stream().map(Views::request).toList());
        }
        if (data.isEmpty()) {
            throw CourierException.field(ErrorCode.INVALID_FIELD, "direction", "'direction' is incoming or outgoing");
        }
        return ApiResponse.ok(data);
    }

    private ApiResponse list(ApiRequest request) {
        var all = friends.friends(me(request));
        Map<Long, PresenceChange> online = presence.query(me(request), all.stream().map(f -> f.user().id()).toList()).stream()
                .collect(java.util.stream.Collectors.toMap(PresenceChange::getUserId, p -> p));
        var list = all.stream().map(f -> Views.friend(f, online.get(f.user().id()))).toList();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("total", list.size());
        data.put("friends", list);
        return ApiResponse.ok(data);
    }

    private ApiResponse blocks(ApiRequest request) {
        var list = friends.blocks(me(request)).stream().map(Views::block).toList();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("total", list.size());
        data.put("users", list);
        return ApiResponse.ok(data);
    }

    private static long me(ApiRequest request) {
        return request.principal().userId();
    }
}
