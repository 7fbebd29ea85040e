package io.courier.store.backup;

import io.courier.core.auth.Session;
import io.courier.core.message.ConversationId;
import io.courier.core.message.StoredMessage;
import io.courier.core.user.NewUser;
import io.courier.protocol.v1.Content;
import io.courier.protocol.v1.GroupRole;
import io.courier.protocol.v1.JoinPolicy;
import io.courier.protocol.v1.Text;
import io.courier.store.Backend;
import io.courier.store.Database;
import io.courier.store.TestDatabases;
import io.courier.store.auth.JdbcSessionStore;
import io.courier.store.friend.JdbcFriendStore;
import io.courier.store.group.JdbcGroupStore;
import io.courier.store.message.JdbcCursorStore;
import io.courier.store.message.JdbcMessageStore;
import io.courier.store.user.JdbcUserStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An export read into another database gives the same data: every table, every row, every
 * column, between any two of the embedded database, MariaDB and PostgreSQL; and the ids the target
 * generates next come after the imported ones.
 */
class BackupTest {
    @RegisterExtension
    static final TestDatabases.PerClass databases = TestDatabases.perClass();

    static Stream<Arguments> pairs() {
        return Stream.of(
                Arguments.of(Backend.SQLITE, Backend.SQLITE),
                Arguments.of(Backend.SQLITE, Backend.POSTGRESQL),
                Arguments.of(Backend.SQLITE, Backend.MARIADB),
                Arguments.of(Backend.POSTGRESQL, Backend.SQLITE),
                Arguments.of(Backend.MARIADB, Backend.SQLITE));
    }

    @ParameterizedTest(name = "{0} to {1}")
    @MethodSource("pairs")
    void anExportImportedElsewhereHoldsEveryRowOfEveryTable(Backend from, Backend to) {
        Database source = databases.fresh(from);
        long[] ids = populate(source);

        String exported = export(source);
        try (Database target = Database.open(databases.createEmpty(to))) {
            Backup.Summary imported = Backup.importInto(target, new ByteArrayInputStream(exported.getBytes(StandardCharsets.UTF_8)));

            assertThat(imported.rows()).allSatisfy((table, rows) -> assertThat(rows).as(table).isPositive());
            assertThat(withoutTimestamp(export(target))).isEqualTo(withoutTimestamp(exported));
            // What the stores read back, and the ids generated next.
            JdbcUserStore users = new JdbcUserStore(target.jdbc());
            assertThat(users.findById(ids[0])).hasValueSatisfying(u -> assertThat(u.nickname()).isEqualTo("Ünïcødé Çafé"));
            assertThat(users.search("çafé", 0, 10)).extracting(u -> u.id()).containsExactly(ids[0]);
            assertThat(new JdbcFriendStore(target.jdbc()).areFriends(ids[0], ids[1])).isTrue();
            var messages = new JdbcMessageStore(target.jdbc());
            assertThat(messages.find(ConversationId.ofUsers(ids[0], ids[1]).value(), 2))
                    .hasValueSatisfying(m -> assertThat(m.content().getText().getText()).isEqualTo("second 🚀"));
            assertThat(users.create(new NewUser("later", "h", "Later", null, 9))).isGreaterThan(ids[2]);
            assertThat(new JdbcGroupStore(target.jdbc()).create("Next", "", "", JoinPolicy.OPEN, 10, ids[0], List.of(), 9))
                    .isGreaterThan(ids[3]);
        }
    }

    @Test
    void everyTableOfTheSchemaIsExported() throws Exception {
        Database db = databases.fresh(Backend.SQLITE);
        List<String> tables = new ArrayList<>();
        db.jdbc().withConnection(c -> {
            try (ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME").toLowerCase());
                }
            }
            return null;
        });
        tables.removeAll(Set.of("flyway_schema_history", "sqlite_sequence"));
        assertThat(Backup.TABLES.keySet()).containsExactlyInAnyOrderElementsOf(tables);
    }

    @Test
    void anImportIsRefusedWhenTheDatabaseHoldsDataOrTheFileIsCutOff() {
        Database source = databases.fresh(Backend.SQLITE);
        populate(source);
        String exported = export(source);

        assertThatThrownBy(() -> Backup.importInto(source, stream(exported)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already holds data");
        try (Database target = Database.open(databases.createEmpty(Backend.SQLITE))) {
            String cut = exported.substring(0, exported.lastIndexOf("{\"end\""));
            assertThatThrownBy(() -> Backup.importInto(target, stream(cut)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cut off");
            String otherSchema = exported.replaceFirst("\"schema\":\"\\d+\"", "\"schema\":\"999\"");
            assertThatThrownBy(() -> Backup.importInto(target, stream(otherSchema)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema version 999");
            assertThatThrownBy(() -> Backup.importInto(target, stream("{\"hello\":1}\n")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not a Courier export");
            // Nothing of the refused imports stayed: the real one still goes through.
            Backup.importInto(target, stream(exported));
            assertThat(new JdbcUserStore(target.jdbc()).count()).isEqualTo(3);
        }
    }

    /** A row in every table; returns the ids of alice, bob, carol and the group. */
    static long[] populate(Database db) {
        var users = new JdbcUserStore(db.jdbc());
        long alice = users.create(new NewUser("alice", "hash-a", "Ünïcødé Çafé", "a@example.org", 1_000));
        long bob = users.create(new NewUser("bob", "hash-b", "Bob", null, 1_001));
        long carol = users.create(new NewUser("carol", "hash-c", "小明的世界", null, 1_002));
        new JdbcSessionStore(db.jdbc()).replaceDeviceSession(
                new Session("0b9a4c1e-6f2d-4c8a-9e1b-5d7f3a2c1b00", alice, "laptop", "refresh-hash", 1_100, 9_999_999, 0), 1_100);
        var friends = new JdbcFriendStore(db.jdbc());
        long request = friends.createRequest(alice, bob, "hi", 1_200);
        friends.acceptRequest(request, 1_201);
        friends.createRequest(carol, alice, "me too", 1_202);
        friends.block(carol, bob, 1_203);
        var groups = new JdbcGroupStore(db.jdbc());
        long group = groups.create("Chess", "", "for players", JoinPolicy.APPROVAL, 100, alice, List.of(bob), 1_300);
        groups.createRequest(group, carol, 0, "let me in", 1_301);
        groups.mute(group, bob, 5_000);
        String pair = ConversationId.ofUsers(alice, bob).value();
        String chat = ConversationId.ofGroup(group).value();
        new JdbcMessageStore(db.jdbc()).append(List.of(
                message(pair, 1, 501, alice, bob, 0, "first"),
                message(pair, 2, 502, bob, alice, 0, "second 🚀"),
                message(chat, 1, 503, alice, 0, group, "hello group")));
        new JdbcMessageStore(db.jdbc()).recall(pair, 1, 1_500);
        new JdbcCursorStore(db.jdbc()).advanceDelivered(bob, "phone", pair, 1);
        return new long[] {alice, bob, carol, group};
    }

    private static StoredMessage message(String conversation, long seq, long id, long from, long to, long group, String text) {
        return new StoredMessage(conversation, seq, id, from, to, group, "c-" + id,
                Content.newBuilder().setText(Text.newBuilder().setText(text)).build(), 1_400 + seq, 0);
    }

    private static String export(Database db) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Backup.export(db, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String withoutTimestamp(String export) {
        List<String> lines = new ArrayList<>(Arrays.asList(export.split("\n")));
        lines.set(0, lines.getFirst().replaceAll("\"exported_at\":\\d+", ""));
        return String.join("\n", lines);
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
