package org.p2pchat.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.identity.Fixtures.ALICE;
import static org.p2pchat.identity.Fixtures.MALLORY;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.identity.IdentityException.Reason;
import org.p2pchat.identity.KnownPeers.Status;
import org.p2pchat.identity.KnownPeers.Verdict.Kind;

class KnownPeersTest {
    @TempDir
    Path tmp;

    @Test
    void pinsOnFirstVerifiedSightAndRemembersAcrossRestarts() throws Exception {
        Path file = tmp.resolve("p2p/known_peers");
        KnownPeers k = KnownPeers.open(file);
        assertEquals(Status.UNKNOWN, k.whois("alice").status());
        assertEquals(Kind.PINNED_NEW, k.observeVerified("alice", ALICE.publicKey()).kind());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        KnownPeers again = KnownPeers.open(file);
        assertEquals(Optional.of(ALICE.publicKey()), again.pinned("alice"));
        assertEquals(Kind.MATCHES, again.observeVerified("alice", ALICE.publicKey()).kind());
        assertEquals("alice " + ALICE.publicKey().fingerprint() + " verified", again.whois("alice").describe());
    }

    @Test
    void aDifferentKeyIsNeverAcceptedSilently() throws Exception {
        Path file = tmp.resolve("known_peers");
        KnownPeers k = KnownPeers.open(file);
        k.observeVerified("alice", ALICE.publicKey());
        KnownPeers.Verdict v = k.observeVerified("alice", MALLORY.publicKey());
        assertEquals(Kind.KEY_CHANGED, v.kind());
        assertFalse(v.accepted());
        assertEquals(ALICE.publicKey(), v.pinned());
        assertEquals(MALLORY.publicKey(), v.offered());
        assertEquals(Status.CHANGED, k.whois("alice").status());
        assertEquals(Optional.of(ALICE.publicKey()), KnownPeers.open(file).pinned("alice"));
        assertEquals(Kind.KEY_CHANGED, k.observeVerified("alice", MALLORY.publicKey()).kind());
        // only the explicit command replaces it
        k.acceptNewKey("alice", k.offeredKey("alice").orElseThrow());
        assertEquals(Status.VERIFIED, k.whois("alice").status());
        assertEquals(Optional.of(MALLORY.publicKey()), KnownPeers.open(file).pinned("alice"));
        assertEquals(Kind.MATCHES, k.observeVerified("alice", MALLORY.publicKey()).kind());
    }

    @Test
    void plaintextContactIsUnverifiedAndFlaggedForAPinnedName() throws Exception {
        KnownPeers k = KnownPeers.inMemory();
        assertFalse(k.observeUnverified("carol"));
        assertEquals("carol unverified (2018 peer)", k.whois("carol").describe());
        k.observeVerified("alice", ALICE.publicKey());
        assertTrue(k.observeUnverified("alice"));
    }

    @Test
    void expectedFingerprintPinsOnlyTheMatchingKey() throws Exception {
        KnownPeers k = KnownPeers.inMemory();
        k.expect("server@localhost:30000", ALICE.publicKey().fingerprint());
        assertEquals(Status.UNKNOWN, k.whois("server@localhost:30000").status());
        assertEquals(Kind.KEY_CHANGED, k.observeVerified("server@localhost:30000", MALLORY.publicKey()).kind());
        assertEquals(Kind.MATCHES, k.observeVerified("server@localhost:30000", ALICE.publicKey()).kind());
        assertEquals(Reason.PINNED_KEY_MISMATCH, assertThrows(IdentityException.class,
                () -> k.expect("server@localhost:30000", MALLORY.publicKey().fingerprint())).reason());
    }

    @Test
    void namesWithSpacesSurviveAndControlCharactersAreRefused() throws Exception {
        Path file = tmp.resolve("known_peers");
        KnownPeers.open(file).observeVerified("alice smith", ALICE.publicKey());
        assertEquals(Optional.of(ALICE.publicKey()), KnownPeers.open(file).pinned("alice smith"));
        assertEquals(Reason.MALFORMED, assertThrows(IdentityException.class,
                () -> KnownPeers.inMemory().observeVerified("a\nb", ALICE.publicKey())).reason());
    }

    @Test
    void garbageOrExposedFileIsRefused() throws Exception {
        Path file = tmp.resolve("known_peers");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "# ok\nnot-a-key alice\n");
        IdentityException e = assertThrows(IdentityException.class, () -> KnownPeers.open(file));
        assertEquals(Reason.FILE_GARBAGE, e.reason());
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
        Files.writeString(file, "");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertEquals(Reason.FILE_INSECURE_PERMISSIONS,
                assertThrows(IdentityException.class, () -> KnownPeers.open(file)).reason());
    }
}
