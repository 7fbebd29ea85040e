package io.courier.core.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.courier.core.error.CourierException;
import io.courier.core.error.ErrorCode;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Token buckets (Bucket4j) per user or per client address for what a client could do too often:
 * one bucket per (kind, key), made on first use and forgotten a while after its last, so memory
 * stays bounded however many keys come and go. A refusal is RATE_LIMITED with the time until the
 * next token; nothing is consumed by a refused attempt.
 *
 * <p>Checked in the domain services, so that every protocol (native TCP, WebSocket, HTTP, MPIM
 * lines) meets the same limits.
 *
 * @implNote Per node; in a cluster each node limits what reaches it (Redis-backed buckets later).
 */
public final class RateLimits {
    /** What is limited, and per what. */
    public enum Kind {
        MESSAGES("messages", "user"),
        GROUP_MESSAGES("group messages", "user"),
        FRIEND_REQUESTS("friend requests", "user"),
        REGISTRATIONS("registrations", "address");

        private final String what;
        private final String per;

        Kind(String what, String per) {
            this.what = what;
            this.per = per;
        }
    }

    private static final int MAX_KEYS = 500_000;

    private final Map<Kind, Rate> rates;
    private final Map<Kind, Cache<String, Bucket>> buckets = new EnumMap<>(Kind.class);
    private final Map<Kind, LongAdder> refused = new EnumMap<>(Kind.class);

    public RateLimits(Map<Kind, Rate> rates) {
        this.rates = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            Rate rate = rates.getOrDefault(kind, Rate.OFF);
            this.rates.put(kind, rate);
            refused.put(kind, new LongAdder());
            if (!rate.isOff()) {
                // A bucket unused for a whole period is full again: dropping it changes nothing.
                buckets.put(kind, Caffeine.newBuilder().maximumSize(MAX_KEYS)
                        .expireAfterAccess(rate.period().plusSeconds(1)).build());
            }
        }
    }

    public static RateLimits off() {
        return new RateLimits(Map.of());
    }

    /** Takes one token for {@code key} (a user id, an address), or throws RATE_LIMITED. A null key is not limited. */
    public void acquire(Kind kind, Object key) {
        Cache<String, Bucket> cache = buckets.get(kind);
        if (cache == null || key == null) {
            return;
        }
        Rate rate = rates.get(kind);
        Bucket bucket = cache.get(key.toString(), k -> Bucket.builder()
                .addLimit(limit -> limit.capacity(rate.count()).refillGreedy(rate.count(), rate.period()))
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            refused.get(kind).increment();
            long waitMs = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toMillis());
            throw CourierException.retryAfterMillis(ErrorCode.RATE_LIMITED, "Too many " + kind.what + " from this " + kind.per
                    + " (at most " + rate.count() + " per " + human(rate.period()) + ")", waitMs);
        }
    }

    /** Attempts refused so far, for the metrics. */
    public long refused(Kind kind) {
        return refused.get(kind).sum();
    }

    public Rate rate(Kind kind) {
        return rates.get(kind);
    }

    private static String human(Duration d) {
        if (d.toMillis() % 3_600_000 == 0) {
            return d.toHours() == 1 ? "hour" : d.toHours() + " hours";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() == 1 ? "minute" : d.toMinutes() + " minutes";
        }
        if (d.toMillis() % 1_000 == 0) {
            return d.toSeconds() == 1 ? "second" : d.toSeconds() + " seconds";
        }
        return d.toMillis() + " ms";
    }
}
