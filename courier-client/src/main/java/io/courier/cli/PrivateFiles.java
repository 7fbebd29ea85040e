package io.courier.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files only their owner may read (tokens, the shell's history), created so from the start: the
 * mode is given to the call that creates them, never set afterwards, so there is no moment in which
 * another user could open one.
 */
final class PrivateFiles {
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private PrivateFiles() {
    }

    /** The directory and any missing parents, mode 0700. */
    static void directories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            if (POSIX) {
                Files.createDirectories(dir, mode("rwx------"));
            } else {
                Files.createDirectories(dir);
            }
        }
    }

    /** An empty file, mode 0600, unless it exists. */
    static void file(Path file) throws IOException {
        directories(file.toAbsolutePath().getParent());
        try {
            if (POSIX) {
                Files.createFile(file, mode("rw-------"));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            // kept as it is
        }
    }

    /** A new file with a unique name in {@code dir}, mode 0600. */
    static Path temporary(Path dir, String prefix) throws IOException {
        directories(dir);
        return POSIX ? Files.createTempFile(dir, prefix, ".tmp", mode("rw-------")) : Files.createTempFile(dir, prefix, ".tmp");
    }

    private static FileAttribute<?> mode(String permissions) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions));
    }
}
