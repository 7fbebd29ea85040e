package io.courier.core.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

import java.util.concurrent.Semaphore;

/**
 * Argon2id password hashing (password4j). Each hash costs {@code memoryKib} of memory and real CPU
 * time, so at most one hash per core runs at once: a burst of logins queues here instead of
 * exhausting the heap. Callers must not be on an event loop.
 */
public final class PasswordHasher {
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final Argon2Function function;
    private final Semaphore permits = new Semaphore(Runtime.getRuntime().availableProcessors(), true);
    /** Verified against when a username does not exist, so that the answer takes as long as for a real one. */
    private final String decoy;

    public PasswordHasher(int memoryKib, int iterations) {
        this.function = Argon2Function.getInstance(memoryKib, iterations, 1, HASH_BYTES, Argon2.ID);
        this.decoy = hash("decoy-password-for-timing");
    }

    public String hash(String password) {
        permits.acquireUninterruptibly();
        try {
            return Password.hash(password).addRandomSalt(SALT_BYTES).with(function).getResult();
        } finally {
            permits.release();
        }
    }

    public boolean verify(String password, String hash) {
        permits.acquireUninterruptibly();
        try {
            return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
        } finally {
            permits.release();
        }
    }

    /** Spends the time of one verification without an account, against timing probes for usernames. */
    public void verifyDecoy(String password) {
        verify(password, decoy);
    }
}
