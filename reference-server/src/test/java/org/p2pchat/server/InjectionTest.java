package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.Printable;
import org.p2pchat.sdk.Listener;
import org.p2pchat.sdk.Rejection;

/**
 * The injection strings of issue 13 reach neither the server's event lines nor its log raw, and names
 * that differ only by invisible characters are refused, NFC spellings are one name.
 */
class InjectionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] HOSTILE = {
      "\u001b]0;pwned\u0007\u001b[2J",
      "x\n2026-01-01 00:00:00 INFO forged line",
      "c1\u009b31m",
      "evil\u202etxt",
      "att\u200b",
      "iso\u2066late\u2069",
  };

  @TempDir
  Path dir;

  @Test
  void hostileStringsReachNoLogOrEventRaw() throws Exception {
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    Listener peer = Listener.builder().build().start(new Listener.FrameSink() {
      @Override
      public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
        replies.add(new String(frame, StandardCharsets.UTF_8));
      }

      @Override
      public void onRejected(Rejection rejection) {
      }
    });
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream realErr = System.err;
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (peer; RendezvousServer server = RendezvousServer.builder().port(0).host("127.0.0.1")
        .stateFile(dir.resolve("state.jsonl")).events(events::add).build().start()) {
      HostPort to = server.address();
      int port = peer.address().port();
      int sent = 0;
      for (String hostile : HOSTILE) {
        Raw.send(to, JSON.writeValueAsString(Map.of("msgtype", hostile, "msgdata", Map.of("peername", hostile))));
        Raw.send(to, register(hostile, port));
        Raw.send(to, JSON.writeValueAsString(Map.of("msgtype", "EXIT_NETWORK", "msgdata", Map.of("peername", hostile))));
        sent += 3;
      }
      Raw.send(to, register("att", port));
      Raw.send(to, register("e\u0301", port)); // "é" spelt decomposed
      Raw.send(to, register("\u00e9", port)); // "é" precomposed: the same name
      sent += 3;
      int all = sent;
      Poll.until(Duration.ofSeconds(30), () -> server.counters().received() >= all,
          () -> "received " + server.counters().received() + " of " + all);
      // Replies to the REGISTERs that were valid: wait for the last ones in order of the rule.
      Poll.until(Duration.ofSeconds(30), () -> server.registry().contains("\u00e9")
          && replies.stream().filter(r -> r.contains("REGISTER_ERROR")).count() >= 2,
          () -> "replies so far " + replies);

      assertTrue(server.registry().contains("att"));
      assertFalse(server.registry().contains("att\u200b"), "an invisible character makes no second name");
      assertFalse(server.registry().contains("e\u0301"), "names are stored NFC");
      assertTrue(server.registry().snapshot().keySet().stream().noneMatch(Printable::hasUnsafe),
          () -> "registered: " + server.registry().snapshot().keySet());
    } finally {
      System.setErr(realErr);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    realErr.print(log);
    assertTrue(log.contains("pwned"), "the hostile msgtype was logged (escaped): " + log);
    for (String line : log.split("\n", -1)) {
      assertFalse(Printable.hasUnsafe(line), () -> "raw control or bidi character in log line: " + Printable.of(line));
      assertFalse(line.startsWith("2026-01-01"), () -> "forged log line: " + line);
    }
    synchronized (events) {
      assertTrue(events.stream().anyMatch(e -> e.contains("refused: the name holds invisible")), events::toString);
      for (String e : events) {
        assertFalse(Printable.hasUnsafe(e), () -> "raw control or bidi character in event: " + Printable.of(e));
      }
    }
  }

  private static String register(String name, int port) throws Exception {
    return JSON.writeValueAsString(Map.of("msgtype", "REGISTER",
        "msgdata", Map.of("peername", name, "host", "127.0.0.1", "port", port)));
  }
}
