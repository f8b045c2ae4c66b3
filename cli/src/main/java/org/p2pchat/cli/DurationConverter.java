package org.p2pchat.cli;

import java.time.Duration;
import picocli.CommandLine;

/** picocli's face of {@link Durations}: a positive duration in the one grammar. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    try {
      return Durations.parsePositive(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }
}
