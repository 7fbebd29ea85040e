package io.courier.cli;

import io.courier.cli.CommandSpec.Param;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a typed line into a {@link Command}. Two syntaxes, told apart by what follows the command
 * word: MPIM's colon form ({@code chat:bob:Hello: how are you?}) and the space form
 * ({@code chat bob Hello: how are you?}). In both the last argument of a command that takes text
 * gets the rest of the line, colons and spaces included.
 */
final class CommandParser {
    private final CommandCatalog catalog;

    CommandParser(CommandCatalog catalog) {
        this.catalog = catalog;
    }

    Command parse(String line) {
        String text = line.strip();
        int end = 0;
        while (end < text.length() && text.charAt(end) != ':' && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        String word = text.substring(0, end).toLowerCase(Locale.ROOT);
        if (word.isEmpty()) {
            throw new UsageException("Type a command; help lists them");
        }
        CommandSpec spec = catalog.find(word).orElseThrow(() ->
                new UsageException("Unknown command: " + word + ". Type help to see the commands"));
        boolean colon = end < text.length() && text.charAt(end) == ':';
        String rest = end < text.length() ? text.substring(end + 1) : "";
        List<String> values = colon ? colonArguments(rest, spec) : spaceArguments(rest, spec);
        if (values.size() < spec.requiredCount()) {
            throw new UsageException("Usage: " + spec.synopsis() + "   (or " + spec.colonSynopsis() + ")");
        }
        return spec.build().apply(new Args(spec, values));
    }

    private static List<String> spaceArguments(String rest, CommandSpec spec) {
        List<String> values = new ArrayList<>();
        String left = rest.strip();
        for (Param p : spec.params()) {
            if (left.isEmpty()) {
                break;
            }
            if (p.kind() == Param.Kind.REST) {
                values.add(left);
                left = "";
                break;
            }
            int space = indexOfWhitespace(left);
            values.add(space < 0 ? left : left.substring(0, space));
            left = space < 0 ? "" : left.substring(space).stripLeading();
        }
        if (!left.isEmpty()) {
            throw tooMany(spec);
        }
        return values;
    }

    private static List<String> colonArguments(String rest, CommandSpec spec) {
        List<String> values = new ArrayList<>();
        String left = rest;
        boolean more = !rest.isBlank();
        for (Param p : spec.params()) {
            if (!more) {
                break;
            }
            if (p.kind() == Param.Kind.REST) {
                values.add(left.strip());
                more = false;
                break;
            }
            // A group written g:5 holds a colon of its own.
            int from = p.kind() == Param.Kind.PEER && left.stripLeading().regionMatches(true, 0, "g:", 0, 2)
                    ? left.indexOf(':') + 1 : 0;
            int colon = left.indexOf(':', from);
            values.add((colon < 0 ? left : left.substring(0, colon)).strip());
            more = colon >= 0;
            left = colon < 0 ? "" : left.substring(colon + 1);
        }
        if (more) {
            throw tooMany(spec);
        }
        return values;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static UsageException tooMany(CommandSpec spec) {
        return new UsageException("Too many arguments. Usage: " + spec.synopsis());
    }
}
