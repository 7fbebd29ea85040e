package io.courier.server;

import io.courier.server.config.ConfigKeys;
import io.courier.server.config.ConfigLoader;
import io.courier.server.config.CourierConfig;
import io.courier.store.Database;
import io.courier.store.backup.Backup;
import io.courier.store.upgrade.H2Upgrade;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * {@code courier export FILE} and {@code courier import FILE}: the database the configuration points
 * at (the embedded one under data.dir, or db.url) as one portable file, and back ({@link Backup}).
 * Export reads one snapshot and may run beside a live server; import wants an empty database, so
 * run it before the server's first start on that data.
 */
final class DataCommands {
    private DataCommands() {
    }

    /** Runs {@code export} or {@code import}; returns the process's exit code. */
    static int run(String command, List<String> args, Map<String, String> env) throws IOException {
        if (args.isEmpty() || args.getFirst().startsWith("--")) {
            System.err.println("Usage: courier " + command + " FILE [--config FILE] [--key=value ...]");
            return 2;
        }
        Path file = Path.of(args.getFirst());
        CourierConfig config = ConfigLoader.load(args.subList(1, args.size()), env);
        Path dataDir = Path.of(config.get(ConfigKeys.DATA_DIR)).toAbsolutePath().normalize();
        if (config.get(ConfigKeys.DB_URL).isEmpty()) {
            H2Upgrade.upgradeIfNeeded(dataDir, config.get(ConfigKeys.DB_DURABILITY));
        }
        try (Database database = Database.open(CourierNode.databaseSettings(config, dataDir))) {
            Backup.Summary summary = command.equals("export") ? export(database, file) : importFrom(database, file);
            System.err.printf("courier: %sed %d rows (schema version %s) %s %s: %s%n", command, summary.total(),
                    summary.schemaVersion(), command.equals("export") ? "to" : "from", file, summary.rows());
            return 0;
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("courier: " + command + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** Written next to {@code file} and renamed when complete: a failed export never leaves a file that looks whole. */
    private static Backup.Summary export(Database database, Path file) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Backup.Summary summary;
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial))) {
            summary = Backup.export(database, out);
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return summary;
    }

    private static Backup.Summary importFrom(Database database, Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return Backup.importInto(database, in);
        }
    }
}
