package io.courier.gateway.realtime;

import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class RequestQueueTest {

    @Test
    void aConnectionStopsReadingWhileTooManyOfItsRequestsWaitAndReadsAgainOnceTheyRan() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            RequestQueue queue = new RequestQueue(executor, channel);
            CountDownLatch release = new CountDownLatch(1);
            List<Integer> ran = new ArrayList<>();
            queue.enqueue(() -> await(release)); // the first request blocks the queue
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
        } finally {
            executor.shutdownNow();
            channel.close();
        }
    }

    @Test
    void aShortQueueNeverPausesReads() throws Exception {
        EmbeddedChannel channel = new EmbeddedChannel();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            RequestQueue queue = new RequestQueue(executor, channel);
            CountDownLatch release = new CountDownLatch(1);
            queue.enqueue(() -> await(release));
            for (int i = 0; i < RequestQueue.LOW; i++) {
                queue.enqueue(() -> { });
            }
            assertThat(channel.config().isAutoRead()).isTrue();
            release.countDown();
        } finally {
            executor.shutdownNow();
            channel.close();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
