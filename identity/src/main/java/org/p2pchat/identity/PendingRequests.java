package org.p2pchat.identity;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.p2pchat.identity.IdentityException.Reason;
import org.p2pchat.identity.internal.Bytes;

/**
 * A peer's signed requests to the server that await a signed reply, keyed by the request nonce. A reply is
 * accepted only for an outstanding nonce, of an expected reply type, before its deadline, and only once: anything
 * else is {@link Reason#UNSOLICITED}. Time and randomness are passed in. Thread-safe.
 */
public final class PendingRequests {
    public static final int NONCE_LENGTH = 16;

    private record Pending(Set<String> replyTypes, Instant deadline) {
    }

    private final Duration timeout;
    private final int capacity;
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    public PendingRequests(Duration timeout, int capacity) {
        this.timeout = timeout;
        this.capacity = capacity;
    }

    /** 30 s, 64 outstanding requests. */
    public PendingRequests() {
        this(Duration.ofSeconds(30), 64);
    }

    /** A fresh request nonce (unpadded base64url of 16 random bytes) awaiting one reply of {@code replyTypes}. */
    public synchronized String issue(Set<String> replyTypes, Instant now, SecureRandom random) {
        purge(now);
        if (pending.size() >= capacity) {
            Iterator<String> oldest = pending.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        byte[] n = new byte[NONCE_LENGTH];
        random.nextBytes(n);
        String nonce = Bytes.b64(n);
        pending.put(nonce, new Pending(Set.copyOf(replyTypes), now.plus(timeout)));
        return nonce;
    }

    /** Consumes the request {@code nonce} answered by a reply of {@code replyType}. */
    public synchronized void complete(String nonce, String replyType, Instant now) throws IdentityException {
        purge(now);
        Pending p = nonce == null ? null : pending.get(nonce);
        if (p == null || !p.replyTypes().contains(replyType)) {
            throw new IdentityException(Reason.UNSOLICITED, "signed " + Bytes.sanitise(replyType)
                    + " answers no outstanding request");
        }
        pending.remove(nonce);
    }

    public synchronized int size() {
        return pending.size();
    }

    private void purge(Instant now) {
        pending.values().removeIf(p -> now.isAfter(p.deadline()));
    }
}
