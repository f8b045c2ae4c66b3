package org.p2pchat.identity;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.p2pchat.identity.IdentityException.Reason;
import org.p2pchat.identity.internal.Bytes;
import org.p2pchat.identity.internal.CanonicalJson;

/**
 * Signatures over whole messages (server replies, signed requests). The signed bytes are
 * {@code "p2pchat-identity-v1/message" 0x00 || UTF-8(canonical JSON of {"msgdata": msgdata without "sig",
 * "msgtype": msgtype})}; the canonical JSON is RFC 8785 restricted to integers (see docs/identity.md). {@code sig} is
 * unpadded base64url of the 64-byte Ed25519 signature. msgdata is a plain Java tree: {@code Map<String, ?>},
 * {@code List<?>}, String, Integer/Long/BigInteger, Boolean, null (e.g. Jackson's {@code convertValue(node, Map.class)}).
 */
public final class SignedMessages {
    public static final String SIG = "sig";
    /** Request time, milliseconds since the epoch (JSON integer). */
    public static final String TS = "ts";
    /** Request nonce, unpadded base64url of 16 random bytes. */
    public static final String NONCE = "nonce";
    /** In a reply: the requester's name. */
    public static final String TO = "to";
    /** In a reply: the request's nonce. */
    public static final String RE = "re";
    static final byte[] LABEL = Bytes.utf8("p2pchat-identity-v1/message\0");

    private SignedMessages() {
    }

    /** The exact bytes a signature covers. */
    public static byte[] signingBytes(String msgtype, Map<String, ?> msgdata) throws IdentityException {
        Map<String, Object> body = new LinkedHashMap<>(msgdata);
        body.remove(SIG);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("msgtype", msgtype);
        envelope.put("msgdata", body);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(LABEL);
        out.writeBytes(Bytes.utf8(CanonicalJson.write(envelope)));
        return out.toByteArray();
    }

    /** A copy of {@code msgdata} with {@code sig} set. */
    public static Map<String, Object> sign(IdentityKeyPair key, String msgtype, Map<String, ?> msgdata)
            throws IdentityException {
        Map<String, Object> out = new LinkedHashMap<>(msgdata);
        out.remove(SIG);
        out.put(SIG, Bytes.b64(key.sign(signingBytes(msgtype, out))));
        return out;
    }

    /** Refuses a missing, malformed or wrong {@code sig}. */
    public static void verify(IdentityKey key, String msgtype, Map<String, ?> msgdata) throws IdentityException {
        Object sig = msgdata.get(SIG);
        if (sig == null) {
            throw new IdentityException(Reason.MISSING_SIGNATURE, Bytes.sanitise(msgtype) + " is not signed");
        }
        if (!(sig instanceof String s)) {
            throw new IdentityException(Reason.MALFORMED, Bytes.sanitise(msgtype) + ": sig is not a string");
        }
        byte[] raw = Bytes.unb64("sig", s, IdentityKey.SIGNATURE_LENGTH);
        if (!key.verify(signingBytes(msgtype, msgdata), raw)) {
            throw new IdentityException(Reason.BAD_SIGNATURE, Bytes.sanitise(msgtype) + " signature does not verify");
        }
    }

    /** A request signed with freshness: adds {@code ts} (from {@code now}) and {@code nonce}, then {@code sig}. */
    public static Map<String, Object> signRequest(IdentityKeyPair key, String msgtype, Map<String, ?> msgdata,
            Instant now, String nonce) throws IdentityException {
        Map<String, Object> out = new LinkedHashMap<>(msgdata);
        out.put(TS, now.toEpochMilli());
        out.put(NONCE, nonce);
        return sign(key, msgtype, out);
    }

    /** Verifies the signature first (so junk cannot fill the cache), then {@code ts}/{@code nonce} freshness. */
    public static void verifyRequest(IdentityKey key, String msgtype, Map<String, ?> msgdata, FreshnessGuard guard,
            Instant now) throws IdentityException {
        verify(key, msgtype, msgdata);
        Object ts = msgdata.get(TS);
        Object nonce = msgdata.get(NONCE);
        if (!(ts instanceof Number n) || !(nonce instanceof String s)) {
            throw new IdentityException(Reason.MALFORMED, Bytes.sanitise(msgtype) + ": missing ts or nonce");
        }
        Bytes.unb64("nonce", s, PendingRequests.NONCE_LENGTH);
        guard.check(key, n.longValue(), s, now);
    }

    /** In a reply: the signer's public key (so a peer can pin the server on first use). */
    public static final String IDKEY = "idkey";

    /**
     * A server reply: adds {@code idkey} (the server's key), {@code to} (the requester's name) and {@code re} (the
     * request nonce), then {@code sig}.
     */
    public static Map<String, Object> signReply(IdentityKeyPair server, String msgtype, Map<String, ?> msgdata,
            String requester, String requestNonce) throws IdentityException {
        Map<String, Object> out = new LinkedHashMap<>(msgdata);
        out.put(IDKEY, server.publicKey().base64url());
        out.put(TO, requester);
        out.put(RE, requestNonce);
        return sign(server, msgtype, out);
    }

    /**
     * Accepts a server reply only if signed by {@code serverKey} (the pinned key, or on first use the reply's own
     * {@code idkey} after {@link KnownPeers#observeVerified} accepted it), whose {@code idkey} is that key,
     * addressed {@code to} {@code myName} and answering an outstanding request ({@code re}); consumes that request.
     */
    public static void verifyReply(IdentityKey serverKey, String msgtype, Map<String, ?> msgdata, String myName,
            PendingRequests pending, Instant now) throws IdentityException {
        verify(serverKey, msgtype, msgdata);
        if (!serverKey.base64url().equals(msgdata.get(IDKEY))) {
            throw new IdentityException(Reason.PINNED_KEY_MISMATCH, Bytes.sanitise(msgtype)
                    + " names another server key than the one it is signed with");
        }
        if (!myName.equals(msgdata.get(TO))) {
            throw new IdentityException(Reason.WRONG_RECIPIENT, Bytes.sanitise(msgtype) + " is addressed to '"
                    + Bytes.sanitise(String.valueOf(msgdata.get(TO))) + "'");
        }
        Object re = msgdata.get(RE);
        pending.complete(re instanceof String s ? s : null, msgtype, now);
    }
}
