package io.courier.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What one run of the CLI takes from the world around it: where its configuration lives, the
 * environment variables it reads ({@code NO_COLOR}) and the standard streams. {@link #system()} is
 * the real one; tests build their own, so nothing in the CLI reads {@code System.getenv} or
 * {@code System.out} by itself.
 */
public record CliEnvironment(Path configDir, Map<String, String> variables, InputStream in, PrintStream out,
                             PrintStream err) {

    public static CliEnvironment system() {
        Map<String, String> env = System.getenv();
        return new CliEnvironment(configDir(env, Path.of(System.getProperty("user.home"))), env, System.in,
                System.out, System.err);
    }

    /** {@code $COURIER_CLI_HOME}, else {@code $XDG_CONFIG_HOME/courier}, else {@code ~/.config/courier}. */
    public static Path configDir(Map<String, String> env, Path home) {
        String own = env.get("COURIER_CLI_HOME");
        if (own != null && !own.isBlank()) {
            return Path.of(own);
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "courier");
        }
        return home.resolve(".config").resolve("courier");
    }

    /** https://no-color.org: any non-empty value turns colour off. */
    public boolean noColorRequested() {
        String v = variables.get("NO_COLOR");
        return v != null && !v.isEmpty();
    }
}
