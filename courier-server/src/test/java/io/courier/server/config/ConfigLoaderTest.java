package io.courier.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    @Test
    void defaultsNeedNoFileAtAll() {
        CourierConfig config = ConfigLoader.load(List.of(), Map.of());
        assertThat(config.get(ConfigKeys.HTTP_PORT)).isEqualTo(8080);
        assertThat(config.get(ConfigKeys.TCP_PORT)).isEqualTo(9100);
        assertThat(config.get(ConfigKeys.MPIM_PORT)).isEqualTo(9000);
        assertThat(config.get(ConfigKeys.DATA_DIR)).isEqualTo("./data");
        assertThat(config.get(ConfigKeys.BIND)).isEqualTo("127.0.0.1");
        assertThat(config.get(ConfigKeys.AUTH_ACCESS_TOKEN_TTL)).isEqualTo(Duration.ofHours(1));
        assertThat(config.get(ConfigKeys.HTTP_MAX_BODY)).isEqualTo(1024 * 1024);
        assertThat(config.source(ConfigKeys.HTTP_PORT)).isEqualTo("default");
    }

    @Test
    void fileThenEnvironmentThenFlagsEachWin() throws IOException {
        Path file = dir.resolve("courier.yaml");
        Files.writeString(file, """
                http:
                  port: 8100
                tcp:
                  port: 9200
                auth:
                  login:
                    lockout: 5m
                data:
                  dir: /var/lib/courier
                """);
        CourierConfig config = ConfigLoader.load(List.of("--config", file.toString(), "--http.port=8300"),
                Map.of("COURIER_HTTP_PORT", "8200", "COURIER_TCP_PORT", "9300"));
        assertThat(config.get(ConfigKeys.HTTP_PORT)).isEqualTo(8300);
        assertThat(config.source(ConfigKeys.HTTP_PORT)).isEqualTo("flag --http.port");
        assertThat(config.get(ConfigKeys.TCP_PORT)).isEqualTo(9300);
        assertThat(config.source(ConfigKeys.TCP_PORT)).isEqualTo("environment COURIER_TCP_PORT");
        assertThat(config.get(ConfigKeys.AUTH_LOGIN_LOCKOUT)).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.get(ConfigKeys.DATA_DIR)).isEqualTo("/var/lib/courier");
        assertThat(config.source(ConfigKeys.DATA_DIR)).startsWith("file ");
    }

    @Test
    void theFileMayBeNamedByTheEnvironment() throws IOException {
        Path file = dir.resolve("elsewhere.yaml");
        Files.writeString(file, "bind: 0.0.0.0\n");
        assertThat(ConfigLoader.load(List.of(), Map.of("COURIER_CONFIG", file.toString())).get(ConfigKeys.BIND))
                .isEqualTo("0.0.0.0");
    }

    @Test
    void everyKeyHasItsEnvironmentVariable() {
        assertThat(ConfigKeys.HTTP_PORT.envName()).isEqualTo("COURIER_HTTP_PORT");
        assertThat(ConfigKeys.DB_POOL_SIZE.envName()).isEqualTo("COURIER_DB_POOL_SIZE");
        assertThat(ConfigKeys.AUTH_LOGIN_MAX_FAILURES_PER_ADDRESS.envName()).isEqualTo("COURIER_AUTH_LOGIN_MAX_FAILURES_PER_ADDRESS");
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            CourierConfig config = ConfigLoader.load(List.of(), Map.of(key.envName(), key.defaultValue()));
            assertThat(config.source(key)).isEqualTo("environment " + key.envName());
        }
    }

    @Test
    void mistakesNameTheKeyAndWhereItCameFrom() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(List.of("--http.prot=1"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.prot");
        assertThatThrownBy(() -> ConfigLoader.load(List.of(), Map.of("COURIER_HTTP_PORT", "eighty")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.port").hasMessageContaining("COURIER_HTTP_PORT").hasMessageContaining("eighty");
        assertThatThrownBy(() -> ConfigLoader.load(List.of("--http.port=70000"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("65535");
        assertThatThrownBy(() -> ConfigLoader.load(List.of("--auth.access-token-ttl=soon"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("duration");
        assertThatThrownBy(() -> ConfigLoader.load(List.of("--http.port"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("needs a value");
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "http:\n  porrt: 1\n");
        assertThatThrownBy(() -> ConfigLoader.load(List.of("--config=" + file), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("http.porrt").hasMessageContaining("bad.yaml");
        assertThatThrownBy(() -> ConfigLoader.load(List.of("--config=" + dir.resolve("missing.yaml")), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
    }

    @Test
    void sizesAndDurationsTakeUnits() {
        CourierConfig config = ConfigLoader.load(List.of("--http.max-body=64KiB", "--http.idle-timeout=90s",
                "--auth.refresh-token-ttl=7d", "--auth.login.lockout=500ms"), Map.of());
        assertThat(config.get(ConfigKeys.HTTP_MAX_BODY)).isEqualTo(64 * 1024);
        assertThat(config.get(ConfigKeys.HTTP_IDLE_TIMEOUT)).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.get(ConfigKeys.AUTH_REFRESH_TOKEN_TTL)).isEqualTo(Duration.ofDays(7));
        assertThat(config.get(ConfigKeys.AUTH_LOGIN_LOCKOUT)).isEqualTo(Duration.ofMillis(500));
    }
}
