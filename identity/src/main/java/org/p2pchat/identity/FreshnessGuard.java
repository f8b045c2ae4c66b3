package org.p2pchat.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;

import org.p2pchat.identity.IdentityException.Reason;

/**
 * The server's freshness check for signed requests (REGISTER, LISTPEER, EXIT_NETWORK): the request's {@code ts}
 * (milliseconds since the epoch) must be within ±{@code window} of now, and its {@code nonce} must not have been seen
 * from the same key within that window. The seen-nonce cache holds at most {@code capacity} entries; when full, new
 * requests are refused ({@link Reason#REPLAY_CACHE_FULL}) rather than forgetting a nonce that could then be replayed.
 * Time is passed in. Thread-safe.
 */
public final class FreshnessGuard {
    /** ±60 s and 100,000 entries. */
    public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(60);
    public static final int DEFAULT_CAPACITY = 100_000;

    private final long windowMillis;
    private final int capacity;
    private final Map<String, Long> seen = new HashMap<>();
    private final PriorityQueue<Map.Entry<Long, String>> expiries =
            new PriorityQueue<>(Map.Entry.comparingByKey());

    public FreshnessGuard(Duration window, int capacity) {
        if (window.isNegative() || window.isZero() || capacity < 1) {
            throw new IllegalArgumentException("window must be positive and capacity at least 1");
        }
        this.windowMillis = window.toMillis();
        this.capacity = capacity;
    }

    public FreshnessGuard() {
        this(DEFAULT_WINDOW, DEFAULT_CAPACITY);
    }

    /** Accepts ({@code ts}, {@code nonce}) from {@code signer} once; call only after the signature verified. */
    public synchronized void check(IdentityKey signer, long ts, String nonce, Instant now) throws IdentityException {
        long nowMillis = now.toEpochMilli();
        long skew = ts - nowMillis;
        if (Math.abs(skew) > windowMillis) {
            throw new IdentityException(Reason.STALE, "signed request time is " + (skew / 1000)
                    + " s off (allowed ±" + windowMillis / 1000 + " s): replayed, or a clock is wrong");
        }
        while (!expiries.isEmpty() && expiries.peek().getKey() < nowMillis) {
            seen.remove(expiries.poll().getValue());
        }
        String id = signer.base64url() + ' ' + nonce;
        if (seen.containsKey(id)) {
            throw new IdentityException(Reason.REPLAYED, "signed request nonce already used (replay)");
        }
        if (seen.size() >= capacity) {
            throw new IdentityException(Reason.REPLAY_CACHE_FULL, "too many signed requests in the freshness window");
        }
        long expiry = ts + windowMillis;
        seen.put(id, expiry);
        expiries.add(Map.entry(expiry, id));
    }

    /** How far a request's timestamp may be from now, either way. */
    public Duration window() {
        return Duration.ofMillis(windowMillis);
    }

    public synchronized int size() {
        return seen.size();
    }
}
