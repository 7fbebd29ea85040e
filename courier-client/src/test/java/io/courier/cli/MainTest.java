package io.courier.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {
    @Test
    void everyShellCommandIsAlsoASubcommandForScripts() {
        Set<String> subcommands = Main.commandLine(new CliEnvironment(Path.of("/nonexistent"), Map.of(), System.in,
                System.out, System.err)).getSubcommands().keySet();
        CommandCatalog.standard().all().stream()
                .filter(spec -> !spec.section().equals(CommandCatalog.SHELL))
                .forEach(spec -> assertThat(subcommands).as("subcommands").contains(spec.name()));
    }

    @Test
    void theDefaultDeviceIsAValidDeviceId() {
        assertThat(Main.defaultDevice()).matches("cli(-[A-Za-z0-9_.:-]{1,60})?");
    }
}
