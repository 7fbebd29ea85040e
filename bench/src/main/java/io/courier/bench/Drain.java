package io.courier.bench;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits, after the senders stopped, for what is still on its way (bounded: a stuck run still ends). */
final class Drain {
    private Drain() {
    }

    static boolean await(BooleanSupplier done, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
