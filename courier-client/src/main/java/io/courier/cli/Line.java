package io.courier.cli;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;

import java.util.ArrayList;
import java.util.List;

/** One line of output in parts, each with its {@link Tone}: printed in colour or as plain text. */
final class Line {
    private record Part(Tone tone, String text) {
    }

    private final List<Part> parts = new ArrayList<>();

    static Line of(String text) {
        return new Line().add(Tone.PLAIN, text);
    }

    static Line of(Tone tone, String text) {
        return new Line().add(tone, text);
    }

    Line add(Tone tone, String text) {
        parts.add(new Part(tone, text));
        return this;
    }

    Line add(String text) {
        return add(Tone.PLAIN, text);
    }

    String plain() {
        StringBuilder b = new StringBuilder();
        parts.forEach(p -> b.append(p.text()));
        return b.toString();
    }

    AttributedString styled() {
        AttributedStringBuilder b = new AttributedStringBuilder();
        parts.forEach(p -> b.styled(p.tone().style, p.text()));
        return b.toAttributedString();
    }

    @Override
    public String toString() {
        return plain();
    }
}
