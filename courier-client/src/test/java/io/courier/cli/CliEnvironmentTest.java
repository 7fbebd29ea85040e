package io.courier.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CliEnvironmentTest {
    private final Path home = Path.of("/home/alice");

    @Test
    void theConfigDirectoryIsCourierCliHomeThenXdgThenDotConfig() {
        assertThat(CliEnvironment.configDir(Map.of("COURIER_CLI_HOME", "/tmp/c", "XDG_CONFIG_HOME", "/x"), home))
                .isEqualTo(Path.of("/tmp/c"));
        assertThat(CliEnvironment.configDir(Map.of("XDG_CONFIG_HOME", "/x"), home)).isEqualTo(Path.of("/x/courier"));
        assertThat(CliEnvironment.configDir(Map.of("COURIER_CLI_HOME", " "), home))
                .isEqualTo(Path.of("/home/alice/.config/courier"));
    }

    @Test
    void anyNonEmptyNoColorTurnsColourOff() {
        assertThat(env(Map.of("NO_COLOR", "1")).noColorRequested()).isTrue();
        assertThat(env(Map.of("NO_COLOR", "")).noColorRequested()).isFalse();
        assertThat(env(Map.of()).noColorRequested()).isFalse();
    }

    private CliEnvironment env(Map<String, String> variables) {
        return new CliEnvironment(home, variables, System.in, System.out, System.err);
    }
}
