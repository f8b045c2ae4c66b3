package org.p2pchat.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;

class SuiteReportTest {
  @Test
  void summaryCountsEveryVerdict() {
    SuiteReport report = Results.report(KnownFailures.none(), Results.of("a.one", Verdict.PASS),
        Results.of("a.two", Verdict.FAIL), Results.of("a.three", Verdict.NON_STRICT),
        Results.of("a.four", Verdict.UNAVAILABLE), Results.of("a.five", Verdict.PASS));
    assertEquals("5 cases: 2 passed, 1 failed, 1 non-strict, 1 unavailable", report.summary());
  }

  @Test
  void passesAndNonStrictExitZero() {
    assertEquals(0, Results.report(KnownFailures.none(), Results.of("a.one", Verdict.PASS),
        Results.of("a.two", Verdict.NON_STRICT)).exitCode());
  }

  @Test
  void anUnlistedFailureOrUnavailableCaseExitsOne() {
    assertEquals(1, Results.report(KnownFailures.none(), Results.of("a.one", Verdict.FAIL)).exitCode());
    assertEquals(1, Results.report(KnownFailures.none(), Results.of("a.one", Verdict.UNAVAILABLE)).exitCode());
  }

  @Test
  void listedFailuresDoNotFailTheRun() {
    KnownFailures known = KnownFailures.of(List.of("# our known gaps", "a.one   # tracked elsewhere", "", "a.two"));
    SuiteReport report = Results.report(known, Results.of("a.one", Verdict.FAIL),
        Results.of("a.two", Verdict.UNAVAILABLE), Results.of("a.three", Verdict.PASS));
    assertEquals(0, report.exitCode());
    assertTrue(report.isKnownFailure(report.results().get(0)));
  }

  @Test
  void aListedCaseThatPassesFailsTheRunAsStale() {
    SuiteReport report = Results.report(KnownFailures.of(List.of("a.one")), Results.of("a.one", Verdict.PASS));
    assertEquals(1, report.exitCode());
    assertEquals(List.of("a.one"), report.stale().stream().map(CaseResult::id).toList());
  }

  @Test
  void aTargetNeverReachedIsAnEnvironmentError() {
    SuiteReport report = new SuiteReport(HostPort.parse("127.0.0.1:1"), Role.SERVER, 1, Instant.now(), Duration.ZERO,
        List.of(Results.of("a.one", Verdict.UNAVAILABLE)), KnownFailures.of(List.of("a.one")), true);
    assertEquals(2, report.exitCode());
  }
}
