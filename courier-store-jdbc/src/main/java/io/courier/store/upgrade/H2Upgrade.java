package io.courier.store.upgrade;

import io.courier.core.message.StoredMessage;
import io.courier.store.Database;
import io.courier.store.DatabaseSettings;
import io.courier.store.Durability;
import io.courier.store.backup.Backup;
import io.courier.store.message.JdbcMessageStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Upgrades a data directory written by a release whose embedded database was H2 ({@code
 * db/courier.mv.db}, with the message journal in {@code journal/}) to SQLite, on the first start
 * of this release:
 * <ol>
 *   <li>opens the H2 database and writes into it what the journal holds and H2 lacks (what a
 *       killed server had acknowledged), as the old release did on its restart;</li>
 *   <li>exports it ({@link Backup}) to {@code db/upgrade-from-h2.jsonl}, which stays as a backup;</li>
 *   <li>imports that into a new SQLite file under a temporary name, and renames it into place only
 *       when the import has committed, so an upgrade cut off anywhere starts again from the top;</li>
 *   <li>moves the H2 files and the journal into {@code db/h2-legacy/}.</li>
 * </ol>
 */
public final class H2Upgrade {
    private static final Logger log = LoggerFactory.getLogger(H2Upgrade.class);
    static final String H2_FILE = "courier.mv.db";
    static final String LEGACY_DIR = "h2-legacy";
    static final String EXPORT_FILE = "upgrade-from-h2.jsonl";

    private H2Upgrade() {
    }

    /** Whether {@code dataDir} holds an H2 database that has not been upgraded yet. */
    public static boolean isNeeded(Path dataDir) {
        return Files.exists(dataDir.resolve("db").resolve(H2_FILE)) && !Files.exists(Database.embeddedPath(dataDir));
    }

    /** Upgrades {@code dataDir} when it needs it; returns whether it did. */
    public static boolean upgradeIfNeeded(Path dataDir, Durability durability) {
        Path db = dataDir.resolve("db");
        try {
            if (!isNeeded(dataDir)) {
                if (Files.exists(db.resolve(H2_FILE))) {
                    moveLegacyAside(dataDir); // the last upgrade renamed its result and stopped before this
                }
                return false;
            }
            long start = System.nanoTime();
            log.info("Upgrading the data directory {} from H2 (earlier releases) to SQLite", dataDir);
            Path export = db.resolve(EXPORT_FILE);
            Backup.Summary exported = exportLegacy(dataDir, export);
            Path temporary = db.resolve(Database.EMBEDDED_FILE + ".upgrading");
            deleteSqliteFiles(temporary);
            try (Database target = Database.open(new DatabaseSettings(Database.sqliteUrl(temporary, durability), "", "", 2));
                 InputStream in = new BufferedInputStream(Files.newInputStream(export))) {
                Backup.importInto(target, in);
            }
            Files.move(temporary, Database.embeddedPath(dataDir), StandardCopyOption.ATOMIC_MOVE);
            moveLegacyAside(dataDir);
            log.info("Upgraded to SQLite in {} ms: {} rows; the H2 files are in {}, the export in {}",
                    (System.nanoTime() - start) / 1_000_000, exported.total(), db.resolve(LEGACY_DIR), export);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("Upgrading the data directory " + dataDir + " from H2 failed", e);
        }
    }

    /** Brings the H2 database up to date with its journal, then exports it. */
    private static Backup.Summary exportLegacy(Path dataDir, Path export) throws IOException {
        try (Database legacy = Database.open(new DatabaseSettings(Database.h2Url(dataDir.resolve("db").resolve("courier")), "", "", 2))) {
            replayJournal(legacy, dataDir.resolve("journal"));
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(export))) {
                return Backup.export(legacy, out);
            }
        }
    }

    /** What the old release replayed at its restart: every journaled message the database did not store. */
    private static void replayJournal(Database legacy, Path journal) throws IOException {
        JdbcMessageStore messages = new JdbcMessageStore(legacy.jdbc());
        int replayed = 0;
        for (List<StoredMessage> batch : LegacyJournal.read(journal)) {
            List<StoredMessage> missing = batch.stream().filter(m -> messages.find(m.conversationId(), m.seq()).isEmpty()).toList();
            if (!missing.isEmpty()) {
                messages.append(missing);
                replayed += missing.size();
            }
        }
        if (replayed > 0) {
            log.info("Wrote {} acknowledged messages from the H2 release's message journal into its database first", replayed);
        }
    }

    private static void moveLegacyAside(Path dataDir) throws IOException {
        Path db = dataDir.resolve("db");
        Path legacy = db.resolve(LEGACY_DIR);
        Files.createDirectories(legacy);
        for (String name : List.of(H2_FILE, "courier.trace.db")) {
            if (Files.exists(db.resolve(name))) {
                Files.move(db.resolve(name), legacy.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Path journal = dataDir.resolve("journal");
        if (Files.isDirectory(journal) && !Files.exists(legacy.resolve("journal"))) {
            Files.move(journal, legacy.resolve("journal"));
        }
    }

    private static void deleteSqliteFiles(Path file) throws IOException {
        for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        }
    }
}
