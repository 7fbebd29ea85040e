package io.courier.server.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/configuration.md lists exactly the settings the code reads, with their defaults. */
class ConfigDocsTest {
    @Test
    void theConfigurationDocumentMatchesTheCode() throws IOException {
        // Surefire runs in the module directory; the docs live at the repository root.
        Path doc = Path.of("..", "docs", "configuration.md");
        String text = Files.readString(doc);
        int start = text.indexOf(ConfigDocs.START);
        int end = text.indexOf(ConfigDocs.END);
        assertThat(start).as("the generated-table start marker in " + doc).isNotNegative();
        assertThat(end).as("the generated-table end marker in " + doc).isGreaterThan(start);
        String table = text.substring(start + ConfigDocs.START.length(), end).strip();
        assertThat(table)
                .as("docs/configuration.md is out of date; regenerate its table with ./courier --config-docs")
                .isEqualTo(ConfigDocs.table().strip());
    }
}
