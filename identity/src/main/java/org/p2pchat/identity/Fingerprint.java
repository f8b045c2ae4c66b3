package org.p2pchat.identity;

import java.util.Arrays;
import java.util.HexFormat;

import org.p2pchat.identity.IdentityException.Reason;
import org.p2pchat.identity.internal.Bytes;

/**
 * What people compare: the first 16 bytes of SHA-256 of the 32 public-key bytes, shown as lower-case hex in eight
 * groups of four joined by {@code -} (e.g. {@code 3f2a-91c0-...}). Parsing ignores case, {@code -}, {@code :} and
 * spaces. Immutable.
 */
public final class Fingerprint {
    public static final int LENGTH = 16;

    private final byte[] bytes;

    private Fingerprint(byte[] bytes) {
        this.bytes = bytes;
    }

    public static Fingerprint of(IdentityKey key) {
        return new Fingerprint(Arrays.copyOf(Bytes.sha256(key.bytes()), LENGTH));
    }

    /** Parses what a user typed, e.g. for {@code --server-key FINGERPRINT}. */
    public static Fingerprint parse(String text) throws IdentityException {
        if (text == null) {
            throw new IdentityException(Reason.MALFORMED, "fingerprint: missing");
        }
        String hex = text.strip().replaceAll("[-: ]", "").toLowerCase(java.util.Locale.ROOT);
        if (hex.length() != 2 * LENGTH || !hex.matches("[0-9a-f]+")) {
            throw new IdentityException(Reason.MALFORMED,
                    "fingerprint: expected 32 hex digits (e.g. 3f2a-91c0-...), got '" + Bytes.sanitise(text) + "'");
        }
        return new Fingerprint(HexFormat.of().parseHex(hex));
    }

    public boolean matches(IdentityKey key) {
        return equals(of(key));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Fingerprint f && Arrays.equals(bytes, f.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        String hex = Bytes.hex(bytes);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < hex.length(); i += 4) {
            if (i > 0) {
                b.append('-');
            }
            b.append(hex, i, i + 4);
        }
        return b.toString();
    }
}
