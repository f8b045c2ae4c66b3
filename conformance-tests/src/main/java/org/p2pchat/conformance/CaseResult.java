package org.p2pchat.conformance;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of running one case: its verdict, what the rule expected and what the target did, the
 * timestamped wire log, the duration and, for a failing generated sequence, the replayable file. Immutable.
 */
public final class CaseResult {
  private final CaseInfo info;
  private final Verdict verdict;
  private final String expected;
  private final String actual;
  private final String details;
  private final Instant startedAt;
  private final Duration duration;
  private final List<WireEvent> wire;
  private final Path replayFile;

  public CaseResult(CaseInfo info, Verdict verdict, String expected, String actual, String details,
      Instant startedAt, Duration duration, List<WireEvent> wire, Path replayFile) {
    this.info = Objects.requireNonNull(info);
    this.verdict = Objects.requireNonNull(verdict);
    this.expected = Objects.requireNonNull(expected);
    this.actual = Objects.requireNonNull(actual);
    this.details = details == null ? "" : details;
    this.startedAt = Objects.requireNonNull(startedAt);
    this.duration = Objects.requireNonNull(duration);
    this.wire = List.copyOf(wire);
    this.replayFile = replayFile;
  }

  public CaseInfo info() {
    return info;
  }

  public String id() {
    return info.id();
  }

  public Verdict verdict() {
    return verdict;
  }

  /** What the rule asks for, in a sentence. */
  public String expected() {
    return expected;
  }

  /** What the target did, in a sentence. */
  public String actual() {
    return actual;
  }

  /** More lines for people: for a generated sequence, the (shrunk) steps. Empty if none. */
  public String details() {
    return details;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Duration duration() {
    return duration;
  }

  /** Every message sent and received during the case, in time order. */
  public List<WireEvent> wire() {
    return wire;
  }

  /** The JSON-lines file that replays a failing generated sequence. */
  public Optional<Path> replayFile() {
    return Optional.ofNullable(replayFile);
  }

  /** Several lines: verdict and id, expected, actual, details, and the wire log. */
  public String describe() {
    StringBuilder sb = new StringBuilder();
    sb.append(verdict.label()).append(' ').append(id()).append('\n')
        .append("  rule:     ").append(info.ruleLink()).append(": ").append(info.rule()).append('\n')
        .append("  expected: ").append(expected).append('\n')
        .append("  actual:   ").append(actual).append('\n');
    if (!details.isEmpty()) {
      sb.append(details.indent(2));
    }
    if (!wire.isEmpty()) {
      sb.append("  wire log:\n");
      for (WireEvent event : wire) {
        sb.append("    ").append(event.format(startedAt)).append('\n');
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return verdict.label() + " " + id();
  }
}
