package org.p2pchat.identity;

/**
 * A typed rejection from the identity core. {@link #reason()} is stable for tests and logs; {@link #getMessage()}
 * is one sanitised line a CLI or a log may print as-is (it never contains secret material).
 */
public final class IdentityException extends Exception {

    /** Why something was refused. */
    public enum Reason {
        // identity and known-peers files
        FILE_INSECURE_PERMISSIONS, FILE_UNREADABLE, FILE_GARBAGE, FILE_CANNOT_WRITE,
        // encodings and keys
        MALFORMED, BAD_KEY_LENGTH, BAD_PUBLIC_KEY, LOW_ORDER_POINT,
        // handshake
        BAD_SIGNATURE, PINNED_KEY_MISMATCH, NAME_MISMATCH, NOT_SUPPORTED, EXPIRED, WRONG_STATE,
        // session
        TRUNCATED, AUTH_FAILED, REPLAYED, TOO_OLD, COUNTER_EXHAUSTED,
        // signed messages
        MISSING_SIGNATURE, STALE, REPLAY_CACHE_FULL, UNSOLICITED, WRONG_RECIPIENT
    }

    private final Reason reason;

    public IdentityException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
