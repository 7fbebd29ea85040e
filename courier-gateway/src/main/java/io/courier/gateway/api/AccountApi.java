package io.courier.gateway.api;

import io.courier.core.auth.AuthService;
import io.courier.core.auth.LoginResult;
import io.courier.core.user.ProfileUpdate;
import io.courier.core.user.User;
import io.courier.core.user.UserService;
import io.courier.gateway.http.ApiRequest;
import io.courier.gateway.http.ApiResponse;
import io.courier.gateway.http.Router;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.courier.gateway.http.ApiRequest.require;
import static io.courier.gateway.http.Router.Access.AUTHENTICATED;
import static io.courier.gateway.http.Router.Access.PUBLIC;

/** Registration, login, tokens, the caller's profile and finding users: SimpleIM's routes and aliases. */
public final class AccountApi {
    private final UserService users;
    private final AuthService auth;
    /** Whether the HTTP port has TLS: the WebSocket URL a login tells is wss://. */
    private final boolean secure;

    public AccountApi(UserService users, AuthService auth, boolean secure) {
        this.users = users;
        this.auth = auth;
        this.secure = secure;
    }

    record RegisterBody(String username, String password, String nickname, String email) {
    }

    record LoginBody(String username, String password, String deviceId) {
    }

    record RefreshBody(String refreshToken) {
    }

    record ProfileBody(String nickname, String avatar, String signature) {
    }

    record PasswordBody(String oldPassword, String newPassword) {
    }

    public void routes(Router router) {
        router.post("/api/register", PUBLIC, this::register)
                .post("/api/auth/register", PUBLIC, this::register)
                .post("/api/login", PUBLIC, this::login)
                .post("/api/auth/login", PUBLIC, this::login)
                .post("/api/refresh-token", PUBLIC, this::refresh)
                .post("/api/auth/refresh", PUBLIC, this::refresh)
                .get("/api/user/info", AUTHENTICATED, r -> ApiResponse.ok(Views.self(users.get(r.principal().userId()))))
                .put("/api/user/info", AUTHENTICATED, this::updateProfile)
                .post("/api/user/change-password", AUTHENTICATED, this::changePassword)
                .post("/api/user/logout", AUTHENTICATED, this::logout)
                .get("/api/users/{user_id}", AUTHENTICATED, r -> ApiResponse.ok(Views.user(users.get(r.pathId("user_id")))))
                .get("/api/users", AUTHENTICATED, this::search);
    }

    private ApiResponse register(ApiRequest request) {
        RegisterBody body = request.body(RegisterBody.class);
        User user = users.register(require(body.username(), "username"), require(body.password(), "password"),
                body.nickname(), body.email(), request.remoteAddress());
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user_id", user.id());
        data.put("username", user.username());
        data.put("nickname", user.nickname());
        return ApiResponse.okFlat(data);
    }

    private ApiResponse login(ApiRequest request) {
        LoginBody body = request.body(LoginBody.class);
        LoginResult result = auth.login(require(body.username(), "username"), require(body.password(), "password"),
                body.deviceId(), request.remoteAddress());
        Map<String, Object> data = tokens(result);
        String ws = webSocketUrl(request);
        if (ws != null) {
            data.put("websocket_url", ws);
        }
        return ApiResponse.okFlat(data);
    }

    /**
     * Where the client connects its WebSocket, as SimpleIM's login tells it: this node, by the Host
     * the client reached it under (so it holds behind a proxy that keeps Host). Null without a
     * usable Host header.
     */
    private String webSocketUrl(ApiRequest request) {
        String host = request.header("Host");
        if (host == null || host.isEmpty() || host.length() > 255 || !host.matches("[A-Za-z0-9.:\\[\\]-]+")) {
            return null;
        }
        return (secure ? "wss://" : "ws://") + host + "/ws";
    }

    private ApiResponse refresh(ApiRequest request) {
        RefreshBody body = request.body(RefreshBody.class);
        return ApiResponse.okFlat(tokens(auth.refresh(require(body.refreshToken(), "refresh_token"))));
    }

    private ApiResponse updateProfile(ApiRequest request) {
        ProfileBody body = request.body(ProfileBody.class);
        User user = users.updateProfile(request.principal().userId(),
                new ProfileUpdate(body.nickname(), body.avatar(), body.signature()));
        return ApiResponse.ok(Views.self(user));
    }

    private ApiResponse changePassword(ApiRequest request) {
        PasswordBody body = request.body(PasswordBody.class);
        auth.changePassword(request.principal(), require(body.oldPassword(), "old_password"),
                require(body.newPassword(), "new_password"));
        return ApiResponse.ok(null);
    }

    private ApiResponse logout(ApiRequest request) {
        auth.logout(request.principal());
        return ApiResponse.ok(null);
    }

    private ApiResponse search(ApiRequest request) {
        UserService.SearchPage page = users.search(request.query("keyword"),
                request.queryInt("offset", 0, 0, 1_000_000), request.queryInt("limit", 20, 1, UserService.MAX_SEARCH_LIMIT));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("total", page.total());
        data.put("users", page.users().stream().map(Views::user).toList());
        return ApiResponse.ok(data);
    }

    private static Map<String, Object> tokens(LoginResult result) {
        User u = result.user();
        var t = result.tokens();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("user_id", u.id());
        data.put("username", u.username());
        data.put("nickname", u.nickname());
        data.put("avatar", u.avatar());
        data.put("device_id", result.deviceId());
        data.put("token", t.accessToken());
        data.put("token_type", "Bearer");
        data.put("expires_at", Views.rfc3339(t.accessExpiresAt()));
        data.put("refresh_token", t.refreshToken());
        data.put("refresh_expires_at", Views.rfc3339(t.refreshExpiresAt()));
        return data;
    }
}
