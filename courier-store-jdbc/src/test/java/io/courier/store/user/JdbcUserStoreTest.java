package io.courier.store.user;

import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.courier.core.user.Credentials;
import io.courier.core.user.NewUser;
import io.courier.core.user.ProfileUpdate;
import io.courier.core.user.User;
import io.courier.store.Backend;
import io.courier.store.Database;
import io.courier.store.TestDatabases;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JdbcUserStoreTest {
    @RegisterExtension
    static final TestDatabases.PerClass databases = TestDatabases.perClass();

    private Database db;
    private JdbcUserStore users;

    private void on(Backend backend) {
        db = databases.fresh(backend);
        users = new JdbcUserStore(db.jdbc());
    }

    private long create(String username, String nickname) {
        return users.create(new NewUser(username, "hash-" + username, nickname, null, 1_000));
    }

    private List<String> usernames(List<User> found) {
        return found.stream().map(User::username).toList();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void createReturnsIncreasingIdsAndStoresTheProfile(Backend backend) {
        on(backend);
        long a = users.create(new NewUser("alice", "hash-a", "Alice", "alice@example.com", 1_000));
        long b = users.create(new NewUser("bob", "hash-b", "Bob", null, 2_000));
        long c = users.create(new NewUser("carol", "hash-c", "Carol", null, 3_000));

        assertThat(a).isPositive().isLessThan(b);
        assertThat(b).isLessThan(c);
        assertThat(users.findById(a)).contains(new User(a, "alice", "Alice", "", "", "alice@example.com", 1_000));
        assertThat(users.findById(b)).contains(new User(b, "bob", "Bob", "", "", null, 2_000));
        assertThat(users.count()).isEqualTo(3);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void usernamesAreUnique(Backend backend) {
        on(backend);
        long id = create("alice", "Alice");

        CourierException e = catchThrowableOfType(CourierException.class,
                () -> users.create(new NewUser("alice", "other-hash", "Impostor", null, 5_000)));

        assertThat(e.code()).isEqualTo(ErrorCode.USERNAME_TAKEN);
        assertThat(e.field()).isEqualTo("username");
        assertThat(users.count()).isEqualTo(1);
        assertThat(users.findByUsername("alice")).hasValueSatisfying(u -> {
            assertThat(u.id()).isEqualTo(id);
            assertThat(u.nickname()).isEqualTo("Alice");
        });
        assertThat(users.credentialsById(id)).hasValueSatisfying(cr -> assertThat(cr.passwordHash()).isEqualTo("hash-alice"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void findsUsersByIdAndUsername(Backend backend) {
        on(backend);
        long alice = create("alice", "Alice");
        long bob = create("bob", "Bob");

        assertThat(users.findById(alice)).hasValueSatisfying(u -> assertThat(u.username()).isEqualTo("alice"));
        assertThat(users.findById(bob)).hasValueSatisfying(u -> assertThat(u.username()).isEqualTo("bob"));
        assertThat(users.findById(bob + 1_000)).isEmpty();
        assertThat(users.findByUsername("bob")).hasValueSatisfying(u -> assertThat(u.id()).isEqualTo(bob));
        assertThat(users.findByUsername("nobody")).isEmpty();
        assertThat(users.findByUsername("ali")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void findByIdsReturnsOnlyTheKnownUsers(Backend backend) {
        on(backend);
        long alice = create("alice", "Alice");
        long bob = create("bob", "Bob");
        create("carol", "Carol");

        Map<Long, User> found = users.findByIds(List.of(alice, bob, 999_999L, alice));

        assertThat(found).containsOnlyKeys(alice, bob);
        assertThat(found.get(alice).username()).isEqualTo("alice");
        assertThat(found.get(bob).username()).isEqualTo("bob");
        assertThat(users.findByIds(List.of())).isEmpty();
        assertThat(users.findByIds(List.of(-1L, 999_999L))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void findByIdsLooksUpMoreIdsThanOneStatementTakes(Backend backend) {
        on(backend);
        long first = create("first", "First");
        long middle = create("middle", "Middle");
        long last = create("last", "Last");
        // 1,203 ids: the known ones sit in the first, second and third chunk of 500.
        List<Long> ids = new ArrayList<>();
        for (long unknown = 1; unknown <= 1_200; unknown++) {
            ids.add(-unknown);
        }
        ids.add(0, first);
        ids.add(500, middle);
        ids.add(last);
        assertThat(ids).hasSize(1_203);

        Map<Long, User> found = users.findByIds(ids);

        assertThat(found).containsOnlyKeys(first, middle, last);
        assertThat(found.get(last).username()).isEqualTo("last");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void credentialsCarryTheHashAndTheDisabledFlag(Backend backend) {
        on(backend);
        long alice = create("alice", "Alice");
        Credentials expected = new Credentials(alice, "alice", "hash-alice", false);

        assertThat(users.credentialsByUsername("alice")).contains(expected);
        assertThat(users.credentialsById(alice)).contains(expected);
        assertThat(users.credentialsByUsername("nobody")).isEmpty();
        assertThat(users.credentialsById(alice + 1)).isEmpty();

        db.jdbc().update("UPDATE users SET disabled = ? WHERE id = ?", true, alice);
        assertThat(users.credentialsById(alice)).contains(new Credentials(alice, "alice", "hash-alice", true));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void updateProfileChangesOnlyTheGivenFields(Backend backend) {
        on(backend);
        long alice = create("alice", "Alice");
        long bob = create("bob", "Bob");

        assertThat(users.updateProfile(alice, new ProfileUpdate("Ally", null, null), 2_000)).isTrue();
        assertThat(users.findById(alice)).contains(new User(alice, "alice", "Ally", "", "", null, 1_000));

        assertThat(users.updateProfile(alice, new ProfileUpdate(null, "https://img.example/a.png", "Hi there"), 3_000)).isTrue();
        assertThat(users.findById(alice)).contains(
                new User(alice, "alice", "Ally", "https://img.example/a.png", "Hi there", null, 1_000));

        // An empty string is a value (clears the avatar), not "keep".
        assertThat(users.updateProfile(alice, new ProfileUpdate(null, "", null), 4_000)).isTrue();
        assertThat(users.findById(alice)).hasValueSatisfying(u -> {
            assertThat(u.avatar()).isEmpty();
            assertThat(u.signature()).isEqualTo("Hi there");
        });
        assertThat(updatedAt(alice)).isEqualTo(4_000);

        assertThat(users.findById(bob)).contains(new User(bob, "bob", "Bob", "", "", null, 1_000));
        assertThat(updatedAt(bob)).isEqualTo(1_000);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void updateProfileOfAnUnknownUserIsFalse(Backend backend) {
        on(backend);
        long alice = create("alice", "Alice");

        assertThat(users.updateProfile(alice + 1, new ProfileUpdate("Ghost", null, null), 2_000)).isFalse();
        assertThat(users.findById(alice)).hasValueSatisfying(u -> assertThat(u.nickname()).isEqualTo("Alice"));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void updatePasswordHashReplacesOnlyThatUsersHash(Backend backend) {
        on(backend);
        long alice = create("alice", "Alice");
        long bob = create("bob", "Bob");

        users.updatePasswordHash(alice, "new-hash", 2_000);

        assertThat(users.credentialsById(alice)).hasValueSatisfying(c -> assertThat(c.passwordHash()).isEqualTo("new-hash"));
        assertThat(users.credentialsById(bob)).hasValueSatisfying(c -> assertThat(c.passwordHash()).isEqualTo("hash-bob"));
        assertThat(updatedAt(alice)).isEqualTo(2_000);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void searchMatchesUsernamePrefixOrNicknameSubstringIgnoringCase(Backend backend) {
        on(backend);
        create("alice", "Wonderland");
        create("bob", "Alice's Friend");
        create("malice", "Mal");          // "ali" inside the username but not at its start
        create("dave", "Dave");

        assertThat(usernames(users.search("ali", 0, 10))).containsExactly("alice", "bob");
        assertThat(usernames(users.search("ALI", 0, 10))).containsExactly("alice", "bob");
        assertThat(usernames(users.search("land", 0, 10))).containsExactly("alice");
        assertThat(usernames(users.search("FRIEND", 0, 10))).containsExactly("bob");
        assertThat(usernames(users.search("mal", 0, 10))).containsExactly("malice");
        assertThat(usernames(users.search("zzz", 0, 10))).isEmpty();
        assertThat(users.countSearch("ALI")).isEqualTo(2);
        assertThat(users.countSearch("zzz")).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void searchTreatsLikeWildcardsLiterally(Backend backend) {
        on(backend);
        create("percent", "100% real");
        create("hundred", "100 real");
        create("under", "snake_case");
        create("notunder", "snakeXcase");
        create("bang", "wow!");
        create("wow", "wow");
        create("back", "back\\slash");
        create("plain", "backslash");

        assertThat(usernames(users.search("%", 0, 10))).containsExactly("percent");
        assertThat(usernames(users.search("0% r", 0, 10))).containsExactly("percent");
        assertThat(usernames(users.search("_", 0, 10))).containsExactly("under");
        assertThat(usernames(users.search("e_c", 0, 10))).containsExactly("under");
        assertThat(usernames(users.search("!", 0, 10))).containsExactly("bang");
        assertThat(usernames(users.search("w!", 0, 10))).containsExactly("bang");
        assertThat(usernames(users.search("!!", 0, 10))).isEmpty();
        assertThat(usernames(users.search("\\", 0, 10))).containsExactly("back");
        assertThat(users.countSearch("%")).isEqualTo(1);
        assertThat(users.countSearch("_")).isEqualTo(1);
        assertThat(users.countSearch("!")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void searchPagesInIdOrderAndCountsAllMatches(Backend backend) {
        on(backend);
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(create("user" + i, "Member " + i));
        }
        create("other", "Someone");

        assertThat(users.search("member", 0, 3)).extracting(User::id).containsExactly(ids.get(0), ids.get(1), ids.get(2));
        assertThat(users.search("member", 3, 3)).extracting(User::id).containsExactly(ids.get(3), ids.get(4), ids.get(5));
        assertThat(users.search("member", 6, 3)).extracting(User::id).containsExactly(ids.get(6));
        assertThat(users.search("member", 9, 3)).isEmpty();
        assertThat(users.countSearch("member")).isEqualTo(7);
        assertThat(users.countSearch("USER")).isEqualTo(7);
        assertThat(users.count()).isEqualTo(8);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void countIsZeroOnAnEmptyStore(Backend backend) {
        on(backend);
        assertThat(users.count()).isZero();
        assertThat(users.countSearch("a")).isZero();
        assertThat(users.search("a", 0, 10)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Backend.class)
    void unicodeNicknamesRoundTripAndAreSearchable(Backend backend) {
        on(backend);
        long ming = create("ming", "小明的世界");
        long rocket = create("rocket", "🚀 Rocket 😀");
        long accents = create("accents", "Ünïcødé Çafé");
        // 64 UTF-16 units, the longest nickname AccountRules accepts: 32 emoji (supplementary characters).
        String longest = "😀".repeat(32);
        long wide = create("wide", longest);

        assertThat(users.findById(ming)).hasValueSatisfying(u -> assertThat(u.nickname()).isEqualTo("小明的世界"));
        assertThat(users.findById(rocket)).hasValueSatisfying(u -> assertThat(u.nickname()).isEqualTo("🚀 Rocket 😀"));
        assertThat(users.findById(accents)).hasValueSatisfying(u -> assertThat(u.nickname()).isEqualTo("Ünïcødé Çafé"));
        assertThat(users.findById(wide)).hasValueSatisfying(u -> assertThat(u.nickname()).isEqualTo(longest));

        assertThat(usernames(users.search("明", 0, 10))).containsExactly("ming");
        assertThat(usernames(users.search("🚀", 0, 10))).containsExactly("rocket");
        assertThat(usernames(users.search("😀", 0, 10))).containsExactly("rocket", "wide");
        assertThat(usernames(users.search("ünïcødé", 0, 10))).containsExactly("accents");
        assertThat(usernames(users.search("ÇAFÉ", 0, 10))).containsExactly("accents");

        assertThat(users.updateProfile(ming, new ProfileUpdate("小红 🌸", null, "签名 ✓"), 2_000)).isTrue();
        assertThat(users.findById(ming)).hasValueSatisfying(u -> {
            assertThat(u.nickname()).isEqualTo("小红 🌸");
            assertThat(u.signature()).isEqualTo("签名 ✓");
        });
    }

    private long updatedAt(long id) {
        return db.jdbc().queryOne("SELECT updated_at FROM users WHERE id = ?", rs -> rs.getLong(1), id).orElseThrow();
    }
}
