package io.courier.core.limit;

import java.time.Duration;
import java.util.Locale;

/**
 * How much of something one key (a user, an address) may do: {@code count} per {@code period},
 * in a burst or spread out (a token bucket of {@code count}, refilled evenly over the period).
 * Written {@code 200/10s}; {@code off} is no limit.
 */
public record Rate(long count, Duration period) {
    public static final Rate OFF = new Rate(0, Duration.ZERO);

    public Rate {
        if (count < 0 || (count > 0 && (period == null || period.isZero() || period.isNegative()))) {
            throw new IllegalArgumentException("A rate is a positive count per positive period, e.g. 200/10s");
        }
    }

    public boolean isOff() {
        return count == 0;
    }

    /** Parses {@code 200/10s}, {@code 5/1m}, {@code 100/1h}, or {@code off}. */
    public static Rate parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.equals("off") || t.equals("0")) {
            return OFF;
        }
        int slash = t.indexOf('/');
        if (slash < 1) {
            throw new IllegalArgumentException("'" + text + "' is not a rate; write COUNT/PERIOD (200/10s, 5/1m) or off");
        }
        long count;
        try {
            count = Long.parseLong(t.substring(0, slash).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a rate: the count must be a whole number", e);
        }
        return new Rate(count, period(t.substring(slash + 1).strip(), text));
    }

    private static Duration period(String p, String text) {
        if (p.length() < 2) {
            throw new IllegalArgumentException("'" + text + "' is not a rate: the period needs a unit (ms, s, m, h)");
        }
        String unit = p.endsWith("ms") ? "ms" : p.substring(p.length() - 1);
        long n;
        try {
            n = Long.parseLong(p.substring(0, p.length() - unit.length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a rate: the period must be a number with a unit", e);
        }
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> throw new IllegalArgumentException("'" + text + "' is not a rate: the period's unit is ms, s, m or h");
        };
    }

    @Override
    public String toString() {
        return isOff() ? "off" : count + "/" + period;
    }
}
