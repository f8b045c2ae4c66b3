package org.p2pchat.identity.internal;

import java.io.ByteArrayOutputStream;
import java.util.List;

import org.p2pchat.identity.Endpoint;

/**
 * The handshake transcript T and the byte strings that are signed or fed to HKDF. Every field is framed as
 * {@code u32be(length) || bytes}; see docs/identity.md. Not API.
 */
public final class Transcript {
    public static final byte[] LABEL_T = Bytes.utf8("p2pchat-identity-v1/transcript");
    public static final byte[] LABEL_ACCEPT = Bytes.utf8("p2pchat-identity-v1/accept\0");
    public static final byte[] LABEL_CONFIRM = Bytes.utf8("p2pchat-identity-v1/confirm\0");
    public static final byte[] LABEL_REFUSE = Bytes.utf8("p2pchat-identity-v1/refuse\0");
    public static final byte[] HKDF_INFO = Bytes.utf8("p2pchat-identity-v1/session-keys");

    private Transcript() {
    }

    /** One party's half: features (each framed), name, host, port (decimal), idkey, ephkey, nonce. */
    public record Half(List<String> features, Endpoint endpoint, byte[] idkey, byte[] ephkey, byte[] nonce) {
    }

    public static byte[] of(Half initiator, Half responder) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        Bytes.field(out, LABEL_T);
        half(out, initiator);
        half(out, responder);
        return out.toByteArray();
    }

    /** What a signed CHAT_REFUSE covers: the initiator's half (with its fresh nonce) and the refuser's endpoint and key. */
    public static byte[] refusal(Half initiator, Endpoint refuser, byte[] refuserKey) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(LABEL_REFUSE);
        Bytes.field(out, LABEL_T);
        half(out, initiator);
        Bytes.field(out, refuser.name());
        Bytes.field(out, refuser.host());
        Bytes.field(out, Integer.toString(refuser.port()));
        Bytes.field(out, refuserKey);
        return out.toByteArray();
    }

    private static void half(ByteArrayOutputStream out, Half h) {
        ByteArrayOutputStream features = new ByteArrayOutputStream(32);
        for (String f : h.features()) {
            Bytes.field(features, f); // framed one by one, so ["a,b"] and ["a", "b"] differ
        }
        Bytes.field(out, features.toByteArray());
        Bytes.field(out, h.endpoint().name());
        Bytes.field(out, h.endpoint().host());
        Bytes.field(out, Integer.toString(h.endpoint().port()));
        Bytes.field(out, h.idkey());
        Bytes.field(out, h.ephkey());
        Bytes.field(out, h.nonce());
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
