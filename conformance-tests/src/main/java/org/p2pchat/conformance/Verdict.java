package org.p2pchat.conformance;

/** The outcome of one conformance case. */
public enum Verdict {
  /** The target did what the rule says. */
  PASS("PASS"),
  /** Legal, but not what the protocol recommends (for example it answered a message it could have dropped). */
  NON_STRICT("NON-STRICT"),
  /** The target broke the rule. */
  FAIL("FAIL"),
  /** The target stopped answering, so the case could not be judged. */
  UNAVAILABLE("UNAVAILABLE"),
  /** Not run: the target had stopped answering earlier in the run (reported once, collapsed). */
  NOT_RUN("NOT RUN"),
  /**
   * Not applicable to this target: in peer mode, a target that does not accept chat requests by itself; the
   * identity-v1 cases, against a target that does not advertise identity-v1.
   */
  NOT_APPLICABLE("N/A");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** The form reports print: {@code PASS}, {@code NON-STRICT}, {@code FAIL}, {@code UNAVAILABLE}. */
  public String label() {
    return label;
  }

  /** True for the verdicts of cases that did not run; reports collapse them into one line. */
  public boolean isSkipped() {
    return this == NOT_RUN || this == NOT_APPLICABLE;
  }

  /** True for verdicts that fail a run unless the case is a known failure. */
  public boolean isFailure() {
    return this == FAIL || this == UNAVAILABLE;
  }
}
