package org.p2pchat.conformance.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireLogTest {
  @Test
  void showsUtf8AsTextAndEscapesControlCharacters() {
    assertEquals("{\"m\": \"你好\\n\\x01\"}", WireLog.printable("{\"m\": \"你好\n\u0001\"}".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void showsBytesThatAreNotUtf8AsHex() {
    assertEquals("ab\\xc3(\\xff", WireLog.printable(new byte[] {'a', 'b', (byte) 0xC3, '(', (byte) 0xFF}));
  }

  @Test
  void cutsLongMessagesInTheMiddleAndSaysHowMuch() {
    String text = WireLog.printable("x".repeat(1024 * 1024).getBytes(StandardCharsets.US_ASCII));
    assertTrue(text.length() < 1000, "length " + text.length());
    assertTrue(text.contains("[" + (1024 * 1024 - 480 - 160) + " bytes left out]"), text);
  }
}
