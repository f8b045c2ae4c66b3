package org.p2pchat.conformance;

import java.math.BigDecimal;
import java.time.Duration;
import picocli.CommandLine;

/** Reads {@code 500ms}, {@code 2s}, {@code 1.5s}, or a plain number of milliseconds. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      Duration d;
      if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
      } else if (v.endsWith("s")) {
        d = Duration.ofMillis(new BigDecimal(v.substring(0, v.length() - 1).trim()).movePointRight(3).longValueExact());
      } else {
        d = Duration.ofMillis(Long.parseLong(v));
      }
      if (d.isNegative() || d.isZero()) {
        throw new CommandLine.TypeConversionException("'" + value + "' must be more than zero");
      }
      return d;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 500ms, 2s or 1500");
    }
  }
}
