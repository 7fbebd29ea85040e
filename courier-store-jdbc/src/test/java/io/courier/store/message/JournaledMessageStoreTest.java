package io.courier.store.message;

import io.courier.core.message.ConversationEntry;
import io.courier.core.message.ConversationId;
import io.courier.core.message.StoredMessage;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Text;
import io.courier.store.Database;
import io.courier.store.DatabaseSettings;
import io.courier.store.EmbeddedCrash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The message journal over the real embedded database file. A crash is H2's {@code SHUTDOWN
 * IMMEDIATELY}, which closes the file without storing what was committed since the last store, as
 * a killed process would leave it. Journal mode turns H2's own background store off, and the
 * journal's periodic store is a minute apart here, so nothing but the journal can have saved the
 * messages.
 */
class JournaledMessageStoreTest {
    private static final long ALICE = 1, BOB = 2, CAROL = 3;
    private static final String ALICE_BOB = ConversationId.ofUsers(ALICE, BOB).value();
    private static final String ALICE_CAROL = ConversationId.ofUsers(ALICE, CAROL).value();

    @TempDir
    Path dir;

    private long nextId = 100;

    @Test
    void batchesTheDatabaseLostInACrashAreReplayedWithTheirConversationListsAndReadCursors() {
        Database first = Database.open(DatabaseSettings.embedded(dir, 2, true));
        JournaledMessageStore store = openStore(first, JournaledMessageStore.SEGMENT_BYTES);
        List<StoredMessage> sent = new ArrayList<>();
        sent.addAll(append(store, message(ALICE_BOB, 1, ALICE, BOB), message(ALICE_CAROL, 1, ALICE, CAROL)));
        sent.addAll(append(store, message(ALICE_BOB, 2, BOB, ALICE), message(ALICE_BOB, 3, ALICE, BOB)));
        assertThat(store.after(ALICE_BOB, 0, 10)).hasSize(3); // readers see a batch at once
        EmbeddedCrash.crash(first);

        try (Database plain = Database.open(new DatabaseSettings(Database.embeddedUrl(dir), "", "", 2))) {
            assertThat(new JdbcMessageStore(plain.jdbc()).after(ALICE_BOB, 0, 10))
                    .as("the crash lost what the database had not stored").isEmpty();
        }

        try (Database second = Database.open(DatabaseSettings.embedded(dir, 2, true))) {
            JournaledMessageStore reopened = openStore(second, JournaledMessageStore.SEGMENT_BYTES);
            assertThat(reopened.after(ALICE_BOB, 0, 10)).containsExactlyElementsOf(sent.stream()
                    .filter(m -> m.conversationId().equals(ALICE_BOB)).toList());
            assertThat(reopened.after(ALICE_CAROL, 0, 10)).containsExactly(sent.get(1));
            assertThat(reopened.findByClientMsgId(BOB, sent.get(2).clientMsgId())).contains(sent.get(2));
            assertThat(reopened.conversationsOf(BOB, 10)).extracting(ConversationEntry::conversationId, ConversationEntry::lastSeq)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(ALICE_BOB, 3L));
            assertThat(reopened.conversationsOf(ALICE, 10)).extracting(ConversationEntry::lastSeq).containsExactlyInAnyOrder(3L, 1L);
            assertThat(new JdbcCursorStore(second.jdbc()).readOf(BOB)).containsEntry(ALICE_BOB, 2L);
            assertThat(new JdbcCursorStore(second.jdbc()).readOf(ALICE)).containsEntry(ALICE_BOB, 3L).containsEntry(ALICE_CAROL, 1L);
        }
    }

    @Test
    void replayingTwiceStoresEachMessageOnce() throws Exception {
        Database first = Database.open(DatabaseSettings.embedded(dir, 2, true));
        JournaledMessageStore store = openStore(first, JournaledMessageStore.SEGMENT_BYTES);
        List<StoredMessage> sent = append(store, message(ALICE_BOB, 1, ALICE, BOB), message(ALICE_BOB, 2, BOB, ALICE));
        first.jdbc().persist(); // stored, and still in the journal: a crash between a store and the segment's deletion
        EmbeddedCrash.crash(first);

        try (Database second = Database.open(DatabaseSettings.embedded(dir, 2, true))) {
            JournaledMessageStore reopened = openStore(second, JournaledMessageStore.SEGMENT_BYTES);
            assertThat(reopened.after(ALICE_BOB, 0, 10)).containsExactlyElementsOf(sent);
            reopened.close();
        }
        assertThat(segments()).as("a clean close leaves nothing to replay").isEmpty();
    }

    @Test
    void aFullSegmentIsDeletedOnlyOnceTheDatabaseStoredWhatItHolds() throws Exception {
        Database first = Database.open(DatabaseSettings.embedded(dir, 2, true));
        JournaledMessageStore store = openStore(first, 512);
        List<StoredMessage> sent = new ArrayList<>();
        for (int seq = 1; seq <= 43; seq++) { // the last few after the last full segment: replayed
            sent.addAll(append(store, message(ALICE_BOB, seq, seq % 2 == 0 ? BOB : ALICE, seq % 2 == 0 ? ALICE : BOB)));
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (segments().size() > 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(segments()).as("full segments are deleted after a checkpoint").hasSizeLessThanOrEqualTo(2);
        EmbeddedCrash.crash(first);

        try (Database second = Database.open(DatabaseSettings.embedded(dir, 2, true))) {
            JournaledMessageStore reopened = openStore(second, 512);
            assertThat(reopened.after(ALICE_BOB, 0, 100)).containsExactlyElementsOf(sent);
            reopened.close();
        }
    }

    @Test
    void aTornLastRecordIsDroppedAndEverythingBeforeItKept() throws IOException {
        List<StoredMessage> whole = List.of(message(ALICE_BOB, 1, ALICE, BOB));
        try (MessageJournal journal = MessageJournal.open(journalDir(), 1 << 20)) {
            journal.recover();
            journal.append(whole);
            journal.append(List.of(message(ALICE_BOB, 2, BOB, ALICE)));
        }
        Path segment = segments().getFirst();
        try (RandomAccessFile file = new RandomAccessFile(segment.toFile(), "rw")) {
            file.setLength(file.length() - 3); // the process died in the middle of the second write
        }
        try (MessageJournal journal = MessageJournal.open(journalDir(), 1 << 20)) {
            assertThat(journal.recover().batches()).containsExactly(whole);
        }
    }

    @Test
    void damageBeforeTheNewestSegmentRefusesToStartRatherThanSkipAcknowledgedMessages() throws IOException {
        try (MessageJournal journal = MessageJournal.open(journalDir(), 1 << 20)) {
            journal.recover();
            journal.append(List.of(message(ALICE_BOB, 1, ALICE, BOB)));
            journal.append(List.of(message(ALICE_BOB, 2, BOB, ALICE)));
            journal.rotate();
            journal.append(List.of(message(ALICE_BOB, 3, ALICE, BOB)));
        }
        try (RandomAccessFile file = new RandomAccessFile(segments().getFirst().toFile(), "rw")) {
            file.seek(12); // inside the first record's payload
            file.write(file.read() ^ 0xFF);
        }
        try (MessageJournal journal = MessageJournal.open(journalDir(), 1 << 20)) {
            assertThatThrownBy(journal::recover).isInstanceOf(IllegalStateException.class).hasMessageContaining("damaged");
        }
    }

    /** Its periodic store does not come within a test's time: only the journal saves the messages. */
    private JournaledMessageStore openStore(Database database, long segmentBytes) {
        return JournaledMessageStore.open(database.jdbc(), journalDir(), segmentBytes, Duration.ofMinutes(1));
    }

    private List<StoredMessage> append(JournaledMessageStore store, StoredMessage... batch) {
        store.append(List.of(batch));
        return List.of(batch);
    }

    private StoredMessage message(String conversation, long seq, long sender, long to) {
        long id = nextId++;
        return new StoredMessage(conversation, seq, id, sender, to, 0, "client-" + id,
                Content.newBuilder().setText(Text.newBuilder().setText("message " + id)).build(), 1_700_000_000_000L + id, 0);
    }

    private Path journalDir() {
        return dir.resolve("journal");
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(journalDir())) {
            return files.sorted().toList();
        }
    }
}
