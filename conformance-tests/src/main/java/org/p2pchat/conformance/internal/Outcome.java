package org.p2pchat.conformance.internal;

import java.nio.file.Path;
import org.p2pchat.conformance.Verdict;

/**
 * What a case concluded. Immutable. {@code stoppedAt} is set when the target stopped answering during the
 * case, and says where, shortly ({@code input 3}, {@code step 10}); the run then reports the rest as not run.
 */
public record Outcome(Verdict verdict, String expected, String actual, String details, Path replayFile,
    String stoppedAt) {
  public Outcome(Verdict verdict, String expected, String actual, String details, Path replayFile) {
    this(verdict, expected, actual, details, replayFile, null);
  }

  public static Outcome pass(String expected, String actual) {
    return new Outcome(Verdict.PASS, expected, actual, "", null);
  }

  public static Outcome of(CaseFailure failure) {
    return new Outcome(failure.verdict(), failure.expected(), failure.actual(), "", null);
  }

  /** The target stopped answering after {@code where}: a FAIL that names the place. */
  public static Outcome of(TargetStopped stopped) {
    return new Outcome(Verdict.FAIL, stopped.expected(), stopped.actual(), "", null, stopped.where());
  }

  public Outcome withDetails(String moreDetails, Path file) {
    return new Outcome(verdict, expected, actual, moreDetails, file, stoppedAt);
  }
}
