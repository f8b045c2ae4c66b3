package org.p2pchat.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.identity.IdentityException.Reason;

class IdentityFileTest {
    @TempDir
    Path tmp;

    @Test
    void createsOwnerOnlyFileInOwnerOnlyDirectoryAndLoadsTheSameKey() throws Exception {
        Path file = tmp.resolve("home/.p2pchat/identity");
        IdentityFile created = IdentityFile.loadOrCreate(file, Fixtures.RANDOM);
        assertTrue(created.created());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        IdentityFile again = IdentityFile.loadOrCreate(file, Fixtures.RANDOM);
        assertFalse(again.created());
        assertEquals(created.keyPair().publicKey(), again.keyPair().publicKey());
        assertEquals(file.getParent().resolve("known_peers").toAbsolutePath(), again.knownPeersPath());
        byte[] msg = "x".getBytes(StandardCharsets.UTF_8);
        assertTrue(created.keyPair().publicKey().verify(msg, again.keyPair().sign(msg)));
    }

    @Test
    void refusesFileReadableByOthersWithOneLineSayingHowToFixIt() throws Exception {
        Path file = tmp.resolve("identity");
        IdentityFile.loadOrCreate(file, Fixtures.RANDOM);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IdentityException e = assertThrows(IdentityException.class, () -> IdentityFile.loadOrCreate(file, Fixtures.RANDOM));
        assertEquals(Reason.FILE_INSECURE_PERMISSIONS, e.reason());
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw--w----"));
        assertEquals(Reason.FILE_INSECURE_PERMISSIONS,
                assertThrows(IdentityException.class, () -> IdentityFile.load(file)).reason());
    }

    @Test
    void refusesGarbageWithoutOverwritingIt() throws Exception {
        Path file = tmp.resolve("identity");
        for (String junk : new String[] {"hello", "p2pchat-identity-v1\ned25519-seed AAAA\n",
                "p2pchat-identity-v1\n", "\u0000\u0001\u0002"}) {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, junk);
            IdentityException e = assertThrows(IdentityException.class, () -> IdentityFile.loadOrCreate(file, Fixtures.RANDOM));
            assertEquals(Reason.FILE_GARBAGE, e.reason());
            assertEquals(junk, Files.readString(file));
        }
    }

    @Test
    void refusesSomethingThatIsNotAReadableFile() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("identity"));
        assertEquals(Reason.FILE_UNREADABLE,
                assertThrows(IdentityException.class, () -> IdentityFile.loadOrCreate(dir, Fixtures.RANDOM)).reason());
        assertEquals(Reason.FILE_UNREADABLE,
                assertThrows(IdentityException.class, () -> IdentityFile.load(tmp.resolve("absent"))).reason());
    }
}
