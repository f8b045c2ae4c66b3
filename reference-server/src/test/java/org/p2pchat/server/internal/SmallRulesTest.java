package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** The server's small rules: names, plurals, where state lives, how peer text is cleaned, how warnings are rationed. */
class SmallRulesTest {
  /** Keeps every WARN line as formatted. */
  private static final class RecordingLogger extends LegacyAbstractLogger {
    final List<String> warnings = new ArrayList<>();

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
        Throwable t) {
      if (level == Level.WARN) {
        warnings.add(MessageFormatter.basicArrayFormat(pattern, args));
      }
    }

    @Override
    public boolean isTraceEnabled() {
      return true;
    }

    @Override
    public boolean isDebugEnabled() {
      return true;
    }

    @Override
    public boolean isInfoEnabled() {
      return true;
    }

    @Override
    public boolean isWarnEnabled() {
      return true;
    }

    @Override
    public boolean isErrorEnabled() {
      return true;
    }
  }

  @Test
  void namesAreNfcAndInvisibleOrControlCharactersAreRefused() {
    String composed = "\u00e9";
    String decomposed = "e\u0301";
    assertEquals(Optional.of(composed), PeerNames.canonical(decomposed), "two spellings, one name");
    assertEquals(composed, PeerNames.lookup(decomposed));
    assertEquals(Optional.of("alice"), PeerNames.canonical("alice"));
    assertEquals(Optional.empty(), PeerNames.canonical("att\u200b"), "zero-width space");
    assertEquals(Optional.empty(), PeerNames.canonical("evil\u202e"), "bidi override");
    assertEquals(Optional.empty(), PeerNames.canonical("bell\u0007"), "control character");
    assertEquals("att\u200b", PeerNames.lookup("att\u200b"), "lookup only normalises");
  }

  @Test
  void peersArePluralExceptOne() {
    assertEquals("0 peers", Plural.peers(0));
    assertEquals("1 peer", Plural.peers(1));
    assertEquals("2 peers", Plural.peers(2));
  }

  @Test
  void stateLivesPerPortUnderHomeOrInAFreshTemporaryFile() throws Exception {
    Path forPort = StateLocations.forPort(5555);
    assertEquals(Path.of(System.getProperty("user.home"), ".p2pchat", "server-state-5555.jsonl"), forPort);
    assertNotEquals(forPort, StateLocations.forPort(5556), "servers on different ports never share a file");
    Path a = StateLocations.temporary();
    Path b = StateLocations.temporary();
    try {
      assertTrue(Files.exists(a) && Files.exists(b));
      assertNotEquals(a, b);
      assertTrue(a.getFileName().toString().startsWith("p2pchat-server-state-"), a.toString());
      assertTrue(a.getFileName().toString().endsWith(".jsonl"), a.toString());
    } finally {
      Files.deleteIfExists(a);
      Files.deleteIfExists(b);
    }
  }

  @Test
  void peerTextInALogLineHasNoControlCharactersAndIsBounded() {
    assertEquals("(none)", RendezvousHandlers.clean(null));
    assertEquals("alice", RendezvousHandlers.clean("alice"));
    assertEquals("a?b?c?", RendezvousHandlers.clean("a\nb\u001bc\u007f"));
    assertEquals(" ~", RendezvousHandlers.clean(" ~"), "space and tilde are printable");
    String sixtyFour = "x".repeat(64);
    assertEquals(sixtyFour, RendezvousHandlers.clean(sixtyFour), "64 characters: kept whole");
    assertEquals(sixtyFour + "...", RendezvousHandlers.clean(sixtyFour + "y"), "longer: cut at 64");
  }

  @Test
  void warningsBeyondTheWindowsBudgetAreCountedAndReportedWithTheNextLine() {
    RecordingLogger logger = new RecordingLogger();
    long window = TimeUnit.MILLISECONDS.toNanos(300);
    RateLimitedLog log = new RateLimitedLog(logger, 2, window);
    long start = System.nanoTime();
    log.warn("one");
    log.warn("two");
    log.warn("three");
    log.warn("four");
    boolean sameWindow = System.nanoTime() - start < window;
    if (sameWindow) {
      assertEquals(List.of("one", "two"), logger.warnings, "two a window");
    }
    // Past the window: the next line gets through and says how many were left out.
    long deadline = System.nanoTime() + 2 * window;
    while (System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
    log.warn("five");
    if (sameWindow) {
      assertEquals("five (2 similar lines left out)", logger.warnings.get(2));
      log.warn("six");
      assertEquals("six", logger.warnings.get(3), "the count is reported once");
    }
    assertTrue(logger.warnings.size() >= 3, String.valueOf(logger.warnings));
  }

  @Test
  void aLargeBudgetLogsEveryLineUnchanged() {
    RecordingLogger logger = new RecordingLogger();
    RateLimitedLog log = new RateLimitedLog(logger, 1_000, TimeUnit.HOURS.toNanos(1));
    for (int i = 0; i < 5; i++) {
      log.warn("line " + i);
    }
    assertEquals(List.of("line 0", "line 1", "line 2", "line 3", "line 4"), logger.warnings);
  }

  @Test
  void aBudgetOfOneInALongWindowLogsOnlyTheFirst() {
    RecordingLogger logger = new RecordingLogger();
    RateLimitedLog log = new RateLimitedLog(logger, 1, TimeUnit.HOURS.toNanos(1));
    log.warn("first");
    log.warn("second");
    log.warn("third");
    assertEquals(List.of("first"), logger.warnings);
  }
}
