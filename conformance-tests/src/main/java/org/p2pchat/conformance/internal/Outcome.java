package org.p2pchat.conformance.internal;

import java.nio.file.Path;
import org.p2pchat.conformance.Verdict;

/** What a case concluded. Immutable. */
public record Outcome(Verdict verdict, String expected, String actual, String details, Path replayFile) {
  public static Outcome pass(String expected, String actual) {
    return new Outcome(Verdict.PASS, expected, actual, "", null);
  }

  public static Outcome of(CaseFailure failure) {
    return new Outcome(failure.verdict(), failure.expected(), failure.actual(), "", null);
  }

  public Outcome withDetails(String moreDetails, Path file) {
    return new Outcome(verdict, expected, actual, moreDetails, file);
  }
}
