package io.courier.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the configuration from, lowest to highest precedence: the defaults in {@link ConfigKeys},
 * a YAML file ({@code --config FILE}, else {@code COURIER_CONFIG}, else {@code ./courier.yaml} when
 * it exists), environment variables {@code COURIER_<KEY>}, and flags {@code --key=value}.
 */
public final class ConfigLoader {
    private static final Set<String> NAMES = ConfigKeys.ALL.stream().map(ConfigKey::name).collect(Collectors.toSet());

    private ConfigLoader() {
    }

    public static CourierConfig load(List<String> args, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        Map<String, String> flags = flags(args);

        Path file = configFile(flags.remove("config"), env.get("COURIER_CONFIG"));
        if (file != null) {
            readYaml(file).forEach((k, v) -> {
                requireKnown(k, "file " + file);
                values.put(k, v);
                sources.put(k, "file " + file);
            });
        }
        for (ConfigKey<?> key : ConfigKeys.ALL) {
            String value = env.get(key.envName());
            if (value != null) {
                values.put(key.name(), value);
                sources.put(key.name(), "environment " + key.envName());
            }
        }
        flags.forEach((k, v) -> {
            requireKnown(k, "flag --" + k);
            values.put(k, v);
            sources.put(k, "flag --" + k);
        });
        return new CourierConfig(values, sources);
    }

    /** Defaults only: what a node runs with when nothing is configured. */
    public static CourierConfig defaults() {
        return new CourierConfig(Map.of(), Map.of());
    }

    static void requireKnown(String name, String source) {
        if (!NAMES.contains(name)) {
            throw new ConfigException("Unknown setting '" + name + "' (from " + source + "); see docs/configuration.md");
        }
    }

    /** {@code --key=value} and {@code --key value}. */
    private static Map<String, String> flags(List<String> args) {
        Map<String, String> flags = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new ConfigException("Unexpected argument '" + arg + "'; settings are given as --key=value");
            }
            String body = arg.substring(2);
            int eq = body.indexOf('=');
            if (eq > 0) {
                flags.put(body.substring(0, eq), body.substring(eq + 1));
            } else if (i + 1 < args.size()) {
                flags.put(body, args.get(++i));
            } else {
                throw new ConfigException("Flag --" + body + " needs a value");
            }
        }
        return flags;
    }

    private static Path configFile(String flag, String env) {
        if (flag != null) {
            return existing(Path.of(flag));
        }
        if (env != null && !env.isBlank()) {
            return existing(Path.of(env));
        }
        Path local = Path.of("courier.yaml");
        return Files.isRegularFile(local) ? local : null;
    }

    private static Path existing(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("Configuration file " + file + " does not exist");
        }
        return file;
    }

    /** The YAML tree flattened to dotted keys: {@code http: {port: 8080}} → {@code http.port=8080}. */
    private static Map<String, String> readYaml(Path file) {
        try {
            JsonNode root = new YAMLMapper().readTree(file.toFile());
            Map<String, String> flat = new HashMap<>();
            if (root != null && !root.isMissingNode() && !root.isNull()) {
                if (!root.isObject()) {
                    throw new ConfigException("Configuration file " + file + " must hold a mapping of settings");
                }
                flatten("", root, flat, file);
            }
            return flat;
        } catch (IOException e) {
            throw new ConfigException("Configuration file " + file + " is not valid YAML: " + e.getMessage());
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out, Path file) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode value = e.getValue();
            if (value.isObject()) {
                flatten(name, value, out, file);
            } else if (value.isValueNode()) {
                out.put(name, value.asText());
            } else {
                throw new ConfigException("Setting '" + name + "' in " + file + " must be a single value");
            }
        }
    }
}
