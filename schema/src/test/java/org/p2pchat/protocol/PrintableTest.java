package org.p2pchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrintableTest {
  /** The injection strings of issue 13, and the other families the escaping covers. */
  static final String[] HOSTILE = {
      "\u001b]0;pwned\u0007\u001b[2J",
      "REGISTER\n2026-01-01 INFO forged line",
      "\u009b31mred",
      "evil\u202etxt.exe",
      "att\u200b",
      "a\u2066b\u2069c\u202ad\u202ce",
      "\u0000nul\u007fdel\r",
      "zw\u200c\u200d\u2060\ufeff",
      "line\u2028para\u2029",
      "lone\ud800surrogate",
  };

  @Test
  void noUnsafeCodePointSurvives() {
    for (String s : HOSTILE) {
      String out = Printable.of(s);
      assertFalse(Printable.hasUnsafe(out), () -> "raw unsafe code point left in " + out);
      assertTrue(out.chars().allMatch(c -> c >= 0x20 && c != 0x7f), out);
    }
  }

  @Test
  void escapesAreExactAndUnambiguous() {
    assertEquals("\\u001b]0;pwned\\u0007\\u001b[2J", Printable.of("\u001b]0;pwned\u0007\u001b[2J"));
    assertEquals("a\\nb\\rc\\td", Printable.of("a\nb\rc\td"));
    assertEquals("\\u009b", Printable.of("\u009b"));
    assertEquals("evil\\u202etxt", Printable.of("evil\u202etxt"));
    assertEquals("att\\u200b", Printable.of("att\u200b"));
    assertEquals("\\u2066\\u2069", Printable.of("\u2066\u2069"));
    assertEquals("back\\\\slash \\\\u001b", Printable.of("back\\slash \\u001b"));
    assertEquals("\\ud800", Printable.of("\ud800"));
    assertEquals("null", Printable.of((String) null));
    assertEquals("null", Printable.of((Object) null));
  }

  @Test
  void printableTextOfAnyScriptIsKept() {
    String plain = "alice Ålesund 東京 😀 +-_.:;[]{}\"'";
    assertSame(plain, Printable.of(plain));
    assertFalse(Printable.hasUnsafe(plain));
    assertEquals("ok", Printable.of((Object) new StringBuilder("ok")));
  }

  @Test
  void unsafeClassesAreThoseNamed() {
    assertTrue(Printable.isUnsafe(0x1b));
    assertTrue(Printable.isUnsafe(0x85));
    assertTrue(Printable.isUnsafe(0x202e));
    assertTrue(Printable.isUnsafe(0x200b));
    assertTrue(Printable.isUnsafe(0x2028));
    assertFalse(Printable.isUnsafe('a'));
    assertFalse(Printable.isUnsafe(' '));
    assertFalse(Printable.isUnsafe(0x1F600));
  }
}
