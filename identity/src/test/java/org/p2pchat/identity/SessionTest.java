package org.p2pchat.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.p2pchat.identity.IdentityException.Reason;

class SessionTest {
    private static final String MSG = "CHAT_MESSAGE";
    private Session alice;
    private Session bob;

    private static Reason reason(Executable e) {
        return assertThrows(IdentityException.class, e).reason();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @BeforeEach
    void handshake() throws IdentityException {
        Session[] s = Fixtures.sessions();
        alice = s[0];
        bob = s[1];
    }

    @Test
    void roundTripsIncludingEmptyAndLargePayloads() throws Exception {
        for (byte[] p : new byte[][] {new byte[0], utf8("{\"message\":\"hi\"}"), new byte[100_000]}) {
            Session.Sealed s = alice.seal(MSG, p);
            assertEquals(p.length + Session.TAG_LENGTH, s.box().length);
            assertArrayEquals(p, bob.open(MSG, s.seq(), s.boxBase64url()));
        }
    }

    @Test
    void replayIsRefusedAndTheNextMessageIsServed() throws Exception {
        Session.Sealed s0 = alice.seal(MSG, utf8("one"));
        bob.open(MSG, s0.seq(), s0.box());
        assertEquals(Reason.REPLAYED, reason(() -> bob.open(MSG, s0.seq(), s0.box())));
        Session.Sealed s1 = alice.seal(MSG, utf8("two"));
        assertArrayEquals(utf8("two"), bob.open(MSG, s1.seq(), s1.box()));
    }

    @Test
    void mildReorderingIsAcceptedOnceEachButOlderThanTheWindowIsNot() throws Exception {
        Session.Sealed[] s = new Session.Sealed[Session.WINDOW + 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = alice.seal(MSG, utf8("m" + i));
        }
        bob.open(MSG, s[2].seq(), s[2].box());
        assertArrayEquals(utf8("m0"), bob.open(MSG, s[0].seq(), s[0].box()));
        assertArrayEquals(utf8("m1"), bob.open(MSG, s[1].seq(), s[1].box()));
        assertEquals(Reason.REPLAYED, reason(() -> bob.open(MSG, s[0].seq(), s[0].box())));
        bob.open(MSG, s[Session.WINDOW + 1].seq(), s[Session.WINDOW + 1].box());
        assertEquals(Reason.TOO_OLD, reason(() -> bob.open(MSG, s[1].seq(), s[1].box())));
        assertArrayEquals(utf8("m" + 3), bob.open(MSG, s[3].seq(), s[3].box()));
        assertEquals(Reason.REPLAYED, reason(() -> bob.open(MSG, s[2].seq(), s[2].box())));
    }

    @Test
    void truncatedOrBitFlippedBoxesAreRefusedWithoutMovingTheWindow() throws Exception {
        Session.Sealed s = alice.seal(MSG, utf8("hello"));
        assertEquals(Reason.TRUNCATED, reason(() -> bob.open(MSG, s.seq(), Arrays.copyOf(s.box(), 15))));
        assertEquals(Reason.AUTH_FAILED, reason(() -> bob.open(MSG, s.seq(), Arrays.copyOf(s.box(), s.box().length - 1))));
        for (int bit = 0; bit < s.box().length * 8; bit += 7) {
            byte[] b = s.box().clone();
            b[bit / 8] ^= (byte) (1 << (bit % 8));
            assertEquals(Reason.AUTH_FAILED, reason(() -> bob.open(MSG, s.seq(), b)));
        }
        // a forged far-ahead counter does not push the window
        assertEquals(Reason.AUTH_FAILED, reason(() -> bob.open(MSG, 1_000_000, s.box())));
        assertArrayEquals(utf8("hello"), bob.open(MSG, s.seq(), s.box()));
    }

    @Test
    void associatedDataBindsTypeCounterAndDirection() throws Exception {
        Session.Sealed s = alice.seal(MSG, utf8("bye"));
        assertEquals(Reason.AUTH_FAILED, reason(() -> bob.open("DISCONNECT", s.seq(), s.box())));
        assertEquals(Reason.AUTH_FAILED, reason(() -> bob.open(MSG, s.seq() + 1, s.box())));
        // reflected back to its sender
        assertEquals(Reason.AUTH_FAILED, reason(() -> alice.open(MSG, s.seq(), s.box())));
        // a different session between the same names
        Session other = Fixtures.sessions()[1];
        assertEquals(Reason.AUTH_FAILED, reason(() -> other.open(MSG, s.seq(), s.box())));
        assertArrayEquals(utf8("bye"), bob.open(MSG, s.seq(), s.box()));
    }

    @Test
    void refusesOutOfRangeCounters() {
        assertEquals(Reason.MALFORMED, reason(() -> bob.open(MSG, -1, new byte[16])));
        assertEquals(Reason.MALFORMED, reason(() -> bob.open(MSG, Session.MAX_SEQ + 1, new byte[16])));
        assertEquals(Reason.MALFORMED, reason(() -> bob.open(MSG, 0, "a=")));
    }
}
