package org.p2pchat.conformance;

import java.nio.file.Path;
import java.time.Duration;
import org.p2pchat.protocol.HostPort;

/** Suite settings for the self-tests: short waits and few sequences, so the module's tests stay quick. */
final class Suites {
  private Suites() {}

  static ConformanceSuite.Builder fast(HostPort target, Role role, Path sequenceDir) {
    return ConformanceSuite.builder()
        .target(target)
        .role(role)
        .replyTimeout(Duration.ofMillis(1500))
        .silence(Duration.ofMillis(150))
        .idleConnections(20)
        .sequences(3)
        .maxActions(12)
        .maxShrinks(1)
        .maxShrinkRuns(60)
        .shrinkBudget(Duration.ofSeconds(20))
        .sequenceDir(sequenceDir);
  }
}
