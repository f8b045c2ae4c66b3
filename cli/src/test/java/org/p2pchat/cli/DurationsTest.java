package org.p2pchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationsTest {
  @Test
  void readsEveryFormOfTheOneGrammar() {
    assertEquals(Duration.ofMillis(1500), Durations.parse("1500"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s"));
    assertEquals(Duration.ofMillis(250), Durations.parse("250ms"));
    assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
    assertEquals(Duration.ofSeconds(3), Durations.parse("PT3S"));
    assertEquals(Duration.ofSeconds(3), Durations.parse(" 3S "));
  }

  @Test
  void rejectsNonsenseAndNonPositiveDurations() {
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parse("1.0005s"));
    assertThrows(IllegalArgumentException.class, () -> Durations.parsePositive("0ms"));
    assertThrows(IllegalArgumentException.class, () -> Durations.positive(Duration.ofSeconds(-1), "x"));
    assertThrows(CommandLine.TypeConversionException.class, () -> new DurationConverter().convert("-5s"));
  }

  @Test
  void unwrapsOnlyCompletionExceptions() {
    IllegalStateException cause = new IllegalStateException("x");
    assertEquals(cause, Failures.unwrap(new CompletionException(cause)));
    RuntimeException plain = new RuntimeException(cause);
    assertEquals(plain, Failures.unwrap(plain));
  }

  @Test
  void describesDurationsAsPeopleReadThem() {
    assertEquals("200 ms", Durations.describe(Duration.ofMillis(200)));
    assertEquals("60 s", Durations.describe(Duration.ofSeconds(60)));
    assertEquals("1.5 s", Durations.describe(Duration.ofMillis(1500)));
  }
}
