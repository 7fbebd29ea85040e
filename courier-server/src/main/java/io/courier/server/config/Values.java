package io.courier.server.config;

import java.time.Duration;
import java.util.Locale;

/** Parsers for the value types of the configuration: integers, durations ({@code 90s}, {@code 15m}) and sizes ({@code 1MiB}). */
final class Values {
    private Values() {
    }

    static int integer(String raw) {
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer, got '" + raw + "'");
        }
    }

    static int port(String raw) {
        int port = integer(raw);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("expected a port from 0 to 65535, got " + port);
        }
        return port;
    }

    static int positive(String raw) {
        int value = integer(raw);
        if (value < 1) {
            throw new IllegalArgumentException("expected a positive integer, got " + value);
        }
        return value;
    }

    static boolean bool(String raw) {
        return switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got '" + raw + "'");
        };
    }

    /** A number with a unit: ms, s, m, h or d (a bare number is seconds). */
    static Duration duration(String raw) {
        String s = raw.strip().toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            }
            long n = Long.parseLong(Character.isDigit(s.charAt(s.length() - 1)) ? s : s.substring(0, s.length() - 1));
            Duration d = switch (s.charAt(s.length() - 1)) {
                case 'd' -> Duration.ofDays(n);
                case 'h' -> Duration.ofHours(n);
                case 'm' -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("expected a positive duration, got '" + raw + "'");
            }
            return d;
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("expected a duration such as 500ms, 90s, 15m, 1h or 30d, got '" + raw + "'");
        }
    }

    /** A byte count with an optional unit: KiB, MiB (or KB/MB, taken as binary too). */
    static int bytes(String raw) {
        String s = raw.strip().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
        long factor = 1;
        if (s.endsWith("k")) {
            factor = 1024;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            factor = 1024 * 1024;
            s = s.substring(0, s.length() - 1);
        }
        try {
            long value = Long.parseLong(s.strip()) * factor;
            if (value < 1 || value > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("expected a size from 1 byte to 2 GiB, got '" + raw + "'");
            }
            return (int) value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a size such as 65536, 64KiB or 1MiB, got '" + raw + "'");
        }
    }
}
