package org.p2pchat.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.identity.Fixtures.ALICE;
import static org.p2pchat.identity.Fixtures.ALICE_AT;
import static org.p2pchat.identity.Fixtures.BOB;
import static org.p2pchat.identity.Fixtures.BOB_AT;
import static org.p2pchat.identity.Fixtures.MALLORY;
import static org.p2pchat.identity.Fixtures.MALLORY_AT;
import static org.p2pchat.identity.Fixtures.RANDOM;
import static org.p2pchat.identity.Fixtures.T0;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.p2pchat.identity.IdentityException.Reason;
import org.p2pchat.identity.internal.Bytes;
import org.p2pchat.identity.internal.Transcript;

class HandshakeTest {
    private static final HandshakeConfig CFG = HandshakeConfig.DEFAULTS;

    private static Reason reason(Executable e) {
        return assertThrows(IdentityException.class, e).reason();
    }

    private static InitiatorHandshake alice() {
        return InitiatorHandshake.start(ALICE, ALICE_AT, null, CFG, RANDOM, T0);
    }

    private static ResponderHandshake bobReceives(HandshakeFields req) throws IdentityException {
        return ResponderHandshake.receive(BOB, BOB_AT, ALICE_AT, req, CFG, RANDOM);
    }

    private static HandshakeFields withEph(HandshakeFields f, String ephkey) {
        return new HandshakeFields(f.features(), f.idkey(), ephkey, f.nonce(), f.sig());
    }

    @Test
    void bothSidesAuthenticateAndGetMatchingOneWayKeys() throws Exception {
        InitiatorHandshake a = alice();
        HandshakeFields req = a.requestFields();
        assertTrue(req.advertisesIdentity());
        ResponderHandshake b = bobReceives(req);
        assertEquals(ALICE.publicKey(), b.claimedKey());
        Handshake.InitiatorResult ar = a.onAccept(BOB_AT, b.accept(T0), T0);
        assertEquals(BOB.publicKey(), ar.peerKey());
        Handshake.Result br = b.onConfirm("alice", ar.confirmSig(), ALICE.publicKey(), T0);
        assertEquals(ALICE.publicKey(), br.peerKey());
        assertEquals(ar.session().id(), br.session().id());
        byte[] hi = "hi bob".getBytes(StandardCharsets.UTF_8);
        Session.Sealed s = ar.session().seal("CHAT_MESSAGE", hi);
        assertArrayEquals(hi, br.session().open("CHAT_MESSAGE", s.seq(), s.box()));
        Session.Sealed back = br.session().seal("CHAT_MESSAGE", hi);
        assertArrayEquals(hi, ar.session().open("CHAT_MESSAGE", back.seq(), back.box()));
        assertEquals("alice", br.session().peer());
        assertEquals("bob", ar.session().peer());
    }

    @Test
    void a2018RequestOrAcceptIsNotSupportedNotAnError() {
        HandshakeFields none = new HandshakeFields(null, null, null, null, null);
        assertEquals(Reason.NOT_SUPPORTED, reason(() -> bobReceives(none)));
        assertEquals(Reason.NOT_SUPPORTED, reason(() -> alice().onAccept(BOB_AT, none, T0)));
        assertEquals(Reason.NOT_SUPPORTED, reason(() -> alice().onAccept(BOB_AT, null, T0)));
    }

    @Test
    void replayedChatRequestCannotBeCompletedByTheReplayer() throws Exception {
        // A real exchange, recorded by an attacker.
        InitiatorHandshake a = alice();
        HandshakeFields req = a.requestFields();
        ResponderHandshake first = bobReceives(req);
        Handshake.InitiatorResult ar = a.onAccept(BOB_AT, first.accept(T0), T0);
        first.onConfirm("alice", ar.confirmSig(), null, T0);
        // Replay of the request: bob answers with fresh ephemeral and nonce, so the old confirm does not verify.
        ResponderHandshake replay = bobReceives(req);
        replay.accept(T0.plusSeconds(5));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> replay.onConfirm("alice", ar.confirmSig(), null, T0.plusSeconds(5))));
        // And the attacker cannot sign for alice.
        ResponderHandshake replay2 = bobReceives(req);
        replay2.accept(T0);
        String forged = Bytes.b64(MALLORY.sign(new byte[] {1}));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> replay2.onConfirm("alice", forged, null, T0)));
    }

    @Test
    void replayedChatAcceptFailsAgainstAFreshRequest() throws Exception {
        InitiatorHandshake a = alice();
        HandshakeFields accept = bobReceives(a.requestFields()).accept(T0);
        a.onAccept(BOB_AT, accept, T0);
        assertEquals(Reason.WRONG_STATE, reason(() -> a.onAccept(BOB_AT, accept, T0)));
        InitiatorHandshake fresh = alice();
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> fresh.onAccept(BOB_AT, accept, T0)));
    }

    @Test
    void forgedAcceptInBobsNameFails() throws Exception {
        InitiatorHandshake a = alice();
        HandshakeFields req = a.requestFields();
        // Mallory answers as "bob" with bob's public key but can only sign with her own.
        HandshakeFields mal = ResponderHandshake.receive(MALLORY, BOB_AT, ALICE_AT, req, CFG, RANDOM).accept(T0);
        HandshakeFields claimBob = new HandshakeFields(mal.features(), BOB.publicKey().base64url(), mal.ephkey(),
                mal.nonce(), mal.sig());
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> a.onAccept(BOB_AT, claimBob, T0)));
    }

    @Test
    void acceptFromAnotherKeyThanThePinnedOneIsRefused() throws Exception {
        InitiatorHandshake a = InitiatorHandshake.start(ALICE, ALICE_AT, BOB.publicKey(), CFG, RANDOM, T0);
        HandshakeFields mal = ResponderHandshake.receive(MALLORY, BOB_AT, ALICE_AT, a.requestFields(), CFG, RANDOM)
                .accept(T0);
        assertEquals(Reason.PINNED_KEY_MISMATCH, reason(() -> a.onAccept(BOB_AT, mal, T0)));
    }

    @Test
    void relayedHandshakeWithRewrittenNameOrAddressFails() throws Exception {
        // Mallory relays bob's accept but makes alice believe it came from mallory's address.
        InitiatorHandshake a = alice();
        HandshakeFields accept = bobReceives(a.requestFields()).accept(T0);
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> a.onAccept(MALLORY_AT, accept, T0)));
        // Mallory forwards alice's request to bob as if from her own address: alice's confirm then does not verify.
        InitiatorHandshake a2 = alice();
        ResponderHandshake b = ResponderHandshake.receive(BOB, BOB_AT, new Endpoint("alice", "evil", 1),
                a2.requestFields(), CFG, RANDOM);
        HandshakeFields acc = b.accept(T0);
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> a2.onAccept(BOB_AT, acc, T0)));
    }

    @Test
    void bitFlippedSignaturesAreRefused() throws Exception {
        InitiatorHandshake a = alice();
        ResponderHandshake b = bobReceives(a.requestFields());
        HandshakeFields acc = b.accept(T0);
        byte[] sig = Bytes.unb64("sig", acc.sig());
        sig[10] ^= 1;
        HandshakeFields bad = new HandshakeFields(acc.features(), acc.idkey(), acc.ephkey(), acc.nonce(), Bytes.b64(sig));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> a.onAccept(BOB_AT, bad, T0)));

        InitiatorHandshake a2 = alice();
        ResponderHandshake b2 = bobReceives(a2.requestFields());
        Handshake.InitiatorResult r = a2.onAccept(BOB_AT, b2.accept(T0), T0);
        byte[] c = Bytes.unb64("sig", r.confirmSig());
        c[63] ^= (byte) 0x80;
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> b2.onConfirm("alice", Bytes.b64(c), null, T0)));
        // the forged confirm did not end the wait: the genuine one is served, once
        assertEquals(ALICE.publicKey(), b2.onConfirm("alice", r.confirmSig(), null, T0).peerKey());
        assertEquals(Reason.WRONG_STATE, reason(() -> b2.onConfirm("alice", r.confirmSig(), null, T0)));
        // and a forged accept does not end the initiator's wait either
        assertEquals(BOB.publicKey(), a.onAccept(BOB_AT, acc, T0).peerKey());
    }

    @Test
    void wrongLengthsAreRefused() throws Exception {
        HandshakeFields req = alice().requestFields();
        assertEquals(Reason.BAD_KEY_LENGTH, reason(() -> bobReceives(new HandshakeFields(req.features(),
                Bytes.b64(new byte[31]), req.ephkey(), req.nonce(), null))));
        assertEquals(Reason.BAD_KEY_LENGTH, reason(() -> bobReceives(withEph(req, Bytes.b64(new byte[33])))));
        assertEquals(Reason.BAD_KEY_LENGTH, reason(() -> bobReceives(new HandshakeFields(req.features(),
                req.idkey(), req.ephkey(), Bytes.b64(new byte[8]), null))));
        assertEquals(Reason.MALFORMED, reason(() -> bobReceives(withEph(req, "not base64!"))));
        byte[] neutral = new byte[32];
        neutral[0] = 1;
        assertEquals(Reason.BAD_PUBLIC_KEY, reason(() -> bobReceives(new HandshakeFields(req.features(),
                Bytes.b64(neutral), req.ephkey(), req.nonce(), null))));
        InitiatorHandshake a = alice();
        HandshakeFields acc = bobReceives(a.requestFields()).accept(T0);
        assertEquals(Reason.BAD_KEY_LENGTH, reason(() -> a.onAccept(BOB_AT, new HandshakeFields(acc.features(),
                acc.idkey(), acc.ephkey(), acc.nonce(), Bytes.b64(new byte[63])), T0)));
    }

    static final List<String> LOW_ORDER = List.of(
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");

    @Test
    void lowOrderEphemeralFromInitiatorIsRefusedBeforeAnyoneIsAsked() {
        HandshakeFields req = alice().requestFields();
        for (String p : LOW_ORDER) {
            String eph = Bytes.b64(HexFormat.of().parseHex(p));
            assertEquals(Reason.LOW_ORDER_POINT, reason(() -> bobReceives(withEph(req, eph))), p);
        }
    }

    @Test
    void lowOrderEphemeralFromAValidlySigningResponderIsRefused() throws Exception {
        for (String p : LOW_ORDER) {
            InitiatorHandshake a = alice();
            HandshakeFields req = a.requestFields();
            byte[] eph = HexFormat.of().parseHex(p);
            byte[] nonce = new byte[32];
            byte[] t = Transcript.of(
                    new Transcript.Half(req.features(), ALICE_AT, ALICE.publicKey().bytes(),
                            Bytes.unb64("e", req.ephkey()), Bytes.unb64("n", req.nonce())),
                    new Transcript.Half(Handshake.FEATURES, MALLORY_AT, MALLORY.publicKey().bytes(), eph, nonce));
            String sig = Bytes.b64(MALLORY.sign(Transcript.concat(Transcript.LABEL_ACCEPT, t)));
            HandshakeFields acc = new HandshakeFields(Handshake.FEATURES, MALLORY.publicKey().base64url(),
                    Bytes.b64(eph), Bytes.b64(nonce), sig);
            assertEquals(Reason.LOW_ORDER_POINT, reason(() -> a.onAccept(MALLORY_AT, acc, T0)), p);
        }
    }

    @Test
    void confirmFromAnotherNameOrTooLateOrTwiceIsRefused() throws Exception {
        InitiatorHandshake a = alice();
        ResponderHandshake b = bobReceives(a.requestFields());
        Handshake.InitiatorResult r = a.onAccept(BOB_AT, b.accept(T0), T0);
        assertEquals(Reason.NAME_MISMATCH, reason(() -> b.onConfirm("mallory", r.confirmSig(), null, T0)));

        InitiatorHandshake a2 = alice();
        ResponderHandshake b2 = bobReceives(a2.requestFields());
        Handshake.InitiatorResult r2 = a2.onAccept(BOB_AT, b2.accept(T0), T0);
        assertEquals(Reason.EXPIRED, reason(() -> b2.onConfirm("alice", r2.confirmSig(), null,
                T0.plus(CFG.confirmTimeout()).plusMillis(1))));

        ResponderHandshake b3 = bobReceives(alice().requestFields());
        assertEquals(Reason.WRONG_STATE, reason(() -> b3.onConfirm("alice", r2.confirmSig(), null, T0)));
        b3.accept(T0);
        assertEquals(Reason.WRONG_STATE, reason(() -> b3.accept(T0)));
    }

    @Test
    void confirmProvingAnotherKeyThanThePinIsRefused() throws Exception {
        InitiatorHandshake a = alice();
        ResponderHandshake b = bobReceives(a.requestFields());
        Handshake.InitiatorResult r = a.onAccept(BOB_AT, b.accept(T0), T0);
        assertEquals(Reason.PINNED_KEY_MISMATCH, reason(() -> b.onConfirm("alice", r.confirmSig(),
                MALLORY.publicKey(), T0)));
    }

    @Test
    void acceptAfterTheRequestExpiredIsRefused() throws Exception {
        InitiatorHandshake a = InitiatorHandshake.start(ALICE, ALICE_AT, null,
                new HandshakeConfig(Duration.ofSeconds(5), Duration.ofSeconds(5)), RANDOM, T0);
        HandshakeFields acc = bobReceives(a.requestFields()).accept(T0);
        assertEquals(Reason.EXPIRED, reason(() -> a.onAccept(BOB_AT, acc, T0.plusSeconds(6))));
    }

    @Test
    void signedRefusalIsVerifiedAndAForgedOneDoesNotEndTheWait() throws Exception {
        InitiatorHandshake a = InitiatorHandshake.start(ALICE, ALICE_AT, BOB.publicKey(), CFG, RANDOM, T0);
        HandshakeFields req = a.requestFields();
        HandshakeFields forged = ResponderHandshake.receive(MALLORY, BOB_AT, ALICE_AT, req, CFG, RANDOM).refuse();
        assertEquals(Reason.PINNED_KEY_MISMATCH, reason(() -> a.onRefuse(BOB_AT, forged, T0)));
        HandshakeFields claimBob = new HandshakeFields(forged.features(), BOB.publicKey().base64url(), null, null,
                forged.sig());
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> a.onRefuse(BOB_AT, claimBob, T0)));
        assertEquals(Reason.NOT_SUPPORTED, reason(() -> a.onRefuse(BOB_AT, new HandshakeFields(null, null, null, null,
                null), T0)));
        ResponderHandshake b = bobReceives(req);
        HandshakeFields refusal = b.refuse();
        assertEquals(Reason.WRONG_STATE, reason(() -> b.accept(T0)));
        assertEquals(BOB.publicKey(), a.onRefuse(BOB_AT, refusal, T0));
        // a recorded refusal does not refuse a later request
        InitiatorHandshake again = alice();
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> again.onRefuse(BOB_AT, refusal, T0)));
    }

    @Test
    void messagesThatOvertakeTheConfirmAreHeldAndOpenedOnlyAfterIt() throws Exception {
        InitiatorHandshake a = alice();
        ResponderHandshake b = bobReceives(a.requestFields());
        assertEquals(false, b.holdEarly("CHAT_MESSAGE", 0, new byte[20]));
        Handshake.InitiatorResult ar = a.onAccept(BOB_AT, b.accept(T0), T0);
        Session.Sealed m0 = ar.session().seal("CHAT_MESSAGE", "first".getBytes(StandardCharsets.UTF_8));
        Session.Sealed m1 = ar.session().seal("CHAT_MESSAGE", "second".getBytes(StandardCharsets.UTF_8));
        assertTrue(b.holdEarly("CHAT_MESSAGE", m1.seq(), m1.box()));
        assertTrue(b.holdEarly("CHAT_MESSAGE", m0.seq(), m0.box()));
        assertTrue(b.holdEarly("CHAT_MESSAGE", m0.seq(), m0.box())); // a replay among them
        assertTrue(b.holdEarly("CHAT_MESSAGE", 7, new byte[24])); // a forgery among them
        for (int i = 4; i < ResponderHandshake.MAX_EARLY; i++) {
            assertTrue(b.holdEarly("CHAT_MESSAGE", 100 + i, new byte[16]));
        }
        assertEquals(false, b.holdEarly("CHAT_MESSAGE", 99, new byte[16]));
        // a forged confirm does not release them
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> b.onConfirm("alice", Bytes.b64(new byte[64]), null, T0)));
        Handshake.Result r = b.onConfirm("alice", ar.confirmSig(), null, T0);
        assertEquals(2, r.early().size());
        assertEquals("second", new String(r.early().get(0).plaintext(), StandardCharsets.UTF_8));
        assertEquals("first", new String(r.early().get(1).plaintext(), StandardCharsets.UTF_8));
        assertEquals(ResponderHandshake.MAX_EARLY - 2, r.earlyRejected());
        Session.Sealed m2 = ar.session().seal("CHAT_MESSAGE", "third".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals("third".getBytes(StandardCharsets.UTF_8), r.session().open("CHAT_MESSAGE", m2.seq(), m2.box()));
    }

    @Test
    void featuresChangedInTransitBreakTheSignatures() throws Exception {
        InitiatorHandshake a = alice();
        HandshakeFields req = a.requestFields();
        for (List<String> changed : List.of(List.of("identity-v1", "x"), List.of("x", "identity-v1"), List.of("identity-v1", ""))) {
            HandshakeFields altered = new HandshakeFields(changed, req.idkey(), req.ephkey(), req.nonce(), null);
            HandshakeFields acc = bobReceives(altered).accept(T0);
            assertEquals(Reason.BAD_SIGNATURE, reason(() -> a.onAccept(BOB_AT, acc, T0)));
        }
        assertEquals(false, new HandshakeFields(java.util.Arrays.asList((String) null), req.idkey(), null, null, null)
                .advertisesIdentity());
    }

    @Test
    void requestCarryingASignatureFieldIsMalformed() {
        HandshakeFields req = alice().requestFields();
        assertEquals(Reason.MALFORMED, reason(() -> bobReceives(new HandshakeFields(req.features(), req.idkey(),
                req.ephkey(), req.nonce(), Bytes.b64(new byte[64])))));
    }
}
