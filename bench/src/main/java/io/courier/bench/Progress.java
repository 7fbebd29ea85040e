package io.courier.bench;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/** A one-line progress counter on stderr for the slow set-up steps (creating users, connecting). */
final class Progress {
    private final PrintStream out;
    private final String what;
    private final long total;
    private final AtomicLong done = new AtomicLong();
    private volatile long lastPrinted;

    Progress(PrintStream out, String what, long total) {
        this.out = out;
        this.what = what;
        this.total = total;
    }

    void tick() {
        long n = done.incrementAndGet();
        long now = System.nanoTime();
        if (n == total || now - lastPrinted > 1_000_000_000L) {
            lastPrinted = now;
            out.printf("  %s: %d/%d%n", what, n, total);
        }
    }
}
