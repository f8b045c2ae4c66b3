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
  UNAVAILABLE("UNAVAILABLE");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  /** The form reports print: {@code PASS}, {@code NON-STRICT}, {@code FAIL}, {@code UNAVAILABLE}. */
  public String label() {
    return label;
  }

  /** True for verdicts that fail a run unless the case is a known failure. */
  public boolean isFailure() {
    return this == FAIL || this == UNAVAILABLE;
  }
}
