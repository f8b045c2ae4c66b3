package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line's checks, in process and without starting a server: each bad value is refused with its own
 * line and exit 2, and each boundary value passes its check, shown by the next check (a later bad value) being
 * the one reported. Only the last case gets as far as binding, to a port already taken.
 */
class ServerMainArgsTest {
  @TempDir
  Path dir;

  private record Result(int code, String err) {
    String firstLine() {
      return err.lines().findFirst().orElse("");
    }
  }

  private static Result run(String... args) {
    // --log-level sets the logger's default for a JVM about to start; this one keeps what it had.
    String level = System.getProperty("org.slf4j.simpleLogger.defaultLogLevel");
    try {
      return runHere(args);
    } finally {
      if (level == null) {
        System.clearProperty("org.slf4j.simpleLogger.defaultLogLevel");
      } else {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
      }
    }
  }

  private static Result runHere(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ServerMain.run(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Result(code, err.toString(StandardCharsets.UTF_8));
  }

  private static String[] server(String... args) {
    List<String> all = new ArrayList<>(List.of("server"));
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }

  /** Exit 2, and the first line of stderr names {@code expected}. */
  private static void refused(String expected, String... args) {
    Result r = run(server(args));
    assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
    assertTrue(r.firstLine().contains(expected), String.join(" ", args) + ": expected '" + expected + "', got: "
        + r.firstLine());
  }

  @Test
  void thePortIsZeroTo65535() {
    refused("--port must be 0-65535, got -1", "--port", "-1");
    refused("--port must be 0-65535, got 65536", "--port", "65536");
    refused("--max-message-bytes must be at least 2", "--port", "65535", "--max-message-bytes", "1");
    refused("--max-message-bytes must be at least 2", "--port", "0", "--max-message-bytes", "1");
  }

  @Test
  void messagesAreAtLeastTwoBytesAndASourceHoldsAtLeastOneConnection() {
    refused("--max-connections-per-source must be at least 1, got 0", "--port", "0", "--max-message-bytes", "2",
        "--max-connections-per-source", "0");
    refused("--max-messages-per-source and --max-listpeers-per-source must be positive", "--port", "0",
        "--max-connections-per-source", "1", "--max-messages-per-source", "0");
  }

  @Test
  void rateLimitsArePositiveAndFiniteAndCountsAtLeastOne() {
    String message = "--max-messages-per-source and --max-listpeers-per-source must be positive";
    for (String[] bad : new String[][] {
        {"--max-messages-per-source", "0"}, {"--max-messages-per-source", "-1"},
        {"--max-messages-per-source", "Infinity"}, {"--max-messages-per-source", "NaN"},
        {"--max-listpeers-per-source", "0"}, {"--max-listpeers-per-source", "Infinity"},
        {"--max-listpeers-per-source", "NaN"},
        {"--max-names-per-source", "0"}, {"--max-peers", "0"}}) {
      refused(message, "--port", "0", bad[0], bad[1]);
    }
    // The smallest accepted values: the next check (the log level) is the one that refuses.
    refused("--log-level must be error, warn, info or debug, got loud", "--port", "0",
        "--max-messages-per-source", "0.001", "--max-listpeers-per-source", "0.001", "--max-names-per-source", "1",
        "--max-peers", "1", "--log-level", "loud");
  }

  @Test
  void anExemptSourceIsAnIpLiteral() {
    refused("--exempt-source must be an IP address, got example.org", "--port", "0", "--exempt-source",
        "example.org");
    refused("--exempt-source must be an IP address, got 999.1.1.1", "--port", "0", "--exempt-source", "999.1.1.1");
    refused("--log-level must be", "--port", "0", "--exempt-source", "192.0.2.1", "--exempt-source", "::1",
        "--log-level", "loud");
  }

  @Test
  void theLeaseIsAtLeastThreeSeconds() {
    refused("--lease must be at least 3s, got PT2S", "--port", "0", "--lease", "2s");
    refused("--lease must be at least 3s", "--port", "0", "--log-level", "debug", "--lease", "2s");
    // 3 s passes: the registry URL is the next check.
    Result r = run(server("--port", "0", "--lease", "3s", "--registry", "ftp://nowhere"));
    assertEquals(2, r.code(), r.err());
    assertTrue(r.firstLine().startsWith("p2pchat server"), r.err());
    assertTrue(!r.err().contains("--lease"), r.err());
  }

  @Test
  void eitherAStateFileOrARegistry() {
    Path state = dir.resolve("state.jsonl");
    refused("give either --state or --registry, not both", "--port", "0", "--state", state.toString(),
        "--registry", "file:" + dir.resolve("other.jsonl"));
    refused("give either --state or --registry, not both", "--port", "0", "--state", state.toString(),
        "--registry", "jdbc:postgresql://localhost:5432/p2pchat?user=p2pchat");
    // The same file twice is one registry: the identity (here a directory, not a key file) is the next check.
    Result r = run(server("--port", "0", "--state", state.toString(), "--registry", "file:" + state,
        "--identity", dir.toString()));
    assertEquals(2, r.code(), r.err());
    assertTrue(r.firstLine().startsWith("p2pchat server"), r.err());
    assertTrue(!r.err().contains("not both"), r.err());
  }

  @Test
  void aServerThatCannotBindExitsTwoWithOneLine() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (ServerSocket taken = new ServerSocket(0, 1, loopback)) {
      Result r = run(server("--host", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()),
          "--state", dir.resolve("state.jsonl").toString(), "--identity", dir.resolve("identity").toString(),
          "--lease", "3s", "--max-peers", "1", "--exempt-source", "127.0.0.1"));
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("p2pchat server"), r.err());
      assertTrue(Files.exists(dir.resolve("identity")), "the identity was created before the bind failed");
    }
  }
}
