package org.p2pchat.conformance.internal;

import org.p2pchat.conformance.Verdict;

/** Thrown by a case's checks to end it with a verdict other than PASS; keeps case code straight-line. */
public final class CaseFailure extends Exception {
  private final Verdict verdict;
  private final String expected;
  private final String actual;

  public CaseFailure(Verdict verdict, String expected, String actual) {
    super(verdict.label() + ": expected " + expected + ", actual " + actual, null, false, false);
    this.verdict = verdict;
    this.expected = expected;
    this.actual = actual;
  }

  public static CaseFailure fail(String expected, String actual) {
    return new CaseFailure(Verdict.FAIL, expected, actual);
  }

  public static CaseFailure nonStrict(String expected, String actual) {
    return new CaseFailure(Verdict.NON_STRICT, expected, actual);
  }

  public Verdict verdict() {
    return verdict;
  }

  public String expected() {
    return expected;
  }

  public String actual() {
    return actual;
  }
}
