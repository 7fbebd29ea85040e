package io.courier.cli;

import org.jline.utils.AttributedStyle;

/** The roles text plays on screen; each has one colour, used only where colour is on. */
enum Tone {
    PLAIN(AttributedStyle.DEFAULT),
    DIM(AttributedStyle.DEFAULT.faint()),
    /** Someone else, as the author of a message. */
    PEER(AttributedStyle.BOLD.foreground(AttributedStyle.CYAN)),
    /** The user themself. */
    SELF(AttributedStyle.BOLD.foreground(AttributedStyle.GREEN)),
    GROUP(AttributedStyle.BOLD.foreground(AttributedStyle.MAGENTA)),
    NOTICE(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW)),
    SUCCESS(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN)),
    ERROR(AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)),
    PROMPT(AttributedStyle.BOLD.foreground(AttributedStyle.BLUE));

    final AttributedStyle style;

    Tone(AttributedStyle style) {
        this.style = style;
    }
}
