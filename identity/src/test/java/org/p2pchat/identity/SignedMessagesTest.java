package org.p2pchat.identity;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.p2pchat.identity.Fixtures.ALICE;
import static org.p2pchat.identity.Fixtures.BOB;
import static org.p2pchat.identity.Fixtures.MALLORY;
import static org.p2pchat.identity.Fixtures.RANDOM;
import static org.p2pchat.identity.Fixtures.T0;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.p2pchat.identity.IdentityException.Reason;
import org.p2pchat.identity.internal.Bytes;

class SignedMessagesTest {
    private static final IdentityKeyPair SERVER = BOB;

    private static Reason reason(Executable e) {
        return assertThrows(IdentityException.class, e).reason();
    }

    private static String nonce() {
        byte[] n = new byte[16];
        RANDOM.nextBytes(n);
        return Bytes.b64(n);
    }

    @Test
    void canonicalFormIsSortedCompactJsonWithoutSig() throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("peername", "zoë \"q\"\n");
        data.put("port", 30001);
        data.put("list", List.of(true, Map.of("b", 1, "a", "/")));
        data.put("none", null);
        data.put("sig", "ignored");
        String expected = "p2pchat-identity-v1/message\0"
                + "{\"msgdata\":{\"list\":[true,{\"a\":\"/\",\"b\":1}],\"none\":null,\"peername\":\"zoë \\\"q\\\"\\n\","
                + "\"port\":30001},\"msgtype\":\"REGISTER\"}";
        assertEquals(expected, new String(SignedMessages.signingBytes("REGISTER", data), StandardCharsets.UTF_8));
        assertEquals(Reason.MALFORMED, reason(() -> SignedMessages.signingBytes("X", Map.of("f", 1.5))));
        assertEquals(Reason.MALFORMED, reason(() -> SignedMessages.signingBytes("X", Map.of("s", "\ud800"))));
    }

    @Test
    void verifiesItsOwnSignatureRegardlessOfMemberOrder() throws Exception {
        Map<String, Object> signed = SignedMessages.sign(SERVER, "REGISTER_SUCCESS", Map.of("to", "alice", "re", "x"));
        Map<String, Object> reordered = new LinkedHashMap<>();
        reordered.put("sig", signed.get("sig"));
        reordered.put("re", "x");
        reordered.put("to", "alice");
        assertDoesNotThrow(() -> SignedMessages.verify(SERVER.publicKey(), "REGISTER_SUCCESS", reordered));
    }

    @Test
    void forgedOrTamperedOrUnsignedMessagesAreRefused() throws Exception {
        Map<String, Object> signed = SignedMessages.sign(ALICE, "EXIT_NETWORK", Map.of("peername", "alice"));
        Map<String, Object> tampered = new LinkedHashMap<>(signed);
        tampered.put("peername", "bob");
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> SignedMessages.verify(ALICE.publicKey(), "EXIT_NETWORK", tampered)));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> SignedMessages.verify(ALICE.publicKey(), "LISTPEER", signed)));
        Map<String, Object> forged = SignedMessages.sign(MALLORY, "EXIT_NETWORK", Map.of("peername", "alice"));
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> SignedMessages.verify(ALICE.publicKey(), "EXIT_NETWORK", forged)));
        assertEquals(Reason.MISSING_SIGNATURE, reason(() -> SignedMessages.verify(ALICE.publicKey(), "EXIT_NETWORK",
                Map.of("peername", "alice"))));
        assertEquals(Reason.BAD_KEY_LENGTH, reason(() -> SignedMessages.verify(ALICE.publicKey(), "EXIT_NETWORK",
                Map.of("peername", "alice", "sig", Bytes.b64(new byte[32])))));
        assertEquals(Reason.MALFORMED, reason(() -> SignedMessages.verify(ALICE.publicKey(), "EXIT_NETWORK",
                Map.of("peername", "alice", "sig", 5))));
    }

    @Test
    void replayedSignedExitNetworkIsRefusedAndTheNextFreshOneServed() throws Exception {
        FreshnessGuard guard = new FreshnessGuard();
        Map<String, Object> exit = SignedMessages.signRequest(ALICE, "EXIT_NETWORK", Map.of("peername", "alice"),
                T0, nonce());
        SignedMessages.verifyRequest(ALICE.publicKey(), "EXIT_NETWORK", exit, guard, T0.plusSeconds(1));
        assertEquals(Reason.REPLAYED, reason(() -> SignedMessages.verifyRequest(ALICE.publicKey(), "EXIT_NETWORK",
                exit, guard, T0.plusSeconds(2))));
        assertEquals(Reason.STALE, reason(() -> SignedMessages.verifyRequest(ALICE.publicKey(), "EXIT_NETWORK",
                exit, guard, T0.plusSeconds(61))));
        Map<String, Object> next = SignedMessages.signRequest(ALICE, "EXIT_NETWORK", Map.of("peername", "alice"),
                T0.plusSeconds(2), nonce());
        assertDoesNotThrow(() -> SignedMessages.verifyRequest(ALICE.publicKey(), "EXIT_NETWORK", next, guard,
                T0.plusSeconds(3)));
    }

    @Test
    void requestsFromTheFutureOrWithoutFreshnessAreRefused() throws Exception {
        FreshnessGuard guard = new FreshnessGuard();
        Map<String, Object> future = SignedMessages.signRequest(ALICE, "LISTPEER", Map.of("peername", "alice"),
                T0.plusSeconds(120), nonce());
        assertEquals(Reason.STALE, reason(() -> SignedMessages.verifyRequest(ALICE.publicKey(), "LISTPEER", future,
                guard, T0)));
        Map<String, Object> bare = SignedMessages.sign(ALICE, "LISTPEER", Map.of("peername", "alice"));
        assertEquals(Reason.MALFORMED, reason(() -> SignedMessages.verifyRequest(ALICE.publicKey(), "LISTPEER", bare,
                guard, T0)));
        assertEquals(0, guard.size());
    }

    @Test
    void fullReplayCacheRefusesRatherThanForgets() throws Exception {
        FreshnessGuard guard = new FreshnessGuard(Duration.ofSeconds(60), 2);
        guard.check(ALICE.publicKey(), T0.toEpochMilli(), "a", T0);
        guard.check(ALICE.publicKey(), T0.toEpochMilli(), "b", T0);
        assertEquals(Reason.REPLAY_CACHE_FULL, reason(() -> guard.check(ALICE.publicKey(), T0.toEpochMilli(), "c", T0)));
        assertEquals(Reason.REPLAYED, reason(() -> guard.check(ALICE.publicKey(), T0.toEpochMilli(), "a", T0)));
        // once the window has passed, old entries go and there is room again
        guard.check(ALICE.publicKey(), T0.plusSeconds(70).toEpochMilli(), "c", T0.plusSeconds(70));
        assertEquals(1, guard.size());
    }

    @Test
    void serverRepliesAreAcceptedOnlyForOutstandingRequestsAddressedToUs() throws Exception {
        PendingRequests pending = new PendingRequests();
        String n = pending.issue(Set.of("LISTPEER"), T0, RANDOM);
        Map<String, Object> reply = SignedMessages.signReply(SERVER, "LISTPEER",
                Map.of("peerlist", Map.of("bob", List.of("localhost", 30002))), "alice", n);
        // to someone else
        assertEquals(Reason.WRONG_RECIPIENT, reason(() -> SignedMessages.verifyReply(SERVER.publicKey(), "LISTPEER",
                reply, "carol", pending, T0)));
        // forged by another key
        Map<String, Object> forged = SignedMessages.signReply(MALLORY, "LISTPEER", Map.of("peerlist", Map.of()),
                "alice", n);
        assertEquals(Reason.BAD_SIGNATURE, reason(() -> SignedMessages.verifyReply(SERVER.publicKey(), "LISTPEER",
                forged, "alice", pending, T0)));
        // unsolicited (no such request) and wrong reply type
        Map<String, Object> unsolicited = SignedMessages.signReply(SERVER, "REGISTER_SUCCESS", Map.of(), "alice", n);
        assertEquals(Reason.UNSOLICITED, reason(() -> SignedMessages.verifyReply(SERVER.publicKey(), "REGISTER_SUCCESS",
                unsolicited, "alice", pending, T0)));
        // signed by the server but naming another key as the server's
        Map<String, Object> otherKey = new LinkedHashMap<>(reply);
        otherKey.put("idkey", MALLORY.publicKey().base64url());
        Map<String, Object> resigned = SignedMessages.sign(SERVER, "LISTPEER", otherKey);
        assertEquals(Reason.PINNED_KEY_MISMATCH, reason(() -> SignedMessages.verifyReply(SERVER.publicKey(),
                "LISTPEER", resigned, "alice", pending, T0)));
        assertEquals(SERVER.publicKey().base64url(), reply.get("idkey"));
        SignedMessages.verifyReply(SERVER.publicKey(), "LISTPEER", reply, "alice", pending, T0);
        // the same reply again
        assertEquals(Reason.UNSOLICITED, reason(() -> SignedMessages.verifyReply(SERVER.publicKey(), "LISTPEER",
                reply, "alice", pending, T0)));
    }

    @Test
    void pendingRequestsExpire() throws Exception {
        PendingRequests pending = new PendingRequests(Duration.ofSeconds(30), 4);
        String n = pending.issue(Set.of("REGISTER_SUCCESS", "REGISTER_ERROR"), T0, RANDOM);
        assertEquals(Reason.UNSOLICITED, reason(() -> pending.complete(n, "REGISTER_SUCCESS", T0.plusSeconds(31))));
        String m = pending.issue(Set.of("REGISTER_SUCCESS", "REGISTER_ERROR"), T0, RANDOM);
        assertDoesNotThrow(() -> pending.complete(m, "REGISTER_ERROR", T0.plusSeconds(1)));
        assertEquals(0, pending.size());
    }
}
