package io.courier.gateway.realtime;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RequestQueueTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final ExecutorService executor = Executors.newSingleThreadExecutor();
    private final RequestQueue queue = new RequestQueue(executor, channel);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        executor.shutdownNow();
        channel.close();
    }

    @Test
    void aConnectionStopsReadingWhileTooManyOfItsRequestsWaitAndReadsAgainOnceTheyRan() throws Exception {
        List<Integer> ran = new ArrayList<>();
        queue.enqueue(this::awaitRelease); // the first request blocks the queue
        for (int i = 0; i < RequestQueue.HIGH; i++) {
            int n = i;
            queue.enqueue(() -> ran.add(n));
        }
        assertThat(channel.config().isAutoRead()).as("reads paused above the high mark").isFalse();

        CountDownLatch done = new CountDownLatch(1);
        queue.enqueue(done::countDown);
        release.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).hasSize(RequestQueue.HIGH).isSorted();
        assertThat(channel.config().isAutoRead()).as("reads resumed once the queue drained").isTrue();
    }

    @Test
    void aShortQueueNeverPausesReads() {
        queue.enqueue(this::awaitRelease);
        for (int i = 0; i < RequestQueue.LOW; i++) {
            queue.enqueue(() -> { });
        }
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    private void awaitRelease() {
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
