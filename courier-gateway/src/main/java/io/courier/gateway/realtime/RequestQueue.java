package io.courier.gateway.realtime;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one connection's requests in arrival order, one at a time, off the event loop: two sends keep
 * their order, and blocking work (database, password hashing) never holds a loop. A queue has no thread
 * of its own; it borrows one from the executor while it has work.
 *
 * <p>Back-pressure: while more than {@link #HIGH} requests wait, the connection stops reading (its
 * client's writes then wait in the kernel's buffers and its own); below {@link #LOW} it reads again.
 * A busy server thus slows its senders down instead of queueing without bound or refusing them.
 */
public final class RequestQueue {
    static final int HIGH = 512;
    static final int LOW = 64;

    private final Executor executor;
    private final ChannelConfig reads;
    private final ConcurrentLinkedQueue<Runnable> requests = new ConcurrentLinkedQueue<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private volatile boolean paused;

    public RequestQueue(Executor executor, Channel channel) {
        this.executor = executor;
        this.reads = channel.config();
    }

    public void enqueue(Runnable request) {
        requests.add(request);
        if (waiting.incrementAndGet() > HIGH && !paused) {
            pauseReads();
        }
        drain();
    }

    private void ran() {
        if (waiting.decrementAndGet() < LOW && paused) {
            resumeReads();
        }
    }

    // Both decide on the count under one lock, so a pause can never outlive the queue's work.
    private synchronized void pauseReads() {
        if (!paused && waiting.get() >= LOW) {
            paused = true;
            reads.setAutoRead(false);
        }
    }

    private synchronized void resumeReads() {
        if (paused && waiting.get() < LOW) {
            paused = false;
            reads.setAutoRead(true);
        }
    }

    private void drain() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        executor.execute(() -> {
            try {
                for (Runnable r; (r = requests.poll()) != null; ) {
                    try {
                        r.run();
                    } finally {
                        ran();
                    }
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
