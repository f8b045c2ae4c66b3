package org.p2pchat.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;
import org.p2pchat.identity.internal.Bytes;
import org.p2pchat.identity.internal.Ephemeral;
import org.p2pchat.identity.internal.Transcript;

/**
 * Fixed inputs → expected bytes, published in src/test/resources/identity-test-vectors.txt for other
 * implementations. Regenerate (after a deliberate format change only) with -Didentity.writeVectors=PATH.
 */
class VectorsTest {
    static final String FILE = "identity-test-vectors.txt";
    static final HexFormat HEX = HexFormat.of();

    static Map<String, String> compute() throws Exception {
        Map<String, String> v = new LinkedHashMap<>();
        String aliceSeed = "0101010101010101010101010101010101010101010101010101010101010101";
        String bobSeed = "0202020202020202020202020202020202020202020202020202020202020202";
        String aliceEph = "1111111111111111111111111111111111111111111111111111111111111111";
        String aliceNonce = "a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1";
        String bobEph = "2222222222222222222222222222222222222222222222222222222222222222";
        String bobNonce = "b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2";
        IdentityKeyPair alice = IdentityKeyPair.fromSeed(HEX.parseHex(aliceSeed));
        IdentityKeyPair bob = IdentityKeyPair.fromSeed(HEX.parseHex(bobSeed));
        Endpoint aliceAt = new Endpoint("alice", "localhost", 30001);
        Endpoint bobAt = new Endpoint("bob", "localhost", 30002);
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        v.put("alice.seed", aliceSeed);
        v.put("alice.idkey", alice.publicKey().base64url());
        v.put("alice.fingerprint", alice.publicKey().fingerprint().toString());
        v.put("bob.seed", bobSeed);
        v.put("bob.idkey", bob.publicKey().base64url());
        v.put("bob.fingerprint", bob.publicKey().fingerprint().toString());
        v.put("alice.endpoint", "alice localhost 30001");
        v.put("bob.endpoint", "bob localhost 30002");
        v.put("alice.ephemeral.secret", aliceEph);
        v.put("alice.nonce", aliceNonce);
        v.put("bob.ephemeral.secret", bobEph);
        v.put("bob.nonce", bobNonce);

        InitiatorHandshake a = InitiatorHandshake.start(alice, aliceAt, null, HandshakeConfig.DEFAULTS,
                new ScriptedRandom(aliceEph, aliceNonce), t);
        HandshakeFields req = a.requestFields();
        v.put("request.features", String.join(",", req.features()));
        v.put("request.idkey", req.idkey());
        v.put("request.ephkey", req.ephkey());
        v.put("request.nonce", req.nonce());
        ResponderHandshake b = ResponderHandshake.receive(bob, bobAt, aliceAt, req, HandshakeConfig.DEFAULTS,
                new ScriptedRandom(bobEph, bobNonce));
        HandshakeFields acc = b.accept(t);
        v.put("accept.features", String.join(",", acc.features()));
        v.put("accept.idkey", acc.idkey());
        v.put("accept.ephkey", acc.ephkey());
        v.put("accept.nonce", acc.nonce());
        v.put("accept.sig", acc.sig());
        byte[] transcript = Transcript.of(
                new Transcript.Half(req.features(), aliceAt, alice.publicKey().bytes(),
                        Bytes.unb64("e", req.ephkey()), HEX.parseHex(aliceNonce)),
                new Transcript.Half(acc.features(), bobAt, bob.publicKey().bytes(),
                        Bytes.unb64("e", acc.ephkey()), HEX.parseHex(bobNonce)));
        v.put("transcript.hex", HEX.formatHex(transcript));
        v.put("transcript.sha256", HEX.formatHex(Bytes.sha256(transcript)));
        byte[] shared = new byte[32];
        X25519.calculateAgreement(HEX.parseHex(aliceEph), 0, Bytes.unb64("e", acc.ephkey()), 0, shared, 0);
        v.put("x25519.shared", HEX.formatHex(shared));
        byte[] okm = Ephemeral.sessionKeys(shared, transcript);
        v.put("key.initiator-to-responder", HEX.formatHex(okm, 0, 32));
        v.put("key.responder-to-initiator", HEX.formatHex(okm, 32, 64));
        Handshake.InitiatorResult ar = a.onAccept(bobAt, acc, t);
        v.put("confirm.sig", ar.confirmSig());
        Handshake.Result br = b.onConfirm("alice", ar.confirmSig(), null, t);
        v.put("session.id", ar.session().id());
        byte[] plain = "{\"message\":\"Hello, bob.\"}".getBytes(StandardCharsets.UTF_8);
        v.put("message0.msgtype", "CHAT_MESSAGE");
        v.put("message0.plaintext", new String(plain, StandardCharsets.UTF_8));
        v.put("message0.ad.hex", HEX.formatHex(Session.ad("CHAT_MESSAGE", "alice", "bob")));
        v.put("message0.nonce.hex", HEX.formatHex(Session.nonce(0)));
        Session.Sealed s0 = ar.session().seal("CHAT_MESSAGE", plain);
        v.put("message0.seq", Long.toString(s0.seq()));
        v.put("message0.box", s0.boxBase64url());
        Session.Sealed s1 = br.session().seal("DISCONNECT", "{}".getBytes(StandardCharsets.UTF_8));
        v.put("reply0.msgtype", "DISCONNECT");
        v.put("reply0.plaintext", "{}");
        v.put("reply0.seq", Long.toString(s1.seq()));
        v.put("reply0.box", s1.boxBase64url());
        // Bob refusing the same request instead (a signed CHAT_REFUSE).
        HandshakeFields refusal = ResponderHandshake.receive(bob, bobAt, aliceAt, req, HandshakeConfig.DEFAULTS,
                new ScriptedRandom(bobEph, bobNonce)).refuse();
        v.put("refuse.idkey", refusal.idkey());
        v.put("refuse.sig", refusal.sig());
        // A signed request and a signed reply.
        Map<String, Object> exit = SignedMessages.signRequest(alice, "EXIT_NETWORK", Map.of("peername", "alice"),
                t, "AAECAwQFBgcICQoLDA0ODw");
        v.put("exit.signing-bytes", new String(SignedMessages.signingBytes("EXIT_NETWORK", exit),
                StandardCharsets.UTF_8).replace("\0", "\\0"));
        v.put("exit.sig", (String) exit.get("sig"));
        Map<String, Object> peerlist = new LinkedHashMap<>();
        peerlist.put("zoë", List.of("127.0.0.1", 30003));
        peerlist.put("alice", List.of("localhost", 30001));
        Map<String, Object> reply = SignedMessages.signReply(bob, "LISTPEER", Map.of("peerlist", peerlist),
                "alice", "AAECAwQFBgcICQoLDA0ODw");
        v.put("listpeer-reply.signing-bytes", new String(SignedMessages.signingBytes("LISTPEER", reply),
                StandardCharsets.UTF_8).replace("\0", "\\0"));
        v.put("listpeer-reply.sig", (String) reply.get("sig"));
        return v;
    }

    static String render(Map<String, String> v) {
        StringBuilder b = new StringBuilder();
        b.append("# p2pchat identity-v1 test vectors (see docs/identity.md). key = value, one a line.\n");
        b.append("# hex = lower-case hex; idkey/ephkey/nonce/sig/box = unpadded base64url; \\0 = one NUL byte.\n");
        v.forEach((k, x) -> b.append(k).append(" = ").append(x).append('\n'));
        return b.toString();
    }

    @Test
    void implementationReproducesThePublishedVectors() throws Exception {
        String now = render(compute());
        String out = System.getProperty("identity.writeVectors");
        if (out != null) {
            Files.writeString(Path.of(out), now);
        }
        String published;
        try (InputStream in = VectorsTest.class.getResourceAsStream("/" + FILE)) {
            if (in == null) {
                throw new IOException(FILE + " missing from test resources");
            }
            published = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertEquals(published, now);
    }

    @Test
    void publishedBoxOpensWithPublishedKey() throws Exception {
        Map<String, String> v = compute();
        Session bobSide = Session.of(HEX.parseHex(v.get("key.responder-to-initiator")),
                HEX.parseHex(v.get("key.initiator-to-responder")), "bob", "alice",
                HEX.parseHex(v.get("transcript.sha256")));
        assertArrayEquals(v.get("message0.plaintext").getBytes(StandardCharsets.UTF_8),
                bobSide.open("CHAT_MESSAGE", 0, v.get("message0.box")));
    }
}
