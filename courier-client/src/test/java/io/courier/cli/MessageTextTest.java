package io.courier.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MessageTextTest {
    @Test
    void aMessageCannotSendEscapeSequencesToTheTerminal() {
        assertThat(MessageText.safe("hi \u001b[2J\u001b[31mred\rover")).isEqualTo("hi \uFFFD[2J\uFFFD[31mred\uFFFDover");
    }

    @Test
    void aLineBreakStaysButTheNextLineIsIndented() {
        assertThat(MessageText.safe("one\ntwo\tthree")).isEqualTo("one\n    two three");
    }
}
