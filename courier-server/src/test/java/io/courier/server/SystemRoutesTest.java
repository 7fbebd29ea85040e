package io.courier.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Health, statistics, metrics and the OpenAPI document. */
class SystemRoutesTest {
    @RegisterExtension
    static final NodeExtension server = new NodeExtension(Map.of("node.id", "node-under-test"));


    @Test
    void healthReportsTheNodeAndItsDatabase() {
        Reply health = server.api.get("/health", null);
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
        assertThat(health.json().get("node_id").asText()).isEqualTo("node-under-test");
        assertThat(health.json().get("checks").get("database").asText()).isEqualTo("up");
        assertThat(server.api.get("/health/live", null).status()).isEqualTo(200);
        assertThat(server.api.get("/health/ready", null).json().get("checks").get("database").asText()).isEqualTo("up");
    }

    @Test
    void statsCountUsersAndConnections() {
        long before = server.api.get("/stats", null).json().get("registered_users").asLong();
        server.api.register("counted", "secret1");
        JsonNode stats = server.api.get("/stats", null).json();
        assertThat(stats.get("registered_users").asLong()).isEqualTo(before + 1);
        assertThat(stats.get("total_connections").asInt()).isGreaterThanOrEqualTo(1); // this client's own
        assertThat(stats.get("node_id").asText()).isEqualTo("node-under-test");
    }

    @Test
    void metricsArePrometheusTextWithRequestTimingsPerRoute() {
        server.api.get("/api/users/1", null); // a 401, counted under its route template
        String metrics = server.api.get("/metrics", null).text();
        assertThat(metrics).contains("# TYPE http_server_requests_seconds summary");
        assertThat(metrics).containsPattern("http_server_requests_seconds_count\\{method=\"GET\",[^}]*status=\"401\",uri=\"/api/users/\\{user_id}\"}");
        assertThat(metrics).contains("jvm_memory_used_bytes");
        assertThat(metrics).contains("courier_connections");
    }

    @Test
    void theOpenApiDocumentDescribesExactlyTheRoutesServed() throws Exception {
        Reply json = server.api.get("/api/openapi.json", null);
        assertThat(json.status()).isEqualTo(200);
        JsonNode doc = json.json();
        assertThat(doc.get("openapi").asText()).startsWith("3.");

        List<String> documented = new ArrayList<>();
        Set<String> methods = Set.of("get", "put", "post", "delete", "patch", "head", "options");
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(m -> {
            if (methods.contains(m)) {
                documented.add(m.toUpperCase(Locale.ROOT) + " " + path.getKey());
            }
        }));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(server.node().routeTable());

        // the YAML form is the same document
        JsonNode yaml = new YAMLMapper().readTree(server.api.get("/api/openapi.yaml", null).text());
        assertThat(yaml).isEqualTo(doc);
    }
}
