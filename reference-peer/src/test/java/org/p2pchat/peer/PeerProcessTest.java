package org.p2pchat.peer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.peer.Peers.WAIT;
import static org.p2pchat.peer.Peers.requestFrom;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.Disconnect;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.testing.FakePeer;

/** The peer as its own process: SIGTERM leaves like exit, and the exit code is 0. */
class PeerProcessTest {
  @Test
  void sigtermDisconnectsLeavesTheNetworkAndExitsZero() throws Exception {
    try (FakePeer server = Peers.acceptingServer(); FakePeer patchouli = FakePeer.start()) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Duser.home=" + System.getProperty("user.home"),
          "org.p2pchat.peer.PeerMain", "peer",
          "--name", "alice", "--port", "0", "--server", server.address().toString(),
          "--log", Files.createTempFile("peer-process", ".log").toString()) // not ~/.p2pchat
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      try {
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
          try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
              lines.add(line);
            }
          } catch (java.io.IOException e) {
            lines.add("(stdout failed: " + e + ")");
          }
        }, "peer-stdout");
        reader.setDaemon(true);
        reader.start();
        HostPort address = HostPort.parse(awaitLineStartingWith(lines, "listening on ").substring(13));
        OutputStream stdin = process.getOutputStream();

        stdin.write("register\n".getBytes(UTF_8));
        stdin.flush();
        server.expect(Register.class, WAIT);
        awaitLineStartingWith(lines, "Register Successful.");
        patchouli.send(address, requestFrom("patchouli", patchouli.address()));
        awaitLineStartingWith(lines, "Please enter");
        stdin.write("yes\n".getBytes(UTF_8));
        stdin.flush();
        patchouli.expect(ChatAccept.class, WAIT);

        process.destroy(); // SIGTERM

        assertTrue(process.waitFor(10, TimeUnit.SECONDS), "peer did not stop on SIGTERM");
        assertEquals(0, process.exitValue());
        assertEquals("alice", patchouli.expect(Disconnect.class, WAIT).getPeername());
        assertEquals("alice", server.expect(ExitNetwork.class, WAIT).getPeername());
      } finally {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private static String awaitLineStartingWith(LinkedBlockingQueue<String> lines, String prefix)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<String> seen = new java.util.ArrayList<>();
    while (true) {
      String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertNotNull(line, "no line starting with \"" + prefix + "\"; saw " + seen);
      if (line.startsWith(prefix)) {
        return line;
      }
      seen.add(line);
    }
  }
}
