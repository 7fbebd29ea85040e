package io.courier.gateway.realtime;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one connection's requests in arrival order, one at a time, off the event loop: two sends keep
 * their order, and blocking work (database, password hashing) never holds a loop. A queue has no thread
 * of its own; it borrows one from the executor while it has work.
 */
public final class RequestQueue {
    private final Executor executor;
    private final ConcurrentLinkedQueue<Runnable> requests = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    public RequestQueue(Executor executor) {
        this.executor = executor;
    }

    public void enqueue(Runnable request) {
        requests.add(request);
        drain();
    }

    private void drain() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        executor.execute(() -> {
            try {
                for (Runnable r; (r = requests.poll()) != null; ) {
                    r.run();
                }
            } finally {
                draining.set(false);
                if (!requests.isEmpty()) {
                    drain();
                }
            }
        });
    }
}
