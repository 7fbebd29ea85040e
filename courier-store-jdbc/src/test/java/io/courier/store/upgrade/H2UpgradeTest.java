package io.courier.store.upgrade;

import io.courier.core.message.ConversationId;
import io.courier.core.message.StoredMessage;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.Text;
import io.courier.store.Database;
import io.courier.store.DatabaseSettings;
import io.courier.store.Dialect;
import io.courier.store.Durability;
import io.courier.store.message.JdbcMessageStore;
import io.courier.store.user.JdbcUserStore;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A data directory as the H2 releases left it after a kill -9 (schema version 3, messages
 * acknowledged from the journal but not yet in H2's file) is upgraded to SQLite on the first start,
 * with nothing lost; the upgrade then never runs again.
 */
class H2UpgradeTest {
    @TempDir
    Path dataDir;

    @Test
    void anH2DataDirectoryWithAnUnreplayedJournalIsUpgradedWithEveryAcknowledgedWrite() throws Exception {
        String url = "jdbc:h2:file:" + dataDir.resolve("db").resolve("courier").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        Flyway.configure().dataSource(url, "", "").locations("classpath:db/migration").placeholders(Dialect.H2.placeholders())
                .target("3").load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO users (username, password_hash, nickname, created_at, updated_at)"
                    + " VALUES ('alice', 'h', 'Ünïcødé Çafé', 1, 1), ('bob', 'h', 'Bob', 2, 2)");
            st.executeUpdate("INSERT INTO messages (conversation_id, seq, message_id, sender_id, client_msg_id, kind, body, created_at)"
                    + " VALUES ('p:1:2', 1, 100, 1, 'c-1', 'text', '{\"text\":{\"text\":\"stored\"}}', 10)");
            st.execute("SHUTDOWN");
        }
        // The journal: the stored batch, one H2 never stored, and a record torn by the kill.
        Path journal = Files.createDirectories(dataDir.resolve("journal"));
        String pair = ConversationId.ofUsers(1, 2).value();
        ByteArrayOutputStream segment = new ByteArrayOutputStream();
        segment.write(LegacyJournal.record(List.of(message(pair, 1, 100, 1, "stored"))));
        segment.write(LegacyJournal.record(List.of(message(pair, 2, 101, 2, "only journaled"), message(pair, 3, 102, 1, "me too"))));
        byte[] torn = LegacyJournal.record(List.of(message(pair, 4, 103, 1, "never acknowledged")));
        segment.write(torn, 0, torn.length - 3);
        Files.write(journal.resolve("00000000000000000007.journal"), segment.toByteArray());

        assertThat(H2Upgrade.isNeeded(dataDir)).isTrue();
        assertThat(H2Upgrade.upgradeIfNeeded(dataDir, Durability.PROCESS)).isTrue();

        try (Database upgraded = Database.open(DatabaseSettings.embedded(dataDir, 2, Durability.PROCESS))) {
            assertThat(upgraded.dialect()).isEqualTo(Dialect.SQLITE);
            var users = new JdbcUserStore(upgraded.jdbc());
            assertThat(users.findByUsername("alice")).hasValueSatisfying(u -> assertThat(u.id()).isEqualTo(1));
            assertThat(users.search("çafé", 0, 10)).extracting(u -> u.username()).containsExactly("alice");
            var messages = new JdbcMessageStore(upgraded.jdbc());
            assertThat(messages.after(pair, 0, 10)).extracting(m -> m.content().getText().getText())
                    .containsExactly("stored", "only journaled", "me too");
            assertThat(messages.conversationsOf(1, 10)).singleElement().satisfies(e -> assertThat(e.lastSeq()).isEqualTo(3));
        }
        Path legacy = dataDir.resolve("db").resolve("h2-legacy");
        assertThat(legacy.resolve("courier.mv.db")).exists();
        assertThat(legacy.resolve("journal")).isDirectory();
        assertThat(dataDir.resolve("db").resolve("courier.mv.db")).doesNotExist();
        assertThat(dataDir.resolve("db").resolve("upgrade-from-h2.jsonl")).exists();
        assertThat(H2Upgrade.isNeeded(dataDir)).isFalse();
        assertThat(H2Upgrade.upgradeIfNeeded(dataDir, Durability.PROCESS)).isFalse();
    }

    @Test
    void aFreshDataDirectoryNeedsNoUpgrade() {
        assertThat(H2Upgrade.upgradeIfNeeded(dataDir, Durability.PROCESS)).isFalse();
        assertThat(dataDir.resolve("db")).doesNotExist();
    }

    private static StoredMessage message(String conversation, long seq, long id, long from, String text) {
        return new StoredMessage(conversation, seq, id, from, from == 1 ? 2 : 1, 0, "c-" + seq,
                Content.newBuilder().setText(Text.newBuilder().setText(text)).build(), 10 + seq, 0);
    }
}
