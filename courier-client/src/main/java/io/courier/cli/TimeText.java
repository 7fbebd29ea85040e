package io.courier.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Times as the CLI prints them: {@code 2025-11-24 12:00:01}, in the user's time zone. */
final class TimeText {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final ZoneId zone;

    TimeText(ZoneId zone) {
        this.zone = zone;
    }

    String of(long epochMillis) {
        return FORMAT.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }
}
