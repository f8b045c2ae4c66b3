package org.p2pchat.conformance.internal;

import java.nio.file.Path;
import java.time.Duration;
import org.p2pchat.conformance.Role;
import org.p2pchat.protocol.HostPort;

/**
 * Everything a run needs to know, fixed before it starts. Immutable.
 *
 * @param advertiseHost the host the suite's simulated peers put in their messages
 * @param bindHost the address the suite's listeners bind (loopback, or all interfaces for a remote target)
 * @param replyTimeout how long to wait for a reply the rule requires
 * @param silence how long to watch for messages where the rule requires silence
 * @param sequenceDir where failing generated sequences are written
 */
public record Settings(
    HostPort target,
    Role role,
    String advertiseHost,
    String bindHost,
    Duration replyTimeout,
    Duration silence,
    Duration connectTimeout,
    int idleConnections,
    long seed,
    int sequences,
    int maxActions,
    int maxShrinks,
    int maxShrinkRuns,
    Duration shrinkBudget,
    Path sequenceDir) {

  /** The longest a single case may take before the runner gives up on it. */
  public Duration caseDeadline() {
    // A generated case is its first run, the shrink (whose last candidate may start just before the budget
    // ends) and one more run of the result.
    Duration perStep = replyTimeout.plus(silence).plus(connectTimeout);
    Duration perRun = perStep.multipliedBy(Math.max(12, maxActions + 4));
    return perRun.multipliedBy(3).plus(shrinkBudget).plus(Duration.ofSeconds(10));
  }
}
