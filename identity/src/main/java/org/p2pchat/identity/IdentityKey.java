package org.p2pchat.identity;

import java.util.Arrays;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.p2pchat.identity.IdentityException.Reason;
import org.p2pchat.identity.internal.Bytes;

/** A long-term Ed25519 public key (32 bytes). Immutable and thread-safe. */
public final class IdentityKey {
    public static final int LENGTH = 32;
    public static final int SIGNATURE_LENGTH = 64;

    private final byte[] bytes;
    private final Ed25519PublicKeyParameters params;

    private IdentityKey(byte[] bytes, Ed25519PublicKeyParameters params) {
        this.bytes = bytes;
        this.params = params;
    }

    /**
     * Accepts exactly 32 bytes encoding a valid curve point of the prime-order subgroup (small-order keys, for which
     * a signature can verify without knowledge of any secret, are refused).
     */
    public static IdentityKey fromBytes(byte[] bytes) throws IdentityException {
        if (bytes == null || bytes.length != LENGTH) {
            throw new IdentityException(Reason.BAD_KEY_LENGTH, "identity key: "
                    + (bytes == null ? 0 : bytes.length) + " bytes, expected " + LENGTH);
        }
        byte[] copy = bytes.clone();
        if (!Ed25519.validatePublicKeyFull(copy, 0)) {
            throw new IdentityException(Reason.BAD_PUBLIC_KEY, "identity key: not a valid Ed25519 public key");
        }
        try {
            return new IdentityKey(copy, new Ed25519PublicKeyParameters(copy, 0));
        } catch (IllegalArgumentException e) {
            throw new IdentityException(Reason.BAD_PUBLIC_KEY, "identity key: not a valid Ed25519 point");
        }
    }

    /** Parses the wire form: unpadded base64url of the 32 key bytes. */
    public static IdentityKey parse(String base64url) throws IdentityException {
        return fromBytes(Bytes.unb64("identity key", base64url, LENGTH));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** The wire form: unpadded base64url. */
    public String base64url() {
        return Bytes.b64(bytes);
    }

    public Fingerprint fingerprint() {
        return Fingerprint.of(this);
    }

    /** True when {@code signature} is a valid Ed25519 signature of {@code message} by this key. */
    public boolean verify(byte[] message, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_LENGTH) {
            return false;
        }
        Ed25519Signer v = new Ed25519Signer();
        v.init(false, params);
        v.update(message, 0, message.length);
        return v.verifySignature(signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IdentityKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "IdentityKey[" + fingerprint() + "]";
    }
}
