package io.courier.server.config;

import java.util.Locale;
import java.util.function.Function;

/**
 * One configuration setting: its dotted name (also its YAML path and its {@code --name} flag), the
 * environment variable derived from it, a default that works without any file, and one line of
 * documentation that docs/configuration.md repeats.
 */
public record ConfigKey<T>(String name, String defaultValue, String doc, String type, Function<String, T> parser) {

    /** {@code http.port} → {@code COURIER_HTTP_PORT}; {@code db.pool-size} → {@code COURIER_DB_POOL_SIZE}. */
    public String envName() {
        return "COURIER_" + name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public T parse(String raw) {
        return parser.apply(raw);
    }
}
