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
    assertEquals("a?[2Jb", Lines.printable("a\u001B[2Jb"));
    assertEquals("x?y", Lines.printable("x\u009By")); // C1 CSI
    assertEquals("?evil", Lines.printable("\u202Eevil")); // right-to-left override
    assertEquals("a?b?c?d", Lines.printable("a\u2066b\u200Bc\uFEFFd"));
    assertEquals("line?two", Lines.printable("line\u2028two"));
    assertEquals("lone ?", Lines.printable("lone \uD800"));
    assertEquals("你好 😀 👨\u200D👩", Lines.printable("你好 😀 👨\u200D👩")); // text and emoji sequences stay
  }

  @Test
  void ourPeerAdvertisesEofAndAPeerThatAdvertisedNothingIsA2018Program() {
    Capabilities caps = new Capabilities();
    assertEquals(java.util.Set.of("eof"), caps.advertised());
    caps.record("bob", java.util.Set.of("eof", "something-new"));
    assertEquals(true, caps.has("bob", Capabilities.EOF));
    caps.record("bob", null); // a new request without features withdraws them
    assertEquals(false, caps.has("bob", Capabilities.EOF));
    assertEquals(false, caps.has("patchouli", Capabilities.EOF));
  }
}
