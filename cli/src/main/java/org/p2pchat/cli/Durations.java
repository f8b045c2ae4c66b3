package org.p2pchat.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The one duration grammar of every command line: a number of milliseconds ({@code 1500}), or a number
 * with a unit ({@code 250ms}, {@code 1.5s}, {@code 2m}), or ISO-8601 ({@code PT3S}).
 */
public final class Durations {
  private Durations() {}

  /** Parses {@code text}; throws IllegalArgumentException with a message fit for the user. */
  public static Duration parse(String text) {
    String v = text.trim().toLowerCase(Locale.ROOT);
    try {
      Duration d;
      if (v.startsWith("pt")) {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(millis(v.substring(0, v.length() - 2), 1));
      } else if (v.endsWith("s")) {
        d = Duration.ofMillis(millis(v.substring(0, v.length() - 1), 1_000));
      } else if (v.endsWith("m")) {
        d = Duration.ofMillis(millis(v.substring(0, v.length() - 1), 60_000));
      } else {
        d = Duration.ofMillis(millis(v, 1));
      }
      return d;
    } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration such as 1500 (ms), 250ms, 1.5s, 2m or PT3S");
    }
  }

  /** Parses {@code text} and requires it to be longer than zero. */
  public static Duration parsePositive(String text) {
    Duration d = parse(text);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("'" + text + "' must be longer than zero");
    }
    return d;
  }

  /** Returns {@code d} if it is longer than zero; otherwise throws naming {@code what}. */
  public static Duration positive(Duration d, String what) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " must be positive, got " + d);
    }
    return d;
  }

  /** A duration as people read it: {@code 60 s}, {@code 1.5 s}, {@code 200 ms}. */
  public static String describe(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + " ms";
    }
    return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static long millis(String number, long unitMillis) {
    return new BigDecimal(number.trim()).multiply(BigDecimal.valueOf(unitMillis)).longValueExact();
  }
}
