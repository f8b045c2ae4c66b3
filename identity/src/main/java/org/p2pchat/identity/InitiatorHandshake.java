package org.p2pchat.identity;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

import org.p2pchat.identity.IdentityException.Reason;
import org.p2pchat.identity.internal.Bytes;
import org.p2pchat.identity.internal.Ephemeral;
import org.p2pchat.identity.internal.Transcript;

/**
 * The initiator's side of the handshake, as a pure state machine: {@link #start} gives the CHAT_REQUEST fields;
 * {@link #onAccept} takes the CHAT_ACCEPT fields once and gives the CHAT_CONFIRM signature and the session. No
 * sockets, threads or clocks: randomness and time are passed in. Not thread-safe (one per pending chat request).
 */
public final class InitiatorHandshake {
    private final IdentityKeyPair me;
    private final Endpoint self;
    private final IdentityKey expectedPeer;
    private final Ephemeral ephemeral;
    private final byte[] nonce;
    private final Instant deadline;
    private boolean done;
    /** What this side advertises (and signs) as its {@code features}. */
    private final java.util.List<String> features;

    private InitiatorHandshake(IdentityKeyPair me, Endpoint self, IdentityKey expectedPeer, Ephemeral e,
            byte[] nonce, Instant deadline, java.util.List<String> features) {
        this.features = features;
        this.me = me;
        this.self = self;
        this.expectedPeer = expectedPeer;
        this.ephemeral = e;
        this.nonce = nonce;
        this.deadline = deadline;
    }

    /**
     * Starts a handshake as {@code self}. {@code expectedPeer} (nullable) is the key the responder must prove: a
     * pinned key or the key a signed LISTPEER reply listed; any other verified key is {@link Reason#PINNED_KEY_MISMATCH}.
     */
    public static InitiatorHandshake start(IdentityKeyPair me, Endpoint self, IdentityKey expectedPeer,
            HandshakeConfig config, SecureRandom random, Instant now) {
        Objects.requireNonNull(me, "me");
        Objects.requireNonNull(self, "self");
        Ephemeral e = new Ephemeral(random);
        byte[] nonce = new byte[Ephemeral.NONCE_LENGTH];
        random.nextBytes(nonce);
        return new InitiatorHandshake(me, self, expectedPeer, e, nonce, now.plus(config.acceptTimeout()),
                config.features());
    }

    /** The identity fields to add to CHAT_REQUEST {peername, host, port} (no {@code sig}). */
    public HandshakeFields requestFields() {
        return new HandshakeFields(features, me.publicKey().base64url(), Bytes.b64(ephemeral.publicKey()),
                Bytes.b64(nonce), null);
    }

    public Instant deadline() {
        return deadline;
    }

    /**
     * Verifies a signed CHAT_REFUSE from {@code responder} (peername as received; host/port = where the request was
     * sent) and returns the refuser's key. Refuses an unsigned or wrong one, or one by another key than expected.
     */
    public IdentityKey onRefuse(Endpoint responder, HandshakeFields refuse, Instant now) throws IdentityException {
        if (done) {
            throw new IdentityException(Reason.WRONG_STATE, "CHAT_REFUSE for a handshake that is already finished");
        }
        if (refuse == null || !refuse.advertisesIdentity()) {
            throw new IdentityException(Reason.NOT_SUPPORTED, "CHAT_REFUSE without identity fields");
        }
        IdentityKey peerKey = IdentityKey.parse(refuse.idkey());
        byte[] sig = Bytes.unb64("sig", refuse.sig(), IdentityKey.SIGNATURE_LENGTH);
        byte[] signed = Transcript.refusal(
                new Transcript.Half(features, self, me.publicKey().bytes(), ephemeral.publicKey(), nonce),
                responder, peerKey.bytes());
        if (!peerKey.verify(signed, sig)) {
            throw new IdentityException(Reason.BAD_SIGNATURE, "CHAT_REFUSE signature does not verify");
        }
        if (expectedPeer != null && !expectedPeer.equals(peerKey)) {
            throw new IdentityException(Reason.PINNED_KEY_MISMATCH, "CHAT_REFUSE by key " + peerKey.fingerprint()
                    + ", expected " + expectedPeer.fingerprint());
        }
        if (now.isAfter(deadline)) {
            throw new IdentityException(Reason.EXPIRED, "CHAT_REFUSE after the chat request expired");
        }
        done = true;
        return peerKey;
    }

    /**
     * Verifies CHAT_ACCEPT from {@code responder} (its peername/host/port as received). Succeeds once; then the
     * caller sends CHAT_CONFIRM {peername: self.name, sig: result.confirmSig()} and may seal messages. A refused
     * accept changes nothing (the genuine one may still come) and must not be acted on.
     */
    public Handshake.InitiatorResult onAccept(Endpoint responder, HandshakeFields accept, Instant now)
            throws IdentityException {
        if (done) {
            throw new IdentityException(Reason.WRONG_STATE, "CHAT_ACCEPT for a handshake that is already finished");
        }
        if (now.isAfter(deadline)) {
            done = true;
            throw new IdentityException(Reason.EXPIRED, "CHAT_ACCEPT after the chat request expired");
        }
        if (accept == null || !accept.advertisesIdentity()) {
            throw new IdentityException(Reason.NOT_SUPPORTED, "CHAT_ACCEPT without identity fields");
        }
        IdentityKey peerKey = IdentityKey.parse(accept.idkey());
        byte[] peerEph = Bytes.unb64("ephkey", accept.ephkey(), Ephemeral.LENGTH);
        byte[] peerNonce = Bytes.unb64("nonce", accept.nonce(), Ephemeral.NONCE_LENGTH);
        byte[] sig = Bytes.unb64("sig", accept.sig(), IdentityKey.SIGNATURE_LENGTH);
        byte[] t = Transcript.of(
                new Transcript.Half(features, self, me.publicKey().bytes(), ephemeral.publicKey(), nonce),
                new Transcript.Half(accept.features(), responder, peerKey.bytes(), peerEph, peerNonce));
        if (!peerKey.verify(Transcript.concat(Transcript.LABEL_ACCEPT, t), sig)) {
            throw new IdentityException(Reason.BAD_SIGNATURE, "CHAT_ACCEPT signature does not verify");
        }
        if (expectedPeer != null && !expectedPeer.equals(peerKey)) {
            throw new IdentityException(Reason.PINNED_KEY_MISMATCH, "CHAT_ACCEPT from '"
                    + Bytes.sanitise(responder.name()) + "' proves key " + peerKey.fingerprint() + ", expected "
                    + expectedPeer.fingerprint());
        }
        byte[] shared = ephemeral.agree(peerEph);
        done = true; // only a verified accept ends the wait: a forged one must not block the genuine one
        byte[] keys = Ephemeral.sessionKeys(shared, t);
        Arrays.fill(shared, (byte) 0);
        Session session = Session.of(Arrays.copyOfRange(keys, 0, 32), Arrays.copyOfRange(keys, 32, 64),
                self.name(), responder.name(), Bytes.sha256(t));
        Arrays.fill(keys, (byte) 0);
        byte[] confirm = me.sign(Transcript.concat(Transcript.LABEL_CONFIRM, t));
        return new Handshake.InitiatorResult(peerKey, session, Bytes.b64(confirm));
    }
}
