package org.p2pchat.identity;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.p2pchat.identity.IdentityException.Reason;
import org.p2pchat.identity.internal.Bytes;

/**
 * An authenticated, encrypted session between two names after a handshake: ChaCha20-Poly1305 with one key per
 * direction and a 64-bit message counter per direction as nonce ({@code 0x00000000 || u64be(seq)}). The associated
 * data binds the msgtype and the sender and receiver names. Receiving accepts each counter at most once within a
 * sliding window of {@value #WINDOW} (messages travel on separate TCP connections, so mild reordering happens);
 * older counters are {@link Reason#TOO_OLD}. Thread-safe: sealing and opening each take their own lock.
 */
public final class Session {
    /** Width of the receive window. */
    public static final int WINDOW = 64;
    /** Poly1305 tag length appended to every box. */
    public static final int TAG_LENGTH = 16;
    /** Largest counter: JSON-safe (2^53 - 1); a session that reaches it must be renewed by a new handshake. */
    public static final long MAX_SEQ = (1L << 53) - 1;
    static final byte[] AD_LABEL = Bytes.utf8("p2pchat-identity-v1/message");

    private final String self;
    private final String peer;
    private final byte[] id;
    private final KeyParameter sendKey;
    private final KeyParameter recvKey;
    private final ChaCha20Poly1305 sealer = new ChaCha20Poly1305();
    private final ChaCha20Poly1305 opener = new ChaCha20Poly1305();
    private final Object sendLock = new Object();
    private final Object recvLock = new Object();
    /** The associated data of the last msgtype sealed (under sendLock) and opened (under recvLock). */
    private final LastAd sendAd;
    private final LastAd recvAd;
    private long nextSend;
    private long highest = -1;
    private long seen; // bit i set: counter (highest - i) was accepted

    private Session(byte[] sendKey, byte[] recvKey, String self, String peer, byte[] id) {
        this.sendKey = new KeyParameter(sendKey);
        this.recvKey = new KeyParameter(recvKey);
        this.self = self;
        this.peer = peer;
        this.id = id;
        this.sendAd = new LastAd(self, peer);
        this.recvAd = new LastAd(peer, self);
    }

    /**
     * {@link #ad} for one direction, kept for the last msgtype asked: a chat sends and receives one msgtype over and
     * over, so the bytes are built once rather than per message. The AEAD is given them with processAADBytes, as
     * AEADParameters would, but without BouncyCastle absorbing them a second time when doFinal resets. Not
     * thread-safe: used under the direction's lock.
     */
    private static final class LastAd {
        private final String sender;
        private final String receiver;
        private String msgtype;
        private byte[] bytes;

        LastAd(String sender, String receiver) {
            this.sender = sender;
            this.receiver = receiver;
        }

        byte[] of(String type) {
            if (!type.equals(msgtype)) {
                bytes = ad(type, sender, receiver);
                msgtype = type;
            }
            return bytes;
        }
    }

    static Session of(byte[] sendKey, byte[] recvKey, String self, String peer, byte[] transcriptHash) {
        return new Session(sendKey, recvKey, self, peer, Arrays.copyOf(transcriptHash, 8));
    }

    /** A sealed message: its counter ({@code seq}, a JSON integer) and {@code box} = ciphertext || tag. */
    public record Sealed(long seq, byte[] box) {
        public String boxBase64url() {
            return Bytes.b64(box);
        }
    }

    /** Our name in this session. */
    public String self() {
        return self;
    }

    /** The authenticated counterpart's name. */
    public String peer() {
        return peer;
    }

    /** 16 hex digits naming this session in logs (first 8 bytes of SHA-256 of the transcript; not secret). */
    public String id() {
        return Bytes.hex(id);
    }

    /** Encrypts {@code plaintext} as a message of {@code msgtype} from {@link #self()} to {@link #peer()}. */
    public Sealed seal(String msgtype, byte[] plaintext) throws IdentityException {
        synchronized (sendLock) {
            if (nextSend > MAX_SEQ) {
                throw new IdentityException(Reason.COUNTER_EXHAUSTED, "session " + id() + " used up; start a new one");
            }
            long seq = nextSend++;
            byte[] out = new byte[plaintext.length + TAG_LENGTH];
            sealer.init(true, new ParametersWithIV(sendKey, nonce(seq)));
            byte[] ad = sendAd.of(msgtype);
            sealer.processAADBytes(ad, 0, ad.length);
            int n = sealer.processBytes(plaintext, 0, plaintext.length, out, 0);
            try {
                sealer.doFinal(out, n);
            } catch (InvalidCipherTextException e) {
                throw new IllegalStateException("encryption cannot fail", e);
            }
            return new Sealed(seq, out);
        }
    }

    /**
     * Decrypts a message of {@code msgtype} that claims to come from {@link #peer()} to {@link #self()}. Refuses a
     * box shorter than a tag ({@link Reason#TRUNCATED}), any modification ({@link Reason#AUTH_FAILED}), a counter
     * seen before ({@link Reason#REPLAYED}) or older than the window ({@link Reason#TOO_OLD}). The window only moves
     * after the tag verified, so forgeries cannot disturb it.
     */
    public byte[] open(String msgtype, long seq, byte[] box) throws IdentityException {
        if (box == null || box.length < TAG_LENGTH) {
            throw new IdentityException(Reason.TRUNCATED, "sealed " + Bytes.sanitise(msgtype) + " shorter than its tag");
        }
        if (seq < 0 || seq > MAX_SEQ) {
            throw new IdentityException(Reason.MALFORMED, "sealed " + Bytes.sanitise(msgtype) + ": seq out of range");
        }
        synchronized (recvLock) {
            if (seq <= highest) {
                long age = highest - seq;
                if (age >= WINDOW) {
                    throw new IdentityException(Reason.TOO_OLD, "sealed " + Bytes.sanitise(msgtype) + " #" + seq
                            + " is older than the replay window");
                }
                if ((seen & (1L << age)) != 0) {
                    throw new IdentityException(Reason.REPLAYED, "sealed " + Bytes.sanitise(msgtype) + " #" + seq
                            + " was already received");
                }
            }
            byte[] out = new byte[box.length - TAG_LENGTH];
            opener.init(false, new ParametersWithIV(recvKey, nonce(seq)));
            byte[] ad = recvAd.of(msgtype);
            opener.processAADBytes(ad, 0, ad.length);
            int n = opener.processBytes(box, 0, box.length, out, 0);
            try {
                opener.doFinal(out, n);
            } catch (InvalidCipherTextException | IllegalStateException e) {
                throw new IdentityException(Reason.AUTH_FAILED, "sealed " + Bytes.sanitise(msgtype) + " #" + seq
                        + " does not authenticate");
            }
            if (seq > highest) {
                long shift = seq - highest;
                seen = shift >= WINDOW ? 1L : (seen << shift) | 1L;
                highest = seq;
            } else {
                seen |= 1L << (highest - seq);
            }
            return out;
        }
    }

    /** Decodes {@code box} from its wire form first; see {@link #open(String, long, byte[])}. */
    public byte[] open(String msgtype, long seq, String boxBase64url) throws IdentityException {
        return open(msgtype, seq, Bytes.unb64("box", boxBase64url));
    }

    static byte[] nonce(long seq) {
        byte[] n = new byte[12];
        for (int i = 0; i < 8; i++) {
            n[4 + i] = (byte) (seq >>> (56 - 8 * i));
        }
        return n;
    }

    /** {@code F(label) || F(msgtype) || F(sender) || F(receiver)}, F = u32be length prefix. */
    static byte[] ad(String msgtype, String sender, String receiver) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        Bytes.field(out, AD_LABEL);
        Bytes.field(out, msgtype);
        Bytes.field(out, sender);
        Bytes.field(out, receiver);
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return "Session[" + id() + " " + Bytes.sanitise(self) + "<->" + Bytes.sanitise(peer) + "]";
    }
}
