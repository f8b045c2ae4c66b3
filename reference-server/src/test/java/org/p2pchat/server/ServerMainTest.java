package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.identity.IdentityFile;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.testing.FakePeer;

/** The command line: options, exit codes, output, and a real process stopped by SIGTERM. */
class ServerMainTest {
  @TempDir
  Path dir;

  /** Exit code, stdout and stderr of one in-process run. */
  record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ServerMain.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void helpDocumentsEveryOption() {
    Run run = run("server", "--help");

    assertEquals(0, run.code(), run.err());
    for (String option : List.of("--host", "--port", "--state", "--reply-timeout", "--read-timeout",
        "--max-message-bytes", "--log-level", "--help")) {
      assertTrue(run.out().contains(option), option + " missing from:\n" + run.out());
    }
    assertTrue(run.out().contains("30000") && run.out().contains("localhost"), run.out());
  }

  @Test
  void noSubcommandIsAUsageError() {
    Run run = run();

    assertEquals(2, run.code());
    assertTrue(run.err().contains("server"), run.err());
  }

  @Test
  void unknownOptionIsAUsageError() {
    Run run = run("server", "--colour", "blue");

    assertEquals(2, run.code());
    assertTrue(run.err().contains("--colour"), run.err());
  }

  @Test
  void badDurationIsAUsageError() {
    Run run = run("server", "--reply-timeout", "soon");

    assertEquals(2, run.code());
    assertTrue(run.err().contains("soon"), run.err());
  }

  @Test
  void aBadRegistryUrlExitsWithTwoAndOneLineWithoutThePassword() {
    Run run = run("server", "--port", "0", "--identity", dir.resolve("id").toString(),
        "--registry", "mysql://u:secret@h/db");

    assertEquals(2, run.code(), run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains("unsupported --registry URL scheme 'mysql'"), run.err());
    assertFalse(run.err().contains("secret"), run.err());
  }

  @Test
  void anUnreachableDatabaseExitsWithTwoAndOneLine() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Run run = run("server", "--port", "0", "--identity", dir.resolve("id").toString(),
        "--registry", "jdbc:postgresql://127.0.0.1:" + closedPort + "/p2pchat?user=u&password=secret");

    assertEquals(2, run.code(), run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains("127.0.0.1:" + closedPort), run.err());
    assertFalse(run.err().contains("secret") || run.err().contains("\tat "), run.err());
  }

  @Test
  void stateAndADifferentRegistryTogetherAreAUsageError() {
    Run run = run("server", "--state", dir.resolve("a.jsonl").toString(), "--registry",
        "file:" + dir.resolve("b.jsonl"));

    assertEquals(2, run.code());
    assertTrue(run.err().contains("either --state or --registry"), run.err());
  }

  @Test
  void corruptStateFileExitsWithTwoAndNamesTheFile() throws Exception {
    Path state = dir.resolve("state.jsonl");
    Files.writeString(state, "garbage\n");

    Run run = run("server", "--port", "0", "--state", state.toString(), "--identity",
        dir.resolve("server-identity").toString());

    assertEquals(2, run.code());
    assertTrue(run.err().contains(state.toString()), run.err());
    assertEquals("garbage\n", Files.readString(state));
  }

  @Test
  void aStateRecordBreakingTheSchemaExitsWithTwoAndNamesTheLine() throws Exception {
    Path state = dir.resolve("state.jsonl");
    String text = "{\"format\":\"p2pchat-server-state\",\"version\":1}\n"
        + "{\"op\":\"register\",\"peername\":\"bob\",\"host\":\"evil host\",\"port\":1}\n";
    Files.writeString(state, text);

    Run run = run("server", "--port", "0", "--state", state.toString(), "--identity",
        dir.resolve("server-identity").toString());

    assertEquals(2, run.code());
    assertTrue(run.err().contains("line 2") && run.err().contains("schema"), run.err());
    assertEquals(text, Files.readString(state), "left untouched");
  }

  @Test
  void portInUseExitsWithTwo() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Run run = run("server", "--port", String.valueOf(taken.getLocalPort()), "--state",
          dir.resolve("state.jsonl").toString(), "--identity", dir.resolve("server-identity").toString());

      assertEquals(2, run.code());
      assertTrue(run.err().contains("cannot listen"), run.err());
    }
  }

  @Test
  void processPrintsStateFileAndListeningAndStopsCleanlyOnSigterm() throws Exception {
    Path state = dir.resolve("state.jsonl");
    try (ServerProcess server = ServerProcess.start(dir, "--port", "0", "--state", state.toString());
        FakePeer peer = FakePeer.start()) {
      assertEquals("state file: " + state + " (0 peers loaded)", server.awaitLine("state file: ", Duration.ZERO));
      assertEquals("127.0.0.1", server.address().host());
      peer.send(server.address(), new Register().withPeername("alice").withHost(peer.address().host())
          .withPort(peer.address().port()));
      peer.expect(RegisterSuccess.class, Duration.ofSeconds(5));

      server.process().destroy();
      int code = server.awaitExit(Duration.ofSeconds(15));

      assertEquals(0, code, "a clean stop on SIGTERM is success");
      assertTrue(server.stderr().contains("stopped; 1 peer saved in " + state), server.stderr());
      // The default identity was created (under the process's home) and its fingerprint logged.
      Path identity = dir.resolve(".p2pchat").resolve("server-identity");
      String fingerprint = IdentityFile.load(identity).keyPair().publicKey().fingerprint().toString();
      assertTrue(server.stderr().contains("server key " + fingerprint), server.stderr());
      assertEquals(List.of("{\"format\":\"p2pchat-server-state\",\"version\":1}",
          "{\"op\":\"register\",\"peername\":\"alice\",\"host\":\"127.0.0.1\",\"port\":" + peer.address().port() + "}"),
          Files.readAllLines(state));
    }
  }

  @Test
  void identityFileReadableByOthersOrGarbageExitsWithTwoAndOneLine() throws Exception {
    Path identity = dir.resolve("server-identity");
    Files.writeString(identity, "not an identity\n");
    Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-------"));
    Run garbage = run("server", "--port", "0", "--state", dir.resolve("state.jsonl").toString(),
        "--identity", identity.toString());
    assertEquals(2, garbage.code());
    assertEquals(1, garbage.err().strip().lines().count(), garbage.err());
    assertTrue(garbage.err().contains("not a p2pchat identity"), garbage.err());

    Files.delete(identity);
    IdentityFile.loadOrCreate(identity, new SecureRandom());
    Files.setPosixFilePermissions(identity, PosixFilePermissions.fromString("rw-r--r--"));
    Run open = run("server", "--port", "0", "--state", dir.resolve("state.jsonl").toString(),
        "--identity", identity.toString());
    assertEquals(2, open.code());
    assertEquals(1, open.err().strip().lines().count(), open.err());
    assertTrue(open.err().contains("chmod 600"), open.err());
    assertFalse(Files.exists(dir.resolve("state.jsonl")), "nothing started");
  }
}
