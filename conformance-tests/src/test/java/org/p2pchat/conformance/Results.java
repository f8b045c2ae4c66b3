package org.p2pchat.conformance;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;

/** Hand-made results for testing reports and exit codes without a target. */
final class Results {
  private Results() {}

  static CaseResult of(String id, Verdict verdict) {
    Instant start = Instant.parse("2024-01-01T00:00:00Z");
    List<WireEvent> wire = List.of(
        new WireEvent(start.plusMillis(3), WireEvent.Direction.SENT, "target 127.0.0.1:30000", 12,
            "{\"msgtype\": \"REGISTER\"} <script>&"),
        new WireEvent(start.plusMillis(9), WireEvent.Direction.RECEIVED, "peer A 127.0.0.1:4000", 5, "\\x01bad"));
    return new CaseResult(new CaseInfo(id, "describes " + id, "rule-register", "a rule for " + id, EnumSet.of(Role.SERVER)),
        verdict, "REGISTER_ERROR at peer B", "got REGISTER_SUCCESS at peer B <b>", "step 1\nstep 2", start,
        Duration.ofMillis(42), wire, null);
  }

  static SuiteReport report(KnownFailures known, CaseResult... results) {
    return new SuiteReport(org.p2pchat.protocol.HostPort.parse("127.0.0.1:30000"), Role.SERVER, 7,
        Instant.parse("2024-01-01T00:00:00Z"), Duration.ofSeconds(3), List.of(results), known, false);
  }
}
