package org.p2pchat.peer.internal;

import java.time.Duration;

/** Durations as people read them: {@code 60 s}, {@code 200 ms}. */
final class Durations {
  private Durations() {}

  static String describe(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
