package org.p2pchat.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.p2pchat.conformance.testimpl.ReferenceTargets;
import org.p2pchat.conformance.testimpl.RunningTarget;

/** A correct implementation passes every generated sequence, whatever the seed. */
class SeedsTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} over seed {1}")
  @CsvSource({"server, 101", "server, 202", "server, 303", "peer, 101", "peer, 202", "peer, 303"})
  void theReferenceImplementationPassesGeneratedSequences(String role, long seed) throws Exception {
    Role r = Role.parse(role);
    try (RunningTarget target = r == Role.SERVER ? ReferenceTargets.server() : ReferenceTargets.peer()) {
      SuiteReport report = Suites.fast(target.address(), r, dir).seed(seed).sequences(3)
          .include(List.of("generated.*")).build().run(c -> { });
      String failures = report.newFailures().stream().map(CaseResult::describe).reduce("", String::concat);
      assertEquals(0, report.exitCode(), failures);
      assertEquals(3, report.count(Verdict.PASS));
      assertTrue(report.results().stream().allMatch(c -> c.wire().size() > 2), "each sequence talked to the target");
    }
  }
}
