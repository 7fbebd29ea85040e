package io.courier.gateway.mpim;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * One received line, split the way the MPIM gateway splits it: the command word (matched without regard
 * to case) and the rest of the line. Fixed arguments are the words of the rest; a message text is
 * everything after its first argument and the single space behind it, kept exactly as typed.
 *
 * @param word the command word in upper case
 * @param rest what follows the command word and one space, verbatim (empty when nothing does)
 */
record CommandLine(String word, String rest) {

    /** The line without its end of line; null for a blank line, which is ignored. */
    static CommandLine parse(String line) {
        String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        if (l.isBlank()) {
            return null;
        }
        l = l.stripLeading();
        int space = l.indexOf(' ');
        String word = (space < 0 ? l : l.substring(0, space)).toUpperCase(Locale.ROOT);
        return new CommandLine(word, space < 0 ? "" : l.substring(space + 1));
    }

    /** The arguments as words: runs of spaces separate them. */
    List<String> words() {
        String r = rest.strip();
        return r.isEmpty() ? List.of() : Arrays.asList(r.split(" +"));
    }

    /** The first argument, or "" when there is none. */
    String first() {
        String r = rest.stripLeading();
        int space = r.indexOf(' ');
        return space < 0 ? r : r.substring(0, space);
    }

    /** Everything after the first argument and the one space that ends it; "" when nothing follows. */
    String afterFirst() {
        String r = rest.stripLeading();
        int space = r.indexOf(' ');
        return space < 0 ? "" : r.substring(space + 1);
    }

    /**
     * A numeric id argument, or -1 when it is not one: user and group ids are positive decimal numbers
     * that fit a signed 64-bit integer (anything longer, signed or with other characters is not an id).
     */
    static long id(String value) {
        if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        try {
            long id = Long.parseLong(value);
            return id > 0 ? id : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
