package org.p2pchat.conformance;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.p2pchat.protocol.HostPort;

/**
 * The results of one run, with the known-failures list that judges them. Immutable.
 *
 * <p>Exit code: 0 if every case passed or was NON-STRICT (listed known failures allowed), 1 if a case failed
 * or was unavailable without being listed, or a listed case passed (stale), 2 if the target could never be
 * reached at all or cannot be tested this way (a peer that does not accept chat requests by itself).
 */
public final class SuiteReport {
  private final HostPort target;
  private final Role role;
  private final long seed;
  private final Instant startedAt;
  private final Duration duration;
  private final List<CaseResult> results;
  private final KnownFailures knownFailures;
  private final boolean unreachable;

  public SuiteReport(HostPort target, Role role, long seed, Instant startedAt, Duration duration,
      List<CaseResult> results, KnownFailures knownFailures, boolean unreachable) {
    this.target = target;
    this.role = role;
    this.seed = seed;
    this.startedAt = startedAt;
    this.duration = duration;
    this.results = List.copyOf(results);
    this.knownFailures = knownFailures;
    this.unreachable = unreachable;
  }

  public HostPort target() {
    return target;
  }

  public Role role() {
    return role;
  }

  public long seed() {
    return seed;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Duration duration() {
    return duration;
  }

  public List<CaseResult> results() {
    return results;
  }

  public KnownFailures knownFailures() {
    return knownFailures;
  }

  /** True if no connection to the target ever succeeded: a setup problem, not a verdict on the target. */
  public boolean unreachable() {
    return unreachable;
  }

  public long count(Verdict verdict) {
    return results.stream().filter(r -> r.verdict() == verdict).count();
  }

  /** Listed as known failures, and failed. */
  public boolean isKnownFailure(CaseResult result) {
    return result.verdict().isFailure() && knownFailures.contains(result.id());
  }

  /** Listed as known failures, but passed. */
  public boolean isStale(CaseResult result) {
    return result.verdict() == Verdict.PASS && knownFailures.contains(result.id());
  }

  /** Failures that are not listed as known. */
  public List<CaseResult> newFailures() {
    return results.stream().filter(r -> r.verdict().isFailure() && !knownFailures.contains(r.id()))
        .collect(Collectors.toList());
  }

  public List<CaseResult> stale() {
    return results.stream().filter(this::isStale).collect(Collectors.toList());
  }

  /**
   * The cases that did not run, collapsed to one line per reason: {@code 27 cases not run: the target stopped
   * answering at robustness.malformed-json input 3}, {@code 5 cases not applicable: ...}.
   */
  public List<String> collapsed() {
    List<String> lines = new java.util.ArrayList<>();
    for (Verdict verdict : List.of(Verdict.NOT_RUN, Verdict.NOT_APPLICABLE)) {
      List<CaseResult> skipped = results.stream().filter(r -> r.verdict() == verdict).collect(Collectors.toList());
      if (!skipped.isEmpty()) {
        lines.add(skipped.size() + (skipped.size() == 1 ? " case " : " cases ")
            + (verdict == Verdict.NOT_RUN ? "not run: " : "not applicable: ") + skipped.get(0).actual());
      }
    }
    return lines;
  }

  /**
   * Case id prefixes of optional features (docs/protocol.md#rule-v2-capabilities): a target without the feature
   * gets N/A for them, which says nothing against it, so they never make a run "cannot be tested" (exit 2).
   */
  static final List<String> OPTIONAL_FEATURES = List.of("mesh.");

  public int exitCode() {
    long blocking = results.stream().filter(r -> r.verdict() == Verdict.NOT_APPLICABLE)
        .filter(r -> OPTIONAL_FEATURES.stream().noneMatch(r.id()::startsWith)).count();
    if (unreachable || blocking > 0) {
      // Not a verdict on the target: it could not be reached, or cannot be tested this way.
      return 2;
    }
    return newFailures().isEmpty() && stale().isEmpty() ? 0 : 1;
  }

  /** {@code N cases: P passed, F failed, S non-strict, U unavailable}, then any not run or not applicable. */
  public String summary() {
    return results.size() + " cases: " + count(Verdict.PASS) + " passed, " + count(Verdict.FAIL) + " failed, "
        + count(Verdict.NON_STRICT) + " non-strict, " + count(Verdict.UNAVAILABLE) + " unavailable"
        + (count(Verdict.NOT_RUN) > 0 ? ", " + count(Verdict.NOT_RUN) + " not run" : "")
        + (count(Verdict.NOT_APPLICABLE) > 0 ? ", " + count(Verdict.NOT_APPLICABLE) + " not applicable" : "");
  }
}
