package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The limit settings refuse nonsense, in the builder and on the command line (exit 2, one clear line). */
class LimitSettingsTest {
  @Test
  void theBuilderRefusesNonPositiveLimits() {
    RendezvousServer.Builder b = RendezvousServer.builder();
    assertThrows(IllegalArgumentException.class, () -> b.messagesPerSource(0));
    assertThrows(IllegalArgumentException.class, () -> b.messagesPerSource(-1));
    assertThrows(IllegalArgumentException.class, () -> b.messagesPerSource(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> b.messagesPerSource(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> b.listpeersPerSource(0));
    assertThrows(IllegalArgumentException.class, () -> b.maxNamesPerSource(0));
    assertThrows(IllegalArgumentException.class, () -> b.maxPeers(0));
    b.messagesPerSource(0.5).listpeersPerSource(1).maxNamesPerSource(1).maxPeers(1);
  }

  private static String[] run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ServerMain.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new String[] {String.valueOf(code), err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void theCommandLineRefusesBadLimitsWithExitTwo() {
    for (String[] args : new String[][] {
        {"server", "--port", "0", "--max-messages-per-source", "0"},
        {"server", "--port", "0", "--max-listpeers-per-source", "-1"},
        {"server", "--port", "0", "--max-names-per-source", "0"},
        {"server", "--port", "0", "--max-peers", "0"},
        {"server", "--port", "0", "--exempt-source", "example.org"}}) {
      String[] result = run(args);
      assertEquals("2", result[0], String.join(" ", args) + ": " + result[1]);
      assertTrue(result[1].contains("--max-") || result[1].contains("--exempt-source"), result[1]);
    }
  }
}
