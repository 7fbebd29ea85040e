package io.courier.server;

import io.courier.server.config.ConfigException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The key that signs tokens. Configured, or generated once and kept in the data directory (owner-only
 * file) so that tokens survive restarts. Nodes of a cluster must share one configured secret.
 */
final class SigningSecret {
    private static final int MIN_BYTES = 32;

    private SigningSecret() {
    }

    static byte[] resolve(String configured, Path dataDir) {
        if (!configured.isEmpty()) {
            byte[] bytes = configured.getBytes(StandardCharsets.UTF_8);
            if (bytes.length < MIN_BYTES) {
                throw new ConfigException("auth.jwt-secret must be at least " + MIN_BYTES + " bytes");
            }
            return bytes;
        }
        Path file = dataDir.resolve("jwt-secret");
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[MIN_BYTES * 2];
                new SecureRandom().nextBytes(fresh);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.write(file, Base64.getEncoder().encode(fresh), StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException raced) {
                    // another process created it first: read theirs
                }
            }
            byte[] secret = Base64.getDecoder().decode(Files.readString(file).strip());
            if (secret.length < MIN_BYTES) {
                throw new ConfigException(file + " holds a secret shorter than " + MIN_BYTES + " bytes; delete it to make a new one");
            }
            return secret;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or create the signing secret " + file, e);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file + " is not base64; delete it to make a new one");
        }
    }
}
