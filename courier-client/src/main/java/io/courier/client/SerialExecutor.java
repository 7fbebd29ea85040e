package io.courier.client;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs one client's tasks one at a time, in submission order, on a shared executor: the client's
 * state needs no locks, and its listener sees events in the order the server sent them.
 */
final class SerialExecutor implements Executor {
    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor delegate;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile Thread current;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (running.compareAndSet(false, true)) {
            delegate.execute(this::drain);
        }
    }

    /** Whether the caller is one of this executor's tasks (waiting for a later task would then hang). */
    boolean isCurrentThread() {
        return current == Thread.currentThread();
    }

    private void drain() {
        current = Thread.currentThread();
        try {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    // A failing listener must not stop the client's later events.
                    log.warn("A client task failed", e);
                }
            }
        } finally {
            current = null;
            running.set(false);
            if (!tasks.isEmpty()) {
                schedule();
            }
        }
    }
}
