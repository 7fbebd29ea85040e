package io.courier.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.courier.gateway.http.ApiResponse;
import io.courier.gateway.http.Router;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import static io.courier.gateway.http.Router.Access.PUBLIC;

/** Health, statistics, Prometheus metrics and the OpenAPI document of the HTTP API. */
public final class SystemApi {
    /** The OpenAPI document on the classpath; a test keeps it equal to the route table. */
    public static final String OPENAPI_RESOURCE = "/openapi.yaml";

    private final String nodeId;
    private final BooleanSupplier databaseUp;
    private final LongSupplier registeredUsers;
    private final IntSupplier openConnections;
    private final IntSupplier onlineUsers;
    private final IntSupplier onlineDevices;
    private final PrometheusMeterRegistry metrics;
    private final Clock clock;
    private final long startedAt;
    private final byte[] openApiYaml;
    private final byte[] openApiJson;

    public SystemApi(String nodeId, BooleanSupplier databaseUp, LongSupplier registeredUsers, IntSupplier openConnections,
                     IntSupplier onlineUsers, IntSupplier onlineDevices, PrometheusMeterRegistry metrics, Clock clock,
                     ObjectMapper json) {
        this.onlineUsers = onlineUsers;
        this.onlineDevices = onlineDevices;
        this.nodeId = nodeId;
        this.databaseUp = databaseUp;
        this.registeredUsers = registeredUsers;
        this.openConnections = openConnections;
        this.metrics = metrics;
        this.clock = clock;
        this.startedAt = clock.millis();
        this.openApiYaml = readOpenApi();
        try {
            JsonNode document = new YAMLMapper().readTree(openApiYaml);
            this.openApiJson = json.writeValueAsBytes(document);
        } catch (IOException e) {
            throw new UncheckedIOException("openapi.yaml is not valid YAML", e);
        }
    }

    public void routes(Router router) {
        router.get("/health", PUBLIC, r -> health())
                .get("/health/ready", PUBLIC, r -> health())
                .get("/stats", PUBLIC, r -> stats())
                // These never block, so they answer on the event loop even when every worker is busy.
                .getInline("/health/live", r -> ApiResponse.plain(HttpResponseStatus.OK, status("ok")))
                .getInline("/metrics", r -> ApiResponse.raw("text/plain; version=0.0.4; charset=utf-8",
                        metrics.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .getInline("/api/openapi.json", r -> ApiResponse.raw("application/json", openApiJson))
                .getInline("/api/openapi.yaml", r -> ApiResponse.raw("application/yaml", openApiYaml));
    }

    /** Liveness and readiness in one: 200 while the database answers, 503 when it does not. */
    private ApiResponse health() {
        boolean up = databaseUp.getAsBoolean();
        Map<String, Object> body = status(up ? "ok" : "unavailable");
        body.put("checks", Map.of("database", up ? "up" : "down"));
        return ApiResponse.plain(up ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE, body);
    }

    private Map<String, Object> status(String status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("node_id", nodeId);
        body.put("time", Instant.ofEpochMilli(clock.millis()).toString());
        return body;
    }

    private ApiResponse stats() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node_id", nodeId);
        body.put("total_connections", openConnections.getAsInt());
        body.put("active_users", onlineUsers.getAsInt());
        body.put("current_count", onlineDevices.getAsInt());
        body.put("registered_users", registeredUsers.getAsLong());
        body.put("uptime_seconds", (clock.millis() - startedAt) / 1000);
        return ApiResponse.plain(HttpResponseStatus.OK, body);
    }

    private static byte[] readOpenApi() {
        try (InputStream in = SystemApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
