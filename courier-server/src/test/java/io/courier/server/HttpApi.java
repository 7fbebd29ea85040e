package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small JSON-over-HTTP client for tests: real requests to a real server. */
public final class HttpApi {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient client;

    HttpApi(String base) {
        this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
    }

    private HttpApi(String base, HttpClient client) {
        this.base = base;
        this.client = client;
    }

    /** The same server, reached from another loopback address (127.0.0.2 and up work on Linux). */
    HttpApi from(String localAddress) {
        try {
            return new HttpApi(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .localAddress(java.net.InetAddress.getByName(localAddress)).build());
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(localAddress, e);
        }
    }

    /** A response: status, the parsed JSON body (or null), the raw text and the headers. */
    public record Reply(int status, JsonNode json, String text, Map<String, java.util.List<String>> headers) {
        public JsonNode data() {
            return json.get("data");
        }

        public int code() {
            return json.path("code").asInt(-1);
        }

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst())
                    .findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    public Reply get(String path, String token) {
        return send("GET", path, null, token);
    }

    public Reply post(String path, Object body, String token) {
        return send("POST", path, body, token);
    }

    Reply put(String path, Object body, String token) {
        return send("PUT", path, body, token);
    }

    Reply delete(String path, String token) {
        return send("DELETE", path, null, token);
    }

    /** {@code body} may be a String (sent as is), byte[] (sent as is) or anything Jackson writes. */
    public Reply send(String method, String path, Object body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            // A value with a scheme ("Basic …") is sent as it is; a bare token as a bearer token.
            b.header("Authorization", token.contains(" ") ? token : "Bearer " + token);
        }
        HttpRequest.BodyPublisher publisher;
        if (body == null) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else if (body instanceof byte[] bytes) {
            publisher = HttpRequest.BodyPublishers.ofByteArray(bytes);
        } else if (body instanceof String s) {
            publisher = HttpRequest.BodyPublishers.ofString(s);
        } else {
            try {
                publisher = HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        b.header("Content-Type", "application/json").method(method, publisher);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = r.body().isEmpty() ? null : JSON.readTree(r.body());
            } catch (IOException notJson) {
                // /metrics and the YAML document are not JSON
            }
            return new Reply(r.statusCode(), json, r.body(), r.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode obj(Object... keyValues) {
        ObjectNode node = JSON.createObjectNode();
        for (int i = 0; i < keyValues.length; i += 2) {
            node.set((String) keyValues[i], JSON.valueToTree(keyValues[i + 1]));
        }
        return node;
    }

    // --- the steps most tests take -------------------------------------------------------------

    /** Registers a user and returns their id. */
    public long register(String username, String password) {
        Reply r = post("/api/register", obj("username", username, "password", password), null);
        if (r.status() != 200) {
            throw new AssertionError("register " + username + ": " + r);
        }
        return r.data().get("user_id").asLong();
    }

    /** Logs in on a device and returns the login data (token, refresh_token, user_id, ...). */
    public JsonNode login(String username, String password, String deviceId) {
        Reply r = post("/api/login", obj("username", username, "password", password, "device_id", deviceId), null);
        if (r.status() != 200) {
            throw new AssertionError("login " + username + ": " + r);
        }
        return r.data();
    }

    /** Registers and logs in; returns the user's id and access token. */
    public Account account(String username) {
        long id = register(username, "password-" + username);
        return new Account(id, username, login(username, "password-" + username, "test-device").get("token").asText());
    }

    public record Account(long id, String username, String token) {
    }
}
