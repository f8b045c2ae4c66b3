package org.p2pchat.identity;

import java.security.SecureRandom;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.p2pchat.identity.IdentityException.Reason;

/** A long-term Ed25519 key pair. Immutable and thread-safe; {@link #toString()} never shows the secret. */
public final class IdentityKeyPair {
    public static final int SEED_LENGTH = 32;

    private final Ed25519PrivateKeyParameters secret;
    private final IdentityKey publicKey;

    private IdentityKeyPair(Ed25519PrivateKeyParameters secret) {
        this.secret = secret;
        try {
            this.publicKey = IdentityKey.fromBytes(secret.generatePublicKey().getEncoded());
        } catch (IdentityException e) {
            throw new IllegalStateException("derived public key rejected", e);
        }
    }

    public static IdentityKeyPair generate(SecureRandom random) {
        return new IdentityKeyPair(new Ed25519PrivateKeyParameters(random));
    }

    /** From the 32-byte RFC 8032 seed (the form kept in the identity file). */
    public static IdentityKeyPair fromSeed(byte[] seed) throws IdentityException {
        if (seed == null || seed.length != SEED_LENGTH) {
            throw new IdentityException(Reason.BAD_KEY_LENGTH, "identity seed: expected " + SEED_LENGTH + " bytes");
        }
        return new IdentityKeyPair(new Ed25519PrivateKeyParameters(seed, 0));
    }

    public IdentityKey publicKey() {
        return publicKey;
    }

    /** Ed25519 (pure, RFC 8032) signature of {@code message}: 64 bytes. */
    public byte[] sign(byte[] message) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, secret);
        s.update(message, 0, message.length);
        return s.generateSignature();
    }

    byte[] seed() {
        return secret.getEncoded();
    }

    @Override
    public String toString() {
        return "IdentityKeyPair[" + publicKey.fingerprint() + "]";
    }
}
