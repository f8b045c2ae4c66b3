package org.p2pchat.peer.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * The chat screen's one line about bad input from the network: "N bad messages ignored (see LOG)", at
 * most once per {@code every}; the details are in the log. Pure: the caller passes the time and, when
 * {@link #count} holds a message back, calls {@link #flush} at {@link #nextLineAt}. Thread-safe.
 */
public final class BadMessageNotice {
  private final Duration every;
  private final String where;
  private Instant lastShown;
  private long held;

  /** {@code where} names the log in the line, e.g. {@code ~/.p2pchat/alice.log}. */
  public BadMessageNotice(Duration every, String where) {
    this.every = every;
    this.where = where;
  }

  /** Counts one bad message; returns the line to show now, or null if one was shown too recently. */
  public synchronized String count(Instant now) {
    held++;
    return flush(now);
  }

  /** The line for the messages held back, if it may be shown now; else null. */
  public synchronized String flush(Instant now) {
    if (held == 0 || (lastShown != null && now.isBefore(lastShown.plus(every)))) {
      return null;
    }
    String line = held + " bad message" + (held == 1 ? "" : "s") + " ignored (see " + where + ")";
    held = 0;
    lastShown = now;
    return line;
  }

  /** When the messages held back may be reported; null if none are held. */
  public synchronized Instant nextLineAt() {
    return held == 0 || lastShown == null ? null : lastShown.plus(every);
  }
}
