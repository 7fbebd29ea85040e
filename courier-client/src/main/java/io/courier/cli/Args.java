package io.courier.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The arguments of one typed command, read by position and checked as they are read. */
final class Args {
    private final CommandSpec spec;
    private final List<String> values;

    Args(CommandSpec spec, List<String> values) {
        this.spec = spec;
        this.values = values;
    }

    /** The argument, or null when an optional one was left out. */
    String optional(int i) {
        return i < values.size() && !values.get(i).isEmpty() ? values.get(i) : null;
    }

    String word(int i) {
        String v = optional(i);
        if (v == null) {
            throw usage();
        }
        return v;
    }

    UserRef user(int i) {
        return UserRef.parse(word(i));
    }

    /** Users separated by spaces or commas. */
    List<UserRef> users(int i) {
        return Arrays.stream(word(i).split("[\\s,]+")).filter(s -> !s.isEmpty()).map(UserRef::parse).toList();
    }

    Peer peer(int i) {
        return Peer.parse(word(i));
    }

    long groupId(int i) {
        return GroupIds.parse(word(i));
    }

    RequestRef request(int i) {
        return RequestRef.parse(word(i));
    }

    int number(int i, int whenAbsent, int min, int max) {
        String v = optional(i);
        if (v == null) {
            return whenAbsent;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(label(i) + " must be a number from " + min + " to " + max + ": " + v);
    }

    long seq(int i) {
        try {
            long n = Long.parseLong(word(i).replaceFirst("^#", ""));
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("A message number (seq) is a positive number, as history shows it: " + word(i));
    }

    boolean onOff(int i) {
        return onOff(label(i), word(i));
    }

    static boolean onOff(String label, String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> throw new UsageException(label + " is on or off: " + text);
        };
    }

    private String label(int i) {
        return spec.params().get(i).label();
    }

    UsageException usage() {
        return new UsageException("Usage: " + spec.synopsis());
    }
}
