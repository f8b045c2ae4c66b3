package org.p2pchat.peer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.peer.Peers.WAIT;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.p2pchat.peer.internal.Streams;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.testing.FakePeer;

/** The command line, run in this JVM on given streams (no terminal, no signal handlers). */
class PeerMainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(InputStream in, String... args) {
    return PeerMain.run(args, new Streams(in, new PrintStream(out, true, UTF_8), new PrintStream(err, true, UTF_8),
        false));
  }

  private int run(String... args) {
    return run(new ByteArrayInputStream(new byte[0]), args);
  }

  private String out() {
    return out.toString(UTF_8);
  }

  private String err() {
    return err.toString(UTF_8);
  }

  /** Waits up to {@link Peers#WAIT} for {@code text} on stdout. */
  private boolean awaitOutput(String text) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!out().contains(text)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      synchronized (out) {
        out.wait(10); // stdout is written from other threads; poll it briefly
      }
    }
    return true;
  }

  @Test
  void everyCommandHasHelpAndExitsZero() {
    assertEquals(0, run("--help"));
    assertTrue(out().contains("peer"), out());
    assertEquals(0, run("peer", "--help"));
    assertTrue(out().contains("--auto-accept"), out());
  }

  @Test
  void usageErrorsExitTwo() {
    assertEquals(2, run());
    assertEquals(2, run("peer", "--no-such-option"));
    assertEquals(2, run("peer", "--server", "nonsense"));
    assertEquals(2, run("peer", "--name", "two words", "--port", "0"));
    assertTrue(err().contains("a name cannot contain spaces"), err());
    assertEquals(2, run("chat"));
  }

  @Test
  void aPortInUseIsAnEnvironmentError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      assertEquals(2, run("peer", "--name", "alice", "--port", String.valueOf(taken.getLocalPort())));
      assertTrue(err().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), err());
    }
  }

  @Test
  void asksServerportAndYourNameWhenNotGivenAndRetriesBadAnswers() throws Exception {
    try (FakePeer server = Peers.acceptingServer()) {
      String typed = "forty\n0\ntwo words\nbob\nregister\n";
      PipedOutputStream keys = new PipedOutputStream();
      PipedInputStream stdin = new PipedInputStream(keys);
      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
          () -> run(stdin, "peer", "--server", server.address().toString()));
      keys.write(typed.getBytes(UTF_8));
      keys.flush();

      assertEquals("bob", server.expect(Register.class, WAIT).getPeername());
      assertTrue(awaitOutput("Register Successful."), this::out);
      keys.close(); // end of input is exit

      assertEquals(0, exit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
      assertEquals("bob", server.expect(ExitNetwork.class, WAIT).getPeername());
      String shown = out();
      assertTrue(shown.startsWith("serverport: a port is a number from 0 to 65535 (0 picks a free one)\n"
          + "serverport: Your name: a name cannot contain spaces or control characters\nYour name: listening on 127.0.0.1:"),
          shown);
      assertTrue(shown.contains("command list:"), shown);
      assertTrue(shown.contains("Register Successful."), shown);
    }
  }

  @Test
  void scriptsReadOneCommandPerLineAndPrintPlainLines() throws Exception {
    try (FakePeer server = Peers.acceptingServer()) {
      String script = "help\nchat message nobody hi there\nyes\nexit\nregister\n";

      int code = run(new ByteArrayInputStream(script.getBytes(UTF_8)), "peer", "--name", "carol", "--port", "0",
          "--server", server.address().toString());

      assertEquals(0, code);
      String shown = out();
      assertTrue(shown.contains("\nnot connected to nobody (\"list connected peer\" shows who is)\n"
          + "no chat request is pending\n"), shown);
      server.expectNothing(Peers.QUIET); // nothing after exit ran; never registered, so no EXIT_NETWORK
    }
  }

  @Test
  void answeringServerportWithAPortInUseSaysItIsThisPeersOwnPort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String answers = taken.getLocalPort() + "\nbob\n";
      int code = run(new ByteArrayInputStream(answers.getBytes(UTF_8)), "peer", "--server", "127.0.0.1:1");
      assertEquals(2, code);
      assertTrue(out().startsWith("serverport: Your name: "), out()); // a script sees the 2018 questions
      assertTrue(err().contains("cannot listen on port " + taken.getLocalPort() + ": "), err());
      assertTrue(err().contains("(serverport asks for this peer's own port, not the server's;"), err());
    }
  }

  @Test
  void plainModeWithLogKeepsWarningsOffTheScreenAndInTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    java.nio.file.Path log = dir.resolve("sub").resolve("carol.log");
    PipedOutputStream keys = new PipedOutputStream();
    PipedInputStream in = new PipedInputStream(keys, 4096);
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> run(in, "peer", "--name", "carol",
        "--port", "0", "--server", "127.0.0.1:1", "--log", log.toString()));
    assertTrue(awaitOutput("listening on 127.0.0.1:"), this::out);
    String shown = out();
    int at = shown.indexOf("listening on 127.0.0.1:") + "listening on 127.0.0.1:".length();
    int port = Integer.parseInt(shown.substring(at, shown.indexOf('\n', at)).strip());
    try (FakePeer garbage = FakePeer.start()) {
      garbage.sendRaw(new org.p2pchat.protocol.HostPort("127.0.0.1", port), "not json at all".getBytes(UTF_8));
      assertTrue(awaitOutput("1 bad message ignored (see " + log.toAbsolutePath() + ")"), this::out);
    }
    keys.close();
    assertEquals(0, exit.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    String logged = java.nio.file.Files.readString(log, UTF_8);
    assertTrue(logged.contains("MALFORMED_JSON"), logged);
    assertTrue(!out().contains("MALFORMED_JSON") && !out().contains("WARN"), out());
  }
}
