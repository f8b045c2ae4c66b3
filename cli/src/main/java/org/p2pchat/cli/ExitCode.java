package org.p2pchat.cli;

/** The one exit-code policy of every p2pchat command. */
public final class ExitCode {
  /** It ran and everything was fine (or --help / --version). */
  public static final int OK = 0;
  /** It ran and found a problem (an invalid message, a failed case, a step not observed). */
  public static final int PROBLEM = 1;
  /** Usage error, environment error (unreadable file, address in use) or internal error. */
  public static final int ERROR = 2;

  private ExitCode() {}
}
