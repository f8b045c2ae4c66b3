package org.p2pchat.identity.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityException.Reason;

/** Encoding helpers shared by the identity core. Not API. */
public final class Bytes {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private Bytes() {
    }

    public static String b64(byte[] b) {
        return B64.encodeToString(b);
    }

    /** Strict base64url without padding: any other spelling of the same bytes is refused. */
    public static byte[] unb64(String field, String s) throws IdentityException {
        if (s == null) {
            throw new IdentityException(Reason.MALFORMED, field + ": missing");
        }
        byte[] b;
        try {
            b = B64D.decode(s);
        } catch (IllegalArgumentException e) {
            throw new IdentityException(Reason.MALFORMED, field + ": not base64url");
        }
        if (!canonical(s)) {
            throw new IdentityException(Reason.MALFORMED, field + ": not canonical unpadded base64url");
        }
        return b;
    }

    /**
     * For a string the URL decoder accepted: true exactly when encoding its bytes again gives it back, that is when it
     * has no padding and the bits of its last character beyond the last byte are zero. Checked without encoding
     * again, since every sealed message's box passes here.
     */
    static boolean canonical(String s) {
        int n = s.length();
        if (s.indexOf('=') >= 0) {
            return false;
        }
        int unusedBits = n % 4 == 2 ? 4 : n % 4 == 3 ? 2 : 0;
        return unusedBits == 0 || (value(s.charAt(n - 1)) & ((1 << unusedBits) - 1)) == 0;
    }

    /** The 6-bit value of a base64url character (one the decoder accepted). */
    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '-' ? 62 : 63;
    }

    /** Decodes a fixed-length base64url field. */
    public static byte[] unb64(String field, String s, int length) throws IdentityException {
        byte[] b = unb64(field, s);
        if (b.length != length) {
            throw new IdentityException(Reason.BAD_KEY_LENGTH,
                    field + ": " + b.length + " bytes, expected " + length);
        }
        return b;
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(p);
            }
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    /** Appends {@code u32be(len) || bytes}: the field framing of every transcript and associated data. */
    public static void field(ByteArrayOutputStream out, byte[] value) {
        int n = value.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.write(value, 0, n);
    }

    public static void field(ByteArrayOutputStream out, String value) {
        field(out, utf8(value));
    }

    /** Keeps a peer-supplied string printable and short enough for one log line. */
    public static String sanitise(String s) {
        if (s == null) {
            return "(none)";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.length() > 64 ? b + "..." : b.toString();
    }
}
