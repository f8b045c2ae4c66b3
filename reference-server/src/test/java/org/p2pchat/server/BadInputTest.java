package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.sdk.RejectReason;
import org.p2pchat.testing.FakePeer;

/**
 * Bad input against the running server: each is rejected for the right reason, and the next valid
 * REGISTER is still answered.
 */
class BadInputTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final int MAX_BYTES = 4096;

  @TempDir
  static Path dir;

  private static RendezvousServer server;
  private static FakePeer peer;
  private static final AtomicInteger next = new AtomicInteger();

  @BeforeAll
  static void start() throws IOException {
    server = RendezvousServer.builder().port(0).stateFile(dir.resolve("state.jsonl"))
        .maxMessageBytes(MAX_BYTES).readTimeout(Duration.ofMillis(500)).build().start();
    peer = FakePeer.start();
  }

  @AfterAll
  static void stop() {
    peer.close();
    server.stop(Duration.ofSeconds(5));
  }

  /** Something sent to the server that is not a message it can serve. */
  @FunctionalInterface
  interface BadInput {
    void sendTo(HostPort server) throws Exception;
  }

  private static BadInput bytes(String text) {
    return to -> Raw.send(to, text.getBytes(StandardCharsets.UTF_8));
  }

  private static BadInput bytes(byte[] raw) {
    return to -> Raw.send(to, raw);
  }

  private static String register(String fields) {
    return "{\"msgtype\": \"REGISTER\", \"msgdata\": {" + fields + "}}";
  }

  static Stream<Arguments> battery() {
    String valid = register("\"peername\": \"twice\", \"host\": \"127.0.0.1\", \"port\": 4000");
    return Stream.of(
        Arguments.of("malformed JSON", bytes("{\"msgtype\": REGISTER}"), RejectReason.MALFORMED_JSON),
        Arguments.of("truncated message", bytes(valid.substring(0, 30)), RejectReason.MALFORMED_JSON),
        Arguments.of("plain text", bytes("register\n"), RejectReason.MALFORMED_JSON),
        Arguments.of("white space only", bytes("   \n"), RejectReason.MALFORMED_JSON),
        Arguments.of("not UTF-8", bytes(new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', '}'}),
            RejectReason.NOT_UTF8),
        Arguments.of("JSON array", bytes("[\"REGISTER\", {}]"), RejectReason.INVALID),
        Arguments.of("empty object", bytes("{}"), RejectReason.INVALID),
        Arguments.of("JSON string", bytes("\"REGISTER\""), RejectReason.INVALID),
        Arguments.of("unknown msgtype", bytes("{\"msgtype\": \"HELLO\", \"msgdata\": {}}"), RejectReason.UNKNOWN_TYPE),
        Arguments.of("msgdata not an object", bytes("{\"msgtype\": \"REGISTER\", \"msgdata\": \"alice\"}"),
            RejectReason.INVALID),
        Arguments.of("missing port", bytes(register("\"peername\": \"x\", \"host\": \"localhost\"")),
            RejectReason.INVALID),
        Arguments.of("port as a string", bytes(register("\"peername\": \"x\", \"host\": \"localhost\", \"port\": \"4000\"")),
            RejectReason.INVALID),
        Arguments.of("port out of range", bytes(register("\"peername\": \"x\", \"host\": \"localhost\", \"port\": 70000")),
            RejectReason.INVALID),
        Arguments.of("empty peername", bytes(register("\"peername\": \"\", \"host\": \"localhost\", \"port\": 4000")),
            RejectReason.INVALID),
        Arguments.of("control character in peername",
            bytes(register("\"peername\": \"a\\u0007b\", \"host\": \"localhost\", \"port\": 4000")), RejectReason.INVALID),
        Arguments.of("over the size cap", bytes(register("\"peername\": \"" + "x".repeat(MAX_BYTES)
            + "\", \"host\": \"localhost\", \"port\": 4000")), RejectReason.TOO_LARGE),
        Arguments.of("empty connection", bytes(new byte[0]), RejectReason.EMPTY),
        Arguments.of("two messages in one connection", bytes(valid + valid), RejectReason.TRAILING_DATA),
        Arguments.of("a reply type sent to the server", bytes("{\"msgtype\": \"REGISTER_SUCCESS\", \"msgdata\": {}}"),
            RejectReason.UNHANDLED),
        Arguments.of("a chat message sent to the server",
            bytes("{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"a\", \"message\": \"hi\"}}"),
            RejectReason.UNHANDLED),
        Arguments.of("half a message that stalls past the read deadline", (BadInput) BadInputTest::stall,
            RejectReason.READ_TIMEOUT));
  }

  /** Sends half a REGISTER, then, with the connection still open, checks the server serves others. */
  private static void stall(HostPort to) throws Exception {
    try (Socket socket = Raw.connect(to)) {
      OutputStream out = socket.getOutputStream();
      out.write(register("\"peername\": \"stall").getBytes(StandardCharsets.UTF_8));
      out.flush();
      nextRegisterIsAnswered();
      long before = server.counters().rejected(RejectReason.READ_TIMEOUT);
      Poll.until(WAIT, () -> server.counters().rejected(RejectReason.READ_TIMEOUT) > before,
          () -> "stalled connection not cut off: " + server.counters());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("battery")
  void badInputIsRejectedAndNextRegisterIsAnswered(String what, BadInput input, RejectReason reason) throws Exception {
    long before = server.counters().rejected(reason);

    input.sendTo(server.address());

    Poll.until(WAIT, () -> server.counters().rejected(reason) > before,
        () -> what + " not rejected as " + reason + ": " + server.counters());
    nextRegisterIsAnswered();
    assertTrue(server.registry().snapshot().keySet().stream().allMatch(name -> name.startsWith("next-")),
        () -> "bad input registered something: " + server.registry().snapshot().keySet());
  }

  private static void nextRegisterIsAnswered() throws Exception {
    String name = "next-" + next.incrementAndGet();
    peer.send(server.address(), new Register().withPeername(name).withHost(peer.address().host())
        .withPort(peer.address().port()));
    peer.expect(RegisterSuccess.class, WAIT);
  }
}
