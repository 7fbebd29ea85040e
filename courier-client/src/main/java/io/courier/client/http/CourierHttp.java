package io.courier.client.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.client.CourierClientException;
import io.courier.client.TokenProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import javax.net.ssl.SSLContext;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The parts of Courier that live on its HTTP API: accounts, tokens, profiles, user search, friends
 * and blocks. Non-blocking (the JDK's HttpClient), thread-safe, one instance per server is enough.
 * A refused request fails with a {@link CourierClientException} carrying the server's error code.
 */
public final class CourierHttp implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;

    /** {@code base} is the server's HTTP address, e.g. {@code http://localhost:8080}. */
    public CourierHttp(URI base) {
        this(base, Duration.ofSeconds(15), Clock.systemUTC());
    }

    public CourierHttp(URI base, Duration timeout, Clock clock) {
        this(base, timeout, clock, null);
    }

    /** {@code tls}: for an {@code https://} base, what to trust (null: what the JVM trusts). */
    public CourierHttp(URI base, Duration timeout, Clock clock, SSLContext tls) {
        this.base = base;
        this.timeout = timeout;
        this.clock = clock;
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(timeout);
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
    }

    public URI base() {
        return base;
    }

    // ---- accounts ---------------------------------------------------------------------------------

    public CompletableFuture<UserProfile> register(String username, String password, String nickname) {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password);
        if (nickname != null) {
            body.put("nickname", nickname);
        }
        return call("POST", "/api/register", null, body).thenApply(d -> as(d, UserProfile.class));
    }

    /** Logs a device in ({@code deviceId} null: the server names one); ends that device's previous session. */
    public CompletableFuture<Session> login(String username, String password, String deviceId) {
        ObjectNode body = JSON.createObjectNode().put("username", username).put("password", password);
        if (deviceId != null) {
            body.put("device_id", deviceId);
        }
        return call("POST", "/api/login", null, body).thenApply(CourierHttp::session);
    }

    /** Spends a refresh token for a new pair; replaying a spent one ends the session. */
    public CompletableFuture<Session> refresh(String refreshToken) {
        return call("POST", "/api/auth/refresh", null, JSON.createObjectNode().put("refresh_token", refreshToken))
                .thenApply(CourierHttp::session);
    }

    /** Ends this device's session; its connections are closed. */
    public CompletableFuture<Void> logout(String token) {
        return call("POST", "/api/user/logout", token, JSON.createObjectNode()).thenApply(d -> null);
    }

    public CompletableFuture<Void> changePassword(String token, String oldPassword, String newPassword) {
        return call("POST", "/api/user/change-password", token, JSON.createObjectNode()
                .put("old_password", oldPassword).put("new_password", newPassword)).thenApply(d -> null);
    }

    public CompletableFuture<UserProfile> me(String token) {
        return call("GET", "/api/user/info", token, null).thenApply(d -> as(d, UserProfile.class));
    }

    /** Changes the fields given (null ones stay as they are). */
    public CompletableFuture<UserProfile> updateProfile(String token, String nickname, String avatar, String signature) {
        ObjectNode body = JSON.createObjectNode();
        if (nickname != null) {
            body.put("nickname", nickname);
        }
        if (avatar != null) {
            body.put("avatar", avatar);
        }
        if (signature != null) {
            body.put("signature", signature);
        }
        return call("PUT", "/api/user/info", token, body).thenApply(d -> as(d, UserProfile.class));
    }

    public CompletableFuture<UserProfile> user(String token, long userId) {
        return call("GET", "/api/users/" + userId, token, null).thenApply(d -> as(d, UserProfile.class));
    }

    public CompletableFuture<List<UserProfile>> searchUsers(String token, String keyword, int offset, int limit) {
        return call("GET", "/api/users?keyword=" + URLEncoder.encode(keyword, StandardCharsets.UTF_8)
                + "&offset=" + offset + "&limit=" + limit, token, null)
                .thenApply(d -> list(d.path("users"), UserProfile.class));
    }

    /**
     * The user with exactly this username. Search also matches prefixes and nicknames, so this pages
     * through its hits (usernames are unique and case-insensitive).
     */
    public CompletableFuture<UserProfile> userByName(String token, String username) {
        return userByName(token, username, 0);
    }

    private CompletableFuture<UserProfile> userByName(String token, String username, int offset) {
        int page = 100;
        return searchUsers(token, username, offset, page).thenCompose(users -> {
            for (UserProfile u : users) {
                if (u.username().equalsIgnoreCase(username)) {
                    return CompletableFuture.completedFuture(u);
                }
            }
            if (users.size() < page || offset >= 10 * page) {
                return CompletableFuture.failedFuture(new CourierClientException(3004, "USER_NOT_FOUND", "No user named " + username));
            }
            return userByName(token, username, offset + page);
        });
    }

    // ---- friends ----------------------------------------------------------------------------------

    public CompletableFuture<FriendRequest> requestFriend(String token, long userId, String message) {
        ObjectNode body = JSON.createObjectNode().put("user_id", userId);
        if (message != null) {
            body.put("message", message);
        }
        return call("POST", "/api/friends/requests", token, body).thenApply(d -> as(d, FriendRequest.class));
    }

    public CompletableFuture<FriendRequest> requestFriend(String token, String username, String message) {
        ObjectNode body = JSON.createObjectNode().put("username", username);
        if (message != null) {
            body.put("message", message);
        }
        return call("POST", "/api/friends/requests", token, body).thenApply(d -> as(d, FriendRequest.class));
    }

    public CompletableFuture<FriendRequests> friendRequests(String token) {
        return call("GET", "/api/friends/requests", token, null).thenApply(d -> new FriendRequests(
                list(d.path("incoming"), FriendRequest.class), list(d.path("outgoing"), FriendRequest.class)));
    }

    public CompletableFuture<FriendRequest> acceptFriend(String token, long requestId) {
        return call("POST", "/api/friends/requests/" + requestId + "/accept", token, JSON.createObjectNode())
                .thenApply(d -> as(d, FriendRequest.class));
    }

    public CompletableFuture<FriendRequest> declineFriend(String token, long requestId) {
        return call("POST", "/api/friends/requests/" + requestId + "/decline", token, JSON.createObjectNode())
                .thenApply(d -> as(d, FriendRequest.class));
    }

    public CompletableFuture<FriendRequest> cancelFriendRequest(String token, long requestId) {
        return call("DELETE", "/api/friends/requests/" + requestId, token, null).thenApply(d -> as(d, FriendRequest.class));
    }

    public CompletableFuture<List<Friend>> friends(String token) {
        return call("GET", "/api/friends", token, null).thenApply(d -> list(d.path("friends"), Friend.class));
    }

    public CompletableFuture<Void> removeFriend(String token, long userId) {
        return call("DELETE", "/api/friends/" + userId, token, null).thenApply(d -> null);
    }

    /** Blocks silently: the blocked user's messages and requests are refused, they are not told why. */
    public CompletableFuture<Void> block(String token, long userId) {
        return call("PUT", "/api/blocks/" + userId, token, JSON.createObjectNode()).thenApply(d -> null);
    }

    public CompletableFuture<Void> unblock(String token, long userId) {
        return call("DELETE", "/api/blocks/" + userId, token, null).thenApply(d -> null);
    }

    public CompletableFuture<List<UserProfile>> blocks(String token) {
        return call("GET", "/api/blocks", token, null).thenApply(d -> list(d.path("users"), UserProfile.class));
    }

    // ---- tokens for connections -----------------------------------------------------------------

    /**
     * A token provider for {@link io.courier.client.CourierClient} that starts from a session and
     * refreshes it when the server says the access token expired (or it is about to); each new
     * session goes to {@code onRefresh} (to be saved, since the old refresh token is spent).
     */
    public TokenProvider tokens(Session session, Consumer<Session> onRefresh) {
        AtomicReference<Session> current = new AtomicReference<>(session);
        return refresh -> {
            Session s = current.get();
            if (!refresh && !s.expiresWithin(30, clock.instant())) {
                return CompletableFuture.completedFuture(s.accessToken());
            }
            return refresh(s.refreshToken()).thenApply(next -> {
                current.set(next);
                onRefresh.accept(next);
                return next.accessToken();
            });
        };
    }

    public TokenProvider tokens(Session session) {
        return tokens(session, s -> { });
    }

    // ---- plumbing ---------------------------------------------------------------------------------

    private CompletableFuture<JsonNode> call(String method, String path, String token, JsonNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()).thenApply(CourierHttp::data);
    }

    /** The {@code data} of a success envelope; an error envelope becomes the exception. */
    private static JsonNode data(HttpResponse<String> response) {
        JsonNode root;
        try {
            root = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CourierClientException(0, "BAD_RESPONSE", "HTTP " + response.statusCode() + " with a body that is not JSON");
        }
        int code = root.path("code").asInt(-1);
        if (response.statusCode() / 100 != 2 || code != 0) {
            throw new CourierClientException(code, root.path("name").asText("HTTP_" + response.statusCode()),
                    root.path("message").asText("HTTP " + response.statusCode()));
        }
        return root.path("data");
    }

    private static Session session(JsonNode d) {
        return new Session(d.path("user_id").asLong(), d.path("username").asText(), d.path("nickname").asText(),
                d.path("device_id").asText(), d.path("token").asText(), Instant.parse(d.path("expires_at").asText()),
                d.path("refresh_token").asText(), Instant.parse(d.path("refresh_expires_at").asText()));
    }

    private static <T> T as(JsonNode node, Class<T> type) {
        try {
            return JSON.treeToValue(node, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> List<T> list(JsonNode array, Class<T> type) {
        return array.isArray() ? java.util.stream.StreamSupport.stream(array.spliterator(), false).map(n -> as(n, type)).toList()
                : List.of();
    }

    @Override
    public void close() {
        http.close();
    }
}
