package io.courier.core.auth;

import java.time.Duration;

/**
 * Tunables of authentication.
 *
 * @param accessTokenTtl         lifetime of an access token
 * @param refreshTokenTtl        lifetime of a refresh token (and of the device session behind it)
 * @param loginSlowAfter         failed logins (per username or address) after which answers are delayed
 * @param loginMaxFailures       failed logins for one username within {@code loginLockout} before it is locked
 * @param loginMaxFailuresPerAddress failed logins from one client address before it is locked
 * @param loginLockout           how long a lock lasts, and the window in which failures are counted
 * @param argon2MemoryKib        Argon2id memory cost
 * @param argon2Iterations       Argon2id time cost
 */
public record AuthSettings(Duration accessTokenTtl, Duration refreshTokenTtl, int loginSlowAfter,
                           int loginMaxFailures, int loginMaxFailuresPerAddress, Duration loginLockout,
                           int argon2MemoryKib, int argon2Iterations) {
}
