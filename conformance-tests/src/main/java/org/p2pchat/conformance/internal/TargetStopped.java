package org.p2pchat.conformance.internal;

/**
 * The target stopped answering in the middle of a case: it refuses connections, or no longer answers a fresh
 * valid message. {@code where} names the input or step after which it stopped ({@code input 3}).
 */
public final class TargetStopped extends Exception {
  private final String where;
  private final String expected;
  private final String actual;

  public TargetStopped(String where, String expected, String actual) {
    super(actual, null, false, false);
    this.where = where;
    this.expected = expected;
    this.actual = actual;
  }

  public String where() {
    return where;
  }

  public String expected() {
    return expected;
  }

  public String actual() {
    return actual;
  }
}
