package io.courier.store.message;

import io.courier.core.message.BufferedCursorStore;
import io.courier.core.message.DeliveredCursor;
import io.courier.store.Backend;
import io.courier.store.TestDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Delivered cursors written behind, over each real database: merged in memory, stored in one transaction. */
class BufferedCursorStoreTest {
    @RegisterExtension
    static final TestDatabases.PerClass databases = TestDatabases.perClass();

    /** A flush interval long enough that only explicit flushes happen during a test. */
    private static final Duration NEVER = Duration.ofHours(1);

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void acknowledgementsAreSeenAtOnceAndStoredByTheFlush(Backend backend) {
        JdbcCursorStore stored = new JdbcCursorStore(databases.fresh(backend).jdbc());
        try (BufferedCursorStore cursors = new BufferedCursorStore(stored, NEVER)) {
            cursors.advanceDelivered(1, "phone", "p:1:2", 5);
            cursors.advanceDelivered(1, "phone", "p:1:2", 3); // never backwards
            cursors.advanceDelivered(1, "phone", "g:7", 9);
            cursors.advanceDelivered(1, "laptop", "p:1:2", 2);
            cursors.advanceDelivered(2, "phone", "p:1:2", 4);

            assertThat(cursors.deliveredOf(1, "phone")).isEqualTo(Map.of("p:1:2", 5L, "g:7", 9L));
            assertThat(stored.deliveredOf(1, "phone")).isEmpty();

            cursors.flush();
            assertThat(stored.deliveredOf(1, "phone")).isEqualTo(Map.of("p:1:2", 5L, "g:7", 9L));
            assertThat(stored.deliveredOf(1, "laptop")).isEqualTo(Map.of("p:1:2", 2L));
            assertThat(stored.deliveredOf(2, "phone")).isEqualTo(Map.of("p:1:2", 4L));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void aStoredCursorNeverMovesBackAndCloseStoresWhatIsLeft(Backend backend) {
        JdbcCursorStore stored = new JdbcCursorStore(databases.fresh(backend).jdbc());
        stored.advanceDeliveredAll(List.of(new DeliveredCursor(1, "phone", "p:1:2", 10)));
        BufferedCursorStore cursors = new BufferedCursorStore(stored, NEVER);
        cursors.advanceDelivered(1, "phone", "p:1:2", 6);
        assertThat(cursors.deliveredOf(1, "phone")).isEqualTo(Map.of("p:1:2", 10L));
        cursors.advanceDelivered(1, "phone", "p:1:3", 1);
        cursors.close();
        assertThat(stored.deliveredOf(1, "phone")).isEqualTo(Map.of("p:1:2", 10L, "p:1:3", 1L));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void theTimerStoresPendingCursors(Backend backend) throws InterruptedException {
        JdbcCursorStore stored = new JdbcCursorStore(databases.fresh(backend).jdbc());
        try (BufferedCursorStore cursors = new BufferedCursorStore(stored, Duration.ofMillis(20))) {
            cursors.advanceDelivered(3, "tablet", "p:3:4", 7);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (stored.deliveredOf(3, "tablet").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(stored.deliveredOf(3, "tablet")).isEqualTo(Map.of("p:3:4", 7L));
        }
    }
}
