package io.courier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.client.http.Session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The saved sessions: one JSON file per server under {@code <config dir>/sessions/}, readable by the
 * user only. A later run of the CLI, interactive or not, picks the session up from there until
 * {@code logout} deletes it.
 *
 * @implNote A save writes a new private file ({@link PrivateFiles}, mode 0600 from its creation)
 * and renames it over the old one: a reader sees the old or the new session, never half of one.
 */
final class SessionStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;

    SessionStore(Path configDir) {
        this.dir = configDir.resolve("sessions");
    }

    Path file(ServerAddress server) {
        return dir.resolve(server.key() + ".json");
    }

    Optional<Session> load(ServerAddress server) {
        Path file = file(server);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(fromJson(JSON.readTree(Files.readString(file))));
        } catch (IOException | RuntimeException e) {
            // A damaged file is no session; the next login writes a good one over it.
            return Optional.empty();
        }
    }

    void save(ServerAddress server, Session session) {
        try {
            Path tmp = PrivateFiles.temporary(dir, server.key());
            try {
                Files.writeString(tmp, toJson(server, session).toPrettyString(), StandardCharsets.UTF_8);
                Files.move(tmp, file(server), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the session in " + dir, e);
        }
    }

    void delete(ServerAddress server) {
        try {
            Files.deleteIfExists(file(server));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + file(server), e);
        }
    }

    /**
     * Runs {@code action} while holding this server's lock file, so that two runs of the CLI never
     * refresh the same session at once: the second would present a refresh token the first has
     * just spent, and the server takes such a replay as theft and ends the session.
     */
    <T> T locked(ServerAddress server, Supplier<T> action) {
        try {
            Path lockFile = dir.resolve(server.key() + ".lock");
            PrivateFiles.file(lockFile);
            try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = acquire(channel)) {
                return action.get();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot lock the session in " + dir, e);
        }
    }

    /** Another thread of this JVM (a second CLI in a test) may hold it: the OS lock is per process. */
    private static FileLock acquire(FileChannel channel) throws IOException {
        for (int attempt = 0; ; attempt++) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException e) {
                if (attempt == 200) {
                    throw new IOException("The session lock stays taken", e);
                }
                try {
                    Thread.sleep(25);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IOException("Interrupted while waiting for the session lock", interrupted);
                }
            }
        }
    }

    private static ObjectNode toJson(ServerAddress server, Session s) {
        return JSON.createObjectNode()
                .put("server", server.httpBase().toString())
                .put("user_id", s.userId())
                .put("username", s.username())
                .put("nickname", s.nickname())
                .put("device_id", s.deviceId())
                .put("access_token", s.accessToken())
                .put("expires_at", s.expiresAt().toString())
                .put("refresh_token", s.refreshToken())
                .put("refresh_expires_at", s.refreshExpiresAt().toString());
    }

    private static Session fromJson(JsonNode j) {
        return new Session(j.path("user_id").asLong(), j.path("username").asText(), j.path("nickname").asText(),
                j.path("device_id").asText(), j.path("access_token").asText(),
                Instant.parse(j.path("expires_at").asText()), j.path("refresh_token").asText(),
                Instant.parse(j.path("refresh_expires_at").asText()));
    }
}
