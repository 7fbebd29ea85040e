package io.courier.server;

import io.courier.server.HttpApi.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.courier.server.HttpApi.obj;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded database keeps every write the server acknowledged, through kill -9. Writers
 * register users and change nicknames as fast as they can; the server is killed with SIGKILL in the
 * middle of that traffic, restarted on the same data directory, and every acknowledged write must
 * be there. Three rounds on one data directory, so recovery from a crash is itself crashed into.
 */
class CrashDurabilityTest {
    private static final int WRITERS = 8;
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    /** username → id of every acknowledged registration; username → nickname of every acknowledged update. */
    private final Map<String, Long> registered = new ConcurrentHashMap<>();
    private final Map<String, String> nicknames = new ConcurrentHashMap<>();

    @Test
    void everyAcknowledgedWriteSurvivesKillDashNine() throws Exception {
        for (int round = 0; round < ROUNDS; round++) {
            ProcessNode node = ProcessNode.start(dir);
            try {
                verifyEverythingAcknowledgedIsThere(node.api());
                int before = registered.size();
                writeUntilKilled(node, round);
                System.out.printf("round %d: killed with %d registrations and %d nickname changes acknowledged in all%n",
                        round, registered.size(), nicknames.size());
                assertThat(registered.size()).as("writes acknowledged in round " + round).isGreaterThan(before + 20);
            } finally {
                node.close();
            }
        }
        try (ProcessNode last = ProcessNode.start(dir)) {
            verifyEverythingAcknowledgedIsThere(last.api());
        }
    }

    private void writeUntilKilled(ProcessNode node, int round) throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        CountDownLatch enoughWritten = new CountDownLatch(WRITERS * 15);
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(Thread.ofPlatform().start(() -> {
                HttpApi api = node.api();
                for (int i = 0; !killed.get(); i++) {
                    String username = "r" + round + "w" + writer + "n" + i;
                    try {
                        Reply r = api.post("/api/register", obj("username", username, "password", "secret1"), null);
                        if (r.status() != 200) {
                            continue;
                        }
                        registered.put(username, r.data().get("user_id").asLong());
                        if (i % 3 == 0) {
                            String token = api.login(username, "secret1", "d").get("token").asText();
                            String nickname = "nick " + username;
                            if (api.put("/api/user/info", obj("nickname", nickname), token).status() == 200) {
                                nicknames.put(username, nickname);
                            }
                        }
                        enoughWritten.countDown();
                    } catch (RuntimeException | AssertionError connectionLost) {
                        return;
                    }
                }
            }));
        }
        assertThat(enoughWritten.await(60, TimeUnit.SECONDS)).as("writers made progress").isTrue();
        int exit = node.killDashNine();
        killed.set(true);
        assertThat(exit).as("killed by SIGKILL").isEqualTo(137);
        for (Thread t : writers) {
            t.join(30_000);
        }
    }

    private void verifyEverythingAcknowledgedIsThere(HttpApi api) {
        if (registered.isEmpty()) {
            return;
        }
        String checker = "checker" + System.nanoTime();
        api.register(checker, "secret1");
        String token = api.login(checker, "secret1", "d").get("token").asText();
        List<String> lost = new ArrayList<>();
        for (Map.Entry<String, Long> e : registered.entrySet()) {
            Reply user = api.get("/api/users/" + e.getValue(), token);
            if (user.status() != 200 || !e.getKey().equals(user.data().get("username").asText())) {
                lost.add("registration of " + e.getKey() + " as user " + e.getValue() + ": " + user);
                continue;
            }
            String nickname = nicknames.get(e.getKey());
            if (nickname != null && !nickname.equals(user.data().get("nickname").asText())) {
                lost.add("nickname of " + e.getKey());
            }
        }
        assertThat(lost).as("acknowledged writes missing after kill -9 (of %d registrations and %d nickname changes)",
                registered.size(), nicknames.size()).isEmpty();
        // ids are not reused: every acknowledged user has its own
        assertThat(registered.values()).doesNotHaveDuplicates();
    }
}
