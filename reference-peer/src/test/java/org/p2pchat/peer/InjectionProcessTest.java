package org.p2pchat.peer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.peer.Peers.WAIT;
import static org.p2pchat.peer.Peers.requestFrom;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.Printable;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.testing.FakePeer;

/**
 * The injection strings of issue 13 sent to a real peer process: chat text, a peer name, a msgtype and a
 * whole bad message carrying ESC/OSC/CSI sequences, BEL, C1 controls, bidi overrides, zero-width
 * characters and newlines. Its standard output, standard error and log file must hold none of them raw,
 * and no line may be forged.
 */
class InjectionProcessTest {
  private static final String OSC_CLEAR = "\u001b]0;pwned\u0007\u001b[2J";
  private static final List<String> EVIL = List.of(OSC_CLEAR + "title", "\u009b31mred", "\u202eevil\u202c",
      "att\u200bent", "one\nforged line", "cr\rover", "\u2028sep", "tab\there");

  @Test
  void nothingFromTheWireReachesTheTerminalOrTheLogRaw() throws Exception {
    Path log = Files.createTempFile("peer-injection", ".log");
    Path stderr = Files.createTempFile("peer-injection", ".err");
    try (FakePeer server = Peers.acceptingServer(); FakePeer patchouli = FakePeer.start()) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "-Duser.home=" + System.getProperty("user.home"),
          "org.p2pchat.peer.PeerMain", "peer", "--verbose",
          "--name", "alice", "--port", "0", "--server", server.address().toString(), "--log", log.toString())
          .redirectError(stderr.toFile())
          .start();
      ByteArrayOutputStream stdout = new ByteArrayOutputStream();
      Thread reader = new Thread(() -> copy(process.getInputStream(), stdout), "peer-stdout");
      reader.setDaemon(true);
      reader.start();
      try {
        HostPort address = HostPort.parse(awaitLine(stdout, "listening on ").substring(13));
        OutputStream stdin = process.getOutputStream();
        patchouli.send(address, requestFrom("patchouli", patchouli.address()));
        awaitLine(stdout, "Please enter");
        stdin.write("yes\n".getBytes(UTF_8));
        stdin.flush();
        patchouli.expect(ChatAccept.class, WAIT);

        for (String evil : EVIL) {
          patchouli.send(address, new ChatMessage().withPeername("patchouli").withMessage(evil));
        }
        // A name, a msgtype and a message that are wrong as well as hostile: rejected and logged.
        patchouli.sendRaw(address, ("{\"msgtype\": \"" + json(OSC_CLEAR) + "\\n2026 forged log line\", "
            + "\"msgdata\": {}}").getBytes(UTF_8));
        patchouli.sendRaw(address, ("{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \""
            + json("\u009b2J\u202e" + OSC_CLEAR) + "\", \"message\": \"" + json(OSC_CLEAR) + "\"}}").getBytes(UTF_8));
        patchouli.sendRaw(address, ("{\"msgtype\": \"CHAT_REQUEST\", \"msgdata\": {\"peername\": \""
            + json("\u009bmallory\u202e\u200b") + "\", \"host\": \"127.0.0.1\", \"port\": "
            + patchouli.address().port() + "}}").getBytes(UTF_8));
        // Order per sender: once this is shown, everything sent before it was handled.
        patchouli.send(address, new ChatMessage().withPeername("patchouli").withMessage("done"));
        awaitLine(stdout, "patchouli: done");
      } finally {
        process.getOutputStream().close();
        process.destroy();
        assertTrue(process.waitFor(15, TimeUnit.SECONDS), "peer did not stop");
        reader.join(5000);
      }
      String out = stdout.toString(UTF_8);
      assertClean("stdout", out);
      assertClean("stderr", Files.readString(stderr, UTF_8));
      String logged = Files.readString(log, UTF_8);
      assertClean("log", logged);
      assertTrue(out.contains("patchouli: \\u001b]0;pwned\\u0007\\u001b[2Jtitle"), out);
      assertTrue(out.contains("patchouli: one\\nforged line"), out);
      assertTrue(out.contains("patchouli: \\u202eevil\\u202c"), out);
      assertTrue(logged.contains("\\u001b]0;pwned"), "the bad msgtype is logged, escaped: " + logged);
      assertTrue(out.contains("chat_request: \\u009bmallory\\u202e\\u200b"), "the request's name, escaped: " + out);
      for (String text : List.of(out, logged)) {
        assertFalse(text.lines().anyMatch(l -> l.startsWith("forged") || l.startsWith("2026 forged")),
            "a forged line: " + text);
      }
    } finally {
      Files.deleteIfExists(log);
      Files.deleteIfExists(stderr);
    }
  }

  /** No code point that is unsafe on a terminal, except the line breaks between lines. */
  private static void assertClean(String what, String text) {
    int[] cps = text.codePoints().toArray();
    for (int i = 0; i < cps.length; i++) {
      int cp = cps[i];
      if (cp != '\n' && Printable.isUnsafe(cp)) {
        int from = Math.max(0, text.offsetByCodePoints(0, i) - 40);
        throw new AssertionError(what + " holds U+" + Integer.toHexString(cp) + " raw near: "
            + Printable.of(text.substring(from, Math.min(text.length(), from + 80))));
      }
    }
    assertEquals(-1, text.indexOf('\r'), what);
  }

  private static String json(String s) {
    StringBuilder out = new StringBuilder();
    for (char c : s.toCharArray()) {
      out.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
    }
    return out.toString();
  }

  private static void copy(InputStream in, ByteArrayOutputStream to) {
    byte[] buffer = new byte[8192];
    try (in) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        synchronized (to) {
          to.write(buffer, 0, n);
        }
      }
    } catch (java.io.IOException e) {
      // the process ended
    }
  }

  private static String awaitLine(ByteArrayOutputStream stdout, String prefix) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      String text;
      synchronized (stdout) {
        text = stdout.toString(UTF_8);
      }
      for (String line : text.split("\n")) {
        int at = line.indexOf(prefix);
        if (at >= 0) {
          return line.substring(at);
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no line with \"" + prefix + "\"; saw " + Printable.of(text));
      }
      synchronized (stdout) {
        stdout.wait(20); // the copying thread writes without notifying: poll briefly
      }
    }
  }
}
