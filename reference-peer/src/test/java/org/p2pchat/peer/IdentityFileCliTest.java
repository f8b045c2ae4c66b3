package org.p2pchat.peer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.peer.internal.Streams;

/** {@code p2pchat peer --identity FILE}: a key file that is unsafe or not a key stops the peer with one line. */
class IdentityFileCliTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return PeerMain.run(args, new Streams(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, UTF_8),
        new PrintStream(err, true, UTF_8), false));
  }

  @Test
  void aKeyFileOthersCanReadIsRefusedWithExitTwoAndTheFix(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("identity");
    assertEquals(0, run("peer", "--name", "alice", "--port", "0", "--identity", file.toString()));
    assertTrue(out.toString(UTF_8).contains("created identity " + file + ", fingerprint "), out.toString(UTF_8));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals(2, run("peer", "--name", "alice", "--port", "0", "--identity", file.toString()));
    String line = err.toString(UTF_8).strip();
    assertTrue(line.startsWith("p2pchat peer: ") && line.contains("chmod 600"), line);
    assertEquals(1, line.lines().count(), line);
  }

  @Test
  void garbageAndBadServerKeysAreRefusedWithExitTwo(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("identity");
    Files.writeString(file, "not a key\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertEquals(2, run("peer", "--name", "alice", "--port", "0", "--identity", file.toString()));
    assertTrue(err.toString(UTF_8).contains("is not a p2pchat identity"), err.toString(UTF_8));
    assertEquals("not a key\n", Files.readString(file), "never overwritten");

    err.reset();
    assertEquals(2, run("peer", "--name", "alice", "--port", "0", "--identity", dir.resolve("new").toString(),
        "--server-key", "12-34"));
    assertTrue(err.toString(UTF_8).startsWith("p2pchat peer: bad --server-key: "), err.toString(UTF_8));
  }

  @Test
  void theDefaultKeyFileIsPerNameUnderTheHomeDirectory() {
    assertEquals(0, run("peer", "--name", "zoe", "--port", "0"));
    Path expected = Path.of(System.getProperty("user.home"), ".p2pchat", "zoe", "identity");
    assertTrue(Files.isRegularFile(expected), expected + " was not created");
    assertTrue(out.toString(UTF_8).contains(expected.toString()), out.toString(UTF_8));
  }
}
