package org.p2pchat.peer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one-line-a-minute notice about bad messages, and what network text may put on the screen. */
class QuietScreenTest {
  private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

  @Test
  void theFirstBadMessageShowsAtOnceThenAtMostOneLineAMinuteCountingTheRest() {
    BadMessageNotice notice = new BadMessageNotice(Duration.ofMinutes(1), "~/.p2pchat/alice.log");
    assertEquals("1 bad message ignored (see ~/.p2pchat/alice.log)", notice.count(T0));
    assertNull(notice.nextLineAt());
    assertNull(notice.count(T0.plusSeconds(1)));
    assertNull(notice.count(T0.plusSeconds(30)));
    assertEquals(T0.plusSeconds(60), notice.nextLineAt());
    assertNull(notice.flush(T0.plusSeconds(59)));
    assertEquals("2 bad messages ignored (see ~/.p2pchat/alice.log)", notice.flush(T0.plusSeconds(60)));
    assertNull(notice.flush(T0.plusSeconds(200)));
    assertEquals("1 bad message ignored (see ~/.p2pchat/alice.log)", notice.count(T0.plusSeconds(200)));
  }

  @Test
  void controlsEscapesBidiAndZeroWidthCharactersNeverReachTheScreen() {
    assertEquals("a\\u001b[2Jb", Lines.printable("a\u001B[2Jb"));
    assertEquals("x\\u009by", Lines.printable("x\u009By")); // C1 CSI
    assertEquals("\\u202eevil", Lines.printable("\u202Eevil")); // right-to-left override
    assertEquals("a\\u2066b\\u200bc\\ufeffd", Lines.printable("a\u2066b\u200Bc\uFEFFd"));
    assertEquals("line\\u2028two", Lines.printable("line\u2028two"));
    assertEquals("lone \\ud800", Lines.printable("lone \uD800"));
    assertEquals("one\\nline, C:\\\\dir", Lines.printable("one\nline, C:\\dir")); // unambiguous
    assertEquals("你好 😀", Lines.printable("你好 😀")); // text and emoji stay
    assertEquals("", Lines.printable(null));
  }

  @Test
  void theLastGuardEscapesOnlyWhatIsUnsafeAndLeavesEscapedTextAlone() {
    assertEquals("plain \\u001b text", Lines.safeLine("plain \\u001b text"));
    assertEquals("a\\u001b[2Jb\\u000a\\u202e", Lines.safeLine("a\u001B[2Jb\n\u202E"));
    assertEquals("😀\\u0085x", Lines.safeLine("😀\u0085x"));
    assertEquals("", Lines.safeLine(null));
  }

  @Test
  void ourPeerAdvertisesEofAndAPeerThatAdvertisedNothingIsA2018Program() {
    Capabilities caps = new Capabilities();
    assertEquals(java.util.Set.of("eof", "files"), caps.advertised());
    caps.record("bob", java.util.Set.of("eof", "something-new"));
    assertEquals(true, caps.has("bob", Capabilities.EOF));
    caps.record("bob", null); // a new request without features withdraws them
    assertEquals(false, caps.has("bob", Capabilities.EOF));
    assertEquals(false, caps.has("patchouli", Capabilities.EOF));
  }
}
