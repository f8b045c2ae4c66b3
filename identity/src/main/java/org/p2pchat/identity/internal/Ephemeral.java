package org.p2pchat.identity.internal;

import java.security.SecureRandom;

import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityException.Reason;

/** An ephemeral X25519 key and the key schedule. Not API. */
public final class Ephemeral {
    public static final int LENGTH = 32;
    public static final int NONCE_LENGTH = 32;

    private final X25519PrivateKeyParameters secret;
    private final byte[] publicKey;

    public Ephemeral(SecureRandom random) {
        this.secret = new X25519PrivateKeyParameters(random);
        this.publicKey = secret.generatePublicKey().getEncoded();
    }

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * X25519 with the peer's ephemeral; a low-order (or otherwise contributory-failing) peer key gives an all-zero
     * result, which is refused (RFC 7748 section 6.1).
     */
    public byte[] agree(byte[] peerPublic) throws IdentityException {
        if (peerPublic.length != LENGTH) {
            throw new IdentityException(Reason.BAD_KEY_LENGTH, "ephkey: " + peerPublic.length + " bytes, expected 32");
        }
        X25519Agreement a = new X25519Agreement();
        a.init(secret);
        byte[] out = new byte[a.getAgreementSize()];
        try {
            a.calculateAgreement(new X25519PublicKeyParameters(peerPublic, 0), out, 0);
        } catch (IllegalStateException e) {
            throw new IdentityException(Reason.LOW_ORDER_POINT, "ephkey: low-order X25519 point (all-zero shared secret)");
        }
        int acc = 0;
        for (byte b : out) {
            acc |= b;
        }
        if (acc == 0) {
            throw new IdentityException(Reason.LOW_ORDER_POINT, "ephkey: low-order X25519 point (all-zero shared secret)");
        }
        return out;
    }

    /** HKDF-SHA256(salt = SHA-256(T), ikm = shared, info) to 64 bytes: initiator-to-responder key || reverse key. */
    public static byte[] sessionKeys(byte[] shared, byte[] transcript) {
        HKDFBytesGenerator h = new HKDFBytesGenerator(new SHA256Digest());
        h.init(new HKDFParameters(shared, Bytes.sha256(transcript), Transcript.HKDF_INFO));
        byte[] okm = new byte[64];
        h.generateBytes(okm, 0, okm.length);
        return okm;
    }
}
