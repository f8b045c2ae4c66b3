package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.p2pchat.protocol.model.ChatMessage;

/** Each bad input is reported with its reason, and the next valid message is still dispatched. */
class BadInputTest {
  private static Recorder recorder;

  @BeforeAll
  static void start() throws Exception {
    recorder = new Recorder(Node.builder().name("test").maxMessageBytes(4096).readTimeout(Duration.ofMillis(300)));
  }

  @AfterAll
  static void stop() {
    recorder.close();
  }

  static Stream<Arguments> badInputs() {
    byte[] oversize = new byte[5000];
    Arrays.fill(oversize, (byte) ' ');
    return Stream.of(
        Arguments.of("malformed JSON", bytes("{\"msgtype\": CHAT_MESSAGE}"), RejectReason.MALFORMED_JSON),
        Arguments.of("truncated JSON", bytes(Recorder.chat("a", "b").substring(0, 30)), RejectReason.MALFORMED_JSON),
        Arguments.of("non-UTF-8", new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, RejectReason.NOT_UTF8),
        Arguments.of("a JSON array", bytes("[1, 2, 3]"), RejectReason.INVALID),
        Arguments.of("an empty object", bytes("{}"), RejectReason.INVALID),
        Arguments.of("unknown msgtype", bytes("{\"msgtype\": \"SHOUT\", \"msgdata\": {}}"), RejectReason.UNKNOWN_TYPE),
        Arguments.of("missing field", bytes("{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"a\"}}"),
            RejectReason.INVALID),
        Arguments.of("mistyped field",
            bytes("{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": 7, \"message\": \"x\"}}"),
            RejectReason.INVALID),
        Arguments.of("over the size cap", oversize, RejectReason.TOO_LARGE),
        Arguments.of("two messages in one connection",
            bytes(Recorder.chat("a", "one") + Recorder.chat("a", "two")), RejectReason.TRAILING_DATA),
        Arguments.of("a valid type nobody handles",
            bytes("{\"msgtype\": \"REGISTER_SUCCESS\", \"msgdata\": {}}"), RejectReason.UNHANDLED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void reportsBadInputAndServesTheNextMessage(String name, byte[] bad, RejectReason expected) throws Exception {
    recorder.sendRaw(bad);
    Rejection rejection = recorder.nextRejection();
    assertEquals(expected, rejection.reason(), rejection.toString());
    assertNextMessageServed(name);
  }

  @Test
  void reportsAnEmptyConnectionAndServesTheNextMessage() throws Exception {
    recorder.connect().close();
    assertEquals(RejectReason.EMPTY, recorder.nextRejection().reason());
    assertNextMessageServed("empty");
  }

  @Test
  void cutsOffAHalfMessageThatStallsPastTheReadDeadline() throws Exception {
    try (Socket stalled = recorder.connect()) {
      OutputStream out = stalled.getOutputStream();
      out.write(bytes(Recorder.chat("a", "half").substring(0, 20)));
      out.flush();
      Rejection rejection = recorder.nextRejection();
      assertEquals(RejectReason.READ_TIMEOUT, rejection.reason(), rejection.toString());
      // The listener closed its side: our next read sees end of stream rather than hanging.
      stalled.setSoTimeout(5000);
      assertEquals(-1, stalled.getInputStream().read());
    }
    assertNextMessageServed("stalled");
  }

  @Test
  void countsEveryRejectionByReason() throws Exception {
    long before = recorder.node.counters().rejected(RejectReason.UNKNOWN_TYPE);
    recorder.sendRaw(bytes("{\"msgtype\": \"NOPE\", \"msgdata\": {}}"));
    recorder.nextRejection();
    assertEquals(before + 1, recorder.node.counters().rejected(RejectReason.UNKNOWN_TYPE));
    assertNextMessageServed("count");
  }

  private static void assertNextMessageServed(String after) throws Exception {
    recorder.sendRaw(Recorder.chat("carol", "after " + after));
    ChatMessage m = recorder.nextMessage();
    assertEquals("after " + after, m.getMessage());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
