package org.p2pchat.server.internal;

/** "1 peer", "2 peers": for log lines and output a person reads. */
public final class Plural {
  private Plural() {}

  public static String peers(int n) {
    return n == 1 ? "1 peer" : n + " peers";
  }
}
