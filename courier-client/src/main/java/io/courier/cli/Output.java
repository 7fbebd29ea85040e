package io.courier.cli;

import org.jline.reader.LineReader;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * Where results, events and errors go. In the shell everything is printed above the prompt
 * ({@link LineReader#printAbove}), so a message that arrives while the user types does not break
 * the line being typed; in colour only when colour is on. In a script results go to stdout and
 * errors to stderr, always plain.
 */
final class Output {
    private final Consumer<Line> out;
    private final Consumer<Line> err;

    private Output(Consumer<Line> out, Consumer<Line> err) {
        this.out = out;
        this.err = err;
    }

    static Output shell(LineReader reader, boolean color) {
        Consumer<Line> above = color ? line -> reader.printAbove(line.styled()) : line -> reader.printAbove(line.plain());
        return new Output(above, above);
    }

    static Output script(PrintStream out, PrintStream err) {
        return new Output(line -> out.println(line.plain()), line -> err.println(line.plain()));
    }

    void print(Line line) {
        out.accept(line);
    }

    void print(String text) {
        out.accept(Line.of(text));
    }

    void print(Tone tone, String text) {
        out.accept(Line.of(tone, text));
    }

    void error(String message) {
        err.accept(Line.of(Tone.ERROR, message));
    }
}
