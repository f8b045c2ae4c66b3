package org.p2pchat.server.internal;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine;

/** Reads {@code 500ms}, {@code 3s}, {@code 2m} or ISO-8601 ({@code PT3S}) as a positive duration. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      if (v.startsWith("pt")) {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      } else if (v.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      } else {
        throw new CommandLine.TypeConversionException("'" + value + "' needs a unit: 500ms, 3s or 2m");
      }
    } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a duration such as 500ms, 3s or 2m");
    }
    if (d.isNegative() || d.isZero()) {
      throw new CommandLine.TypeConversionException("'" + value + "' must be longer than zero");
    }
    return d;
  }
}
