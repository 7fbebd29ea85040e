package io.courier.store.message;

import io.courier.core.message.BufferedCursorStore;
import io.courier.core.message.DeliveredCursor;
import io.courier.store.Backend;
import io.courier.store.TestDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/** Group-committed delivered cursors, over each real database: stored before the caller returns, never backwards. */
class BufferedCursorStoreTest {
    @RegisterExtension
    static final TestDatabases.PerClass databases = TestDatabases.perClass();

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void anAcknowledgementIsStoredWhenTheCallReturns(Backend backend) throws InterruptedException {
        JdbcCursorStore stored = new JdbcCursorStore(databases.fresh(backend).jdbc());
        try (BufferedCursorStore cursors = new BufferedCursorStore(stored, java.time.Duration.ofMillis(5))) {
            cursors.advanceDelivered(1, "phone", "p:1:2", 5);
            cursors.advanceDelivered(1, "phone", "p:1:2", 3); // never backwards
            cursors.advanceDelivered(1, "phone", "g:7", 9);
            cursors.advanceDelivered(1, "laptop", "p:1:2", 2);
            assertThat(stored.deliveredOf(1, "phone")).isEqualTo(Map.of("p:1:2", 5L, "g:7", 9L));
            assertThat(cursors.deliveredOf(1, "phone")).isEqualTo(Map.of("p:1:2", 5L, "g:7", 9L));
            assertThat(stored.deliveredOf(1, "laptop")).isEqualTo(Map.of("p:1:2", 2L));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void manyConcurrentAcknowledgementsAreAllStoredAtTheirHighest(Backend backend) throws Exception {
        JdbcCursorStore stored = new JdbcCursorStore(databases.fresh(backend).jdbc());
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        try (BufferedCursorStore cursors = new BufferedCursorStore(stored, java.time.Duration.ofMillis(5))) {
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int device = 0; device < 20; device++) {
                for (int seq = 1; seq <= 30; seq++) {
                    String id = "d" + device;
                    long s = seq;
                    all.add(CompletableFuture.runAsync(() -> cursors.advanceDelivered(7, id, "p:7:8", s), threads));
                }
            }
            all.forEach(CompletableFuture::join);
            for (int device = 0; device < 20; device++) {
                assertThat(stored.deliveredOf(7, "d" + device)).as("device d" + device).isEqualTo(Map.of("p:7:8", 30L));
            }
            assertThat(cursors.deliveredOf(7, "d3")).isEqualTo(Map.of("p:7:8", 30L));
        } finally {
            threads.shutdown();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aStoredCursorNeverMovesBack(Backend backend) throws InterruptedException {
        JdbcCursorStore stored = new JdbcCursorStore(databases.fresh(backend).jdbc());
        stored.advanceDeliveredAll(List.of(new DeliveredCursor(1, "phone", "p:1:2", 10)));
        try (BufferedCursorStore cursors = new BufferedCursorStore(stored, java.time.Duration.ofMillis(5))) {
            cursors.advanceDeliveredAll(List.of(new DeliveredCursor(1, "phone", "p:1:2", 6), new DeliveredCursor(1, "phone", "p:1:3", 1)));
            assertThat(stored.deliveredOf(1, "phone")).isEqualTo(Map.of("p:1:2", 10L, "p:1:3", 1L));
        }
    }
}
