package io.courier.core.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;

import java.time.Clock;
import java.time.Duration;

/**
 * Slows down and then refuses repeated failed logins so that a password cannot be guessed by brute
 * force, without letting anyone lock a user out of their own account. Failures are counted within
 * a window of {@code lockout}, three ways:
 * <ul>
 *   <li>per (username, address): at {@code maxPerUsername} that pair is locked for {@code lockout},
 *       and every attempt from that address for that name, right or wrong, gets LOGIN_THROTTLED
 *       with a Retry-After. The real user, from any other address, logs in as usual;</li>
 *   <li>per address, over all usernames: at {@code maxPerAddress} the address is locked (password
 *       spraying);</li>
 *   <li>per username, from anywhere: never a lock (that would hand the lockout to anyone), but past
 *       {@code slowAfter} each further failure is answered late, doubling from 250 ms to at most 2 s,
 *       so guessing one account from many addresses stays slow. A success is never delayed.</li>
 * </ul>
 * A successful login clears its (username, address) pair. A change of password has no address of
 * its own: its failures count under the address {@code null}, apart from every login.
 *
 * @implNote The state is per node and bounded in size; a cluster shares it through Redis later.
 */
public final class LoginThrottle {
    private static final long MAX_DELAY_MS = 2_000;
    private static final long BASE_DELAY_MS = 250;

    private record Failures(int count, long firstAt, long lockedUntil) {
    }

    private final Clock clock;
    private final int slowAfter;
    private final int maxPerUsername;
    private final int maxPerAddress;
    private final long lockoutMs;
    private final Cache<String, Failures> failures;

    public LoginThrottle(Clock clock, AuthSettings settings) {
        this.clock = clock;
        this.slowAfter = settings.loginSlowAfter();
        this.maxPerUsername = settings.loginMaxFailures();
        this.maxPerAddress = settings.loginMaxFailuresPerAddress();
        this.lockoutMs = settings.loginLockout().toMillis();
        this.failures = Caffeine.newBuilder()
                .maximumSize(200_000)
                .expireAfterWrite(settings.loginLockout())
                .build();
    }

    /** Throws LOGIN_THROTTLED when this username from this address (may be null), or the address, is locked. */
    public void checkAllowed(String username, String address) {
        long now = clock.millis();
        long until = Math.max(lockedUntil(pairKey(username, address), now), lockedUntil(addressKey(address), now));
        if (until > now) {
            throw CourierException.retryAfter(ErrorCode.LOGIN_THROTTLED, ceilSeconds(until - now));
        }
    }

    /** Counts a failure (the address may be null) and returns how long to wait before answering it. */
    public Duration recordFailure(String username, String address) {
        int byPair = increment(pairKey(username, address), maxPerUsername);
        int byUser = increment(userKey(username), Integer.MAX_VALUE);
        int byAddress = address == null ? 0 : increment(addressKey(address), maxPerAddress);
        int worst = Math.max(byPair, Math.max(byUser, byAddress));
        if (worst <= slowAfter) {
            return Duration.ZERO;
        }
        long delay = BASE_DELAY_MS << Math.min(10, worst - slowAfter - 1);
        return Duration.ofMillis(Math.min(MAX_DELAY_MS, delay));
    }

    public void recordSuccess(String username, String address) {
        failures.invalidate(pairKey(username, address));
    }

    private int increment(String key, int max) {
        long now = clock.millis();
        Failures updated = failures.asMap().compute(key, (k, old) -> {
            Failures base = old == null || now - old.firstAt() > lockoutMs && old.lockedUntil() <= now
                    ? new Failures(0, now, 0) : old;
            int count = base.count() + 1;
            long lockedUntil = count >= max ? Math.max(base.lockedUntil(), now + lockoutMs) : base.lockedUntil();
            return new Failures(count, base.firstAt(), lockedUntil);
        });
        return updated.count();
    }

    private long lockedUntil(String key, long now) {
        if (key == null) {
            return 0;
        }
        Failures f = failures.getIfPresent(key);
        return f == null ? 0 : f.lockedUntil();
    }

    private static String pairKey(String username, String address) {
        return "p:" + (address == null ? "" : address) + "|" + username;
    }

    private static String userKey(String username) {
        return "u:" + username;
    }

    private static String addressKey(String address) {
        return address == null ? null : "a:" + address;
    }

    private static long ceilSeconds(long millis) {
        return (millis + 999) / 1000;
    }
}
