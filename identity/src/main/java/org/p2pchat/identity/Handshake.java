package org.p2pchat.identity;

import java.util.List;

/**
 * Constants and the result of the three-step identity handshake carried in CHAT_REQUEST, CHAT_ACCEPT and
 * CHAT_CONFIRM. The state machines are {@link InitiatorHandshake} and {@link ResponderHandshake}; see
 * docs/identity.md for the byte-exact transcript.
 */
public final class Handshake {
    /** The feature string a p2pchat peer advertises in {@code features}. */
    public static final String FEATURE = "identity-v1";
    /** The features this implementation advertises. */
    public static final List<String> FEATURES = List.of(FEATURE);
    /** Message type of the third step (sent only to a responder whose CHAT_ACCEPT advertised {@link #FEATURE}). */
    public static final String CONFIRM_MSGTYPE = "CHAT_CONFIRM";

    private Handshake() {
    }

    /**
     * A finished handshake (responder side): the verified long-term key of the counterpart, the session keyed for
     * both directions, and the sealed messages that overtook CHAT_CONFIRM and were held, now opened in arrival order
     * ({@code earlyRejected} counts held ones that did not open: forged, replayed or too old).
     */
    public record Result(IdentityKey peerKey, Session session, List<Opened> early, int earlyRejected) {
        public Result {
            early = List.copyOf(early);
        }
    }

    /** A sealed message opened: its msgtype, counter and plaintext. */
    public record Opened(String msgtype, long seq, byte[] plaintext) {
    }

    /** What the initiator does after CHAT_ACCEPT verified: send CHAT_CONFIRM {peername, sig}, then use the session. */
    public record InitiatorResult(IdentityKey peerKey, Session session, String confirmSig) {
    }
}
