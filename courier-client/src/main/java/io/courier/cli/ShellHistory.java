package io.courier.cli;

import org.jline.reader.impl.history.DefaultHistory;

import java.time.Instant;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The shell's history (arrow up, Ctrl-R, kept in a file) without the lines that carry a password:
 * {@code login alice secret1} or {@code register:alice:secret1} is never written down.
 */
final class ShellHistory extends DefaultHistory {
    private static final Pattern WITH_PASSWORD = Pattern.compile("^\\s*(login|register)[\\s:]+\\S+[\\s:]+\\S.*",
            Pattern.DOTALL);

    @Override
    public void add(Instant time, String line) {
        if (!WITH_PASSWORD.matcher(line.toLowerCase(Locale.ROOT)).matches()) {
            super.add(time, line);
        }
    }
}
