package org.p2pchat.identity;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.p2pchat.identity.IdentityException.Reason;
import org.p2pchat.identity.internal.Bytes;
import org.p2pchat.identity.internal.Ephemeral;
import org.p2pchat.identity.internal.Transcript;

/**
 * The responder's side of the handshake, as a pure state machine: {@link #receive} checks the CHAT_REQUEST fields;
 * after the person says yes, {@link #accept} gives the CHAT_ACCEPT fields; {@link #onConfirm} takes CHAT_CONFIRM
 * once and gives the session. Until then the initiator is NOT authenticated (its request may be a replay) and
 * nothing may be sealed to it. Not thread-safe (one per pending chat request).
 */
public final class ResponderHandshake {
    private enum State { RECEIVED, ACCEPTED, DONE }

    private final IdentityKeyPair me;
    private final Endpoint self;
    private final Endpoint initiator;
    private final HandshakeFields request;
    private final IdentityKey claimedKey;
    private final byte[] peerEph;
    private final byte[] peerNonce;
    private final HandshakeConfig config;
    private final Ephemeral ephemeral;
    private final byte[] nonce;
    private byte[] shared;
    private State state = State.RECEIVED;
    private byte[] transcript;
    private Instant deadline;
    private final List<Handshake.Opened> held = new ArrayList<>();

    private ResponderHandshake(IdentityKeyPair me, Endpoint self, Endpoint initiator, HandshakeFields request,
            IdentityKey claimedKey, byte[] peerEph, byte[] peerNonce, HandshakeConfig config, SecureRandom random) {
        this.me = me;
        this.self = self;
        this.initiator = initiator;
        this.request = request;
        this.claimedKey = claimedKey;
        this.peerEph = peerEph;
        this.peerNonce = peerNonce;
        this.config = config;
        this.ephemeral = new Ephemeral(random);
        this.nonce = new byte[Ephemeral.NONCE_LENGTH];
        random.nextBytes(nonce);
    }

    /**
     * Checks the identity fields of a CHAT_REQUEST from {@code initiator} (its peername/host/port as received).
     * {@link Reason#NOT_SUPPORTED} means a 2018-style request: answer it the 2018 way (plaintext, unverified).
     */
    public static ResponderHandshake receive(IdentityKeyPair me, Endpoint self, Endpoint initiator,
            HandshakeFields request, HandshakeConfig config, SecureRandom random) throws IdentityException {
        Objects.requireNonNull(me, "me");
        Objects.requireNonNull(self, "self");
        Objects.requireNonNull(initiator, "initiator");
        if (request == null || !request.advertisesIdentity()) {
            throw new IdentityException(Reason.NOT_SUPPORTED, "CHAT_REQUEST without identity fields");
        }
        IdentityKey key = IdentityKey.parse(request.idkey());
        byte[] eph = Bytes.unb64("ephkey", request.ephkey(), Ephemeral.LENGTH);
        byte[] nonce = Bytes.unb64("nonce", request.nonce(), Ephemeral.NONCE_LENGTH);
        if (request.sig() != null) {
            throw new IdentityException(Reason.MALFORMED, "CHAT_REQUEST must not carry sig");
        }
        ResponderHandshake h = new ResponderHandshake(me, self, initiator, request, key, eph, nonce, config, random);
        h.shared = h.ephemeral.agree(eph); // refuses a low-order point before anyone is asked yes/no
        return h;
    }

    /** The key the request claims. Unproven until {@link #onConfirm}: show it only as "claims". */
    public IdentityKey claimedKey() {
        return claimedKey;
    }

    public Endpoint initiator() {
        return initiator;
    }

    /** Signs and returns the fields to add to CHAT_ACCEPT {peername, host, port}. Starts the confirm deadline. */
    public HandshakeFields accept(Instant now) throws IdentityException {
        if (state != State.RECEIVED) {
            throw new IdentityException(Reason.WRONG_STATE, "chat request already answered");
        }
        transcript = Transcript.of(
                new Transcript.Half(request.features(), initiator, claimedKey.bytes(), peerEph, peerNonce),
                new Transcript.Half(config.features(), self, me.publicKey().bytes(), ephemeral.publicKey(), nonce));
        byte[] sig = me.sign(Transcript.concat(Transcript.LABEL_ACCEPT, transcript));
        state = State.ACCEPTED;
        deadline = now.plus(config.confirmTimeout());
        return new HandshakeFields(config.features(), me.publicKey().base64url(), Bytes.b64(ephemeral.publicKey()),
                Bytes.b64(nonce), Bytes.b64(sig));
    }

    /**
     * The person said no: the fields of a signed CHAT_REFUSE {peername, features, idkey, sig} (peername = our name;
     * a 2018 CHAT_REFUSE is {}). Ends the handshake.
     */
    public HandshakeFields refuse() throws IdentityException {
        if (state != State.RECEIVED) {
            throw new IdentityException(Reason.WRONG_STATE, "chat request already answered");
        }
        state = State.DONE;
        byte[] sig = me.sign(Transcript.refusal(
                new Transcript.Half(request.features(), initiator, claimedKey.bytes(), peerEph, peerNonce),
                self, me.publicKey().bytes()));
        return new HandshakeFields(config.features(), me.publicKey().base64url(), null, null, Bytes.b64(sig));
    }

    /** How many sealed messages from the initiator may wait for CHAT_CONFIRM. */
    public static final int MAX_EARLY = 8;

    /**
     * Holds a sealed message from the initiator that arrived after CHAT_ACCEPT but before CHAT_CONFIRM (separate
     * connections may overtake each other). It is opened only once CHAT_CONFIRM verified; see
     * {@link Handshake.Result#early()}. False (drop it) when not awaiting a confirm or when {@link #MAX_EARLY} are held.
     */
    public boolean holdEarly(String msgtype, long seq, byte[] box) {
        if (state != State.ACCEPTED || held.size() >= MAX_EARLY || msgtype == null || box == null) {
            return false;
        }
        held.add(new Handshake.Opened(msgtype, seq, box.clone()));
        return true;
    }

    /** When CHAT_CONFIRM must have arrived; null before {@link #accept}. */
    public Instant deadline() {
        return deadline;
    }

    /**
     * Verifies CHAT_CONFIRM {peername, sig}. Succeeds once; a refused confirm changes nothing. {@code expectedPeer}
     * (nullable) is a pinned key the initiator must prove. On success both sides are authenticated and the session
     * is ready.
     */
    public Handshake.Result onConfirm(String peername, String sig, IdentityKey expectedPeer, Instant now)
            throws IdentityException {
        if (state != State.ACCEPTED) {
            throw new IdentityException(Reason.WRONG_STATE, "CHAT_CONFIRM without a pending accepted chat request");
        }
        if (now.isAfter(deadline)) {
            state = State.DONE;
            held.clear();
            throw new IdentityException(Reason.EXPIRED, "CHAT_CONFIRM after the handshake expired");
        }
        if (!initiator.name().equals(peername)) {
            throw new IdentityException(Reason.NAME_MISMATCH, "CHAT_CONFIRM from '" + Bytes.sanitise(peername)
                    + "' for a request from '" + Bytes.sanitise(initiator.name()) + "'");
        }
        byte[] s = Bytes.unb64("sig", sig, IdentityKey.SIGNATURE_LENGTH);
        if (!claimedKey.verify(Transcript.concat(Transcript.LABEL_CONFIRM, transcript), s)) {
            throw new IdentityException(Reason.BAD_SIGNATURE, "CHAT_CONFIRM signature does not verify");
        }
        if (expectedPeer != null && !expectedPeer.equals(claimedKey)) {
            throw new IdentityException(Reason.PINNED_KEY_MISMATCH, "'" + Bytes.sanitise(peername) + "' proved key "
                    + claimedKey.fingerprint() + ", expected " + expectedPeer.fingerprint());
        }
        state = State.DONE; // only a verified confirm ends the wait: a forged one must not block the genuine one
        byte[] keys = Ephemeral.sessionKeys(shared, transcript);
        Arrays.fill(shared, (byte) 0);
        Session session = Session.of(Arrays.copyOfRange(keys, 32, 64), Arrays.copyOfRange(keys, 0, 32),
                self.name(), initiator.name(), Bytes.sha256(transcript));
        Arrays.fill(keys, (byte) 0);
        List<Handshake.Opened> early = new ArrayList<>();
        int rejected = 0;
        for (Handshake.Opened h : held) {
            try {
                early.add(new Handshake.Opened(h.msgtype(), h.seq(), session.open(h.msgtype(), h.seq(), h.plaintext())));
            } catch (IdentityException e) {
                rejected++;
            }
        }
        held.clear();
        return new Handshake.Result(claimedKey, session, early, rejected);
    }
}
