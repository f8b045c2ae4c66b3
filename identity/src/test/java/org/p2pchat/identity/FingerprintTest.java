package org.p2pchat.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.p2pchat.identity.IdentityException.Reason;
import org.p2pchat.identity.internal.Bytes;

class FingerprintTest {

    @Test
    void isFirstSixteenBytesOfSha256InGroupsOfFour() {
        IdentityKey k = Fixtures.ALICE.publicKey();
        String hex = Bytes.hex(Arrays.copyOf(Bytes.sha256(k.bytes()), 16));
        String shown = k.fingerprint().toString();
        assertEquals(39, shown.length());
        assertEquals(hex, shown.replace("-", ""));
        assertTrue(shown.matches("([0-9a-f]{4}-){7}[0-9a-f]{4}"));
    }

    @Test
    void parsesWhatPeopleType() throws IdentityException {
        Fingerprint f = Fixtures.ALICE.publicKey().fingerprint();
        String s = f.toString();
        assertEquals(f, Fingerprint.parse(s));
        assertEquals(f, Fingerprint.parse(s.toUpperCase()));
        assertEquals(f, Fingerprint.parse(" " + s.replace('-', ':') + " "));
        assertEquals(f, Fingerprint.parse(s.replace("-", "")));
        assertTrue(Fingerprint.parse(s).matches(Fixtures.ALICE.publicKey()));
        assertFalse(Fingerprint.parse(s).matches(Fixtures.BOB.publicKey()));
    }

    @Test
    void refusesWrongLengthOrLetters() {
        String s = Fixtures.ALICE.publicKey().fingerprint().toString();
        assertEquals(Reason.MALFORMED, assertThrows(IdentityException.class,
                () -> Fingerprint.parse(s.substring(1))).reason());
        assertEquals(Reason.MALFORMED, assertThrows(IdentityException.class,
                () -> Fingerprint.parse("z" + s.substring(1))).reason());
        assertEquals(Reason.MALFORMED, assertThrows(IdentityException.class, () -> Fingerprint.parse(null)).reason());
    }

    @Test
    void identityKeyRefusesPointsOffTheCurveAndSmallOrderPoints() {
        byte[] offCurve = new byte[32];
        offCurve[0] = 2;
        byte[] neutral = new byte[32];
        neutral[0] = 1;
        // y = 0: a point of order 4
        byte[] order4 = new byte[32];
        for (byte[] k : new byte[][] {offCurve, neutral, order4}) {
            assertEquals(Reason.BAD_PUBLIC_KEY, assertThrows(IdentityException.class,
                    () -> IdentityKey.fromBytes(k)).reason(), Bytes.hex(k));
        }
    }

    @Test
    void identityKeyRefusesWrongLengthAndNonCanonicalBase64() {
        assertEquals(Reason.BAD_KEY_LENGTH, assertThrows(IdentityException.class,
                () -> IdentityKey.fromBytes(new byte[31])).reason());
        assertEquals(Reason.BAD_KEY_LENGTH, assertThrows(IdentityException.class,
                () -> IdentityKey.parse(Bytes.b64(new byte[33]))).reason());
        String good = Fixtures.ALICE.publicKey().base64url();
        assertEquals(Reason.MALFORMED, assertThrows(IdentityException.class,
                () -> IdentityKey.parse(good + "=")).reason());
        assertEquals(Reason.MALFORMED, assertThrows(IdentityException.class,
                () -> IdentityKey.parse("!" + good.substring(1))).reason());
    }
}
