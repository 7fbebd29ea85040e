package io.courier.server.config;

import java.util.Map;

/**
 * The resolved configuration: every key's winning raw value and where it came from. Values are
 * parsed (and so validated) when the configuration is built, so a typo fails at start-up with the
 * key and the source named, never later in the middle of traffic.
 */
public final class CourierConfig {
    private final Map<String, String> values;
    private final Map<String, String> sources;

    CourierConfig(Map<String, String> values, Map<String, String> sources) {
        this.values = Map.copyOf(values);
        this.sources = Map.copyOf(sources);
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            get(key);
        }
    }

    public <T> T get(ConfigKey<T> key) {
        String raw = values.getOrDefault(key.name(), key.defaultValue());
        try {
            return key.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key.name() + " (from " + source(key) + "): " + e.getMessage());
        }
    }

    /** "default", "file courier.yaml", "environment COURIER_HTTP_PORT" or "flag --http.port". */
    public String source(ConfigKey<?> key) {
        return sources.getOrDefault(key.name(), "default");
    }

    /** A copy with some values replaced, as if given by flags (tests and tools use this). */
    public CourierConfig with(Map<String, String> overrides) {
        var v = new java.util.HashMap<>(values);
        var s = new java.util.HashMap<>(sources);
        overrides.forEach((k, value) -> {
            ConfigLoader.requireKnown(k, "override");
            v.put(k, value);
            s.put(k, "override");
        });
        return new CourierConfig(v, s);
    }
}
