package org.p2pchat.conformance;

import java.io.PrintWriter;

/** Prints a run as it goes: a header, one line per case (with why, when it did not pass), and the summary. */
public final class ConsoleReporter {
  private final PrintWriter out;
  private final boolean verbose;
  private final KnownFailures known;

  /** {@code verbose} also prints each failure's wire log. */
  public ConsoleReporter(PrintWriter out, KnownFailures known, boolean verbose) {
    this.out = out;
    this.known = known;
    this.verbose = verbose;
  }

  public void header(ConformanceSuite suite) {
    out.printf("p2pchat conformance: %s target %s, %d cases, seed %d (repeat with --seed %d)%n",
        suite.role().label(), suite.target(), suite.cases().size(), suite.seed(), suite.seed());
    out.flush();
  }

  public void caseDone(CaseResult r) {
    if (r.verdict().isSkipped()) {
      return; // collapsed into one line by summary()
    }
    String mark = "";
    if (r.verdict().isFailure() && known.contains(r.id())) {
      mark = "  (known failure)";
    } else if (r.verdict() == Verdict.PASS && known.contains(r.id())) {
      mark = "  (STALE: listed as a known failure but passed)";
    }
    out.printf("%-11s %s  (%d ms)%s%n", r.verdict().label(), r.id(), r.duration().toMillis(), mark);
    if (r.verdict() != Verdict.PASS) {
      out.println("            rule:     " + r.info().ruleLink() + " (" + r.info().rule() + ")");
      out.println("            expected: " + r.expected());
      out.println("            actual:   " + r.actual());
      if (!r.details().isEmpty() && r.verdict() == Verdict.FAIL) {
        out.print(r.details().indent(12));
      }
      if (verbose && !r.wire().isEmpty()) {
        out.println("            wire log:");
        r.wire().forEach(e -> out.println("              " + e.format(r.startedAt())));
      }
    }
    out.flush();
  }

  public void summary(SuiteReport report) {
    report.collapsed().forEach(line -> out.printf("%-11s %s%n", "", line));
    out.println(report.summary() + " (" + report.duration().toMillis() / 1000.0 + " s)");
    long knownHit = report.results().stream().filter(report::isKnownFailure).count();
    if (knownHit > 0) {
      out.println(knownHit + " of them listed as known failures");
    }
    for (CaseResult stale : report.stale()) {
      out.println("stale known failure (it passed; remove it from the list): " + stale.id());
    }
    if (report.unreachable()) {
      out.println("the target " + report.target() + " could not be reached: is it running, and is --target right?");
    }
    out.flush();
  }
}
