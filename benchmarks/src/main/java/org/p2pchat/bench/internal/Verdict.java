package org.p2pchat.bench.internal;

/**
 * What one run says about a goal. A slow figure on a busy machine proves nothing, so it is
 * {@link #UNDECIDED}, never {@link #MISSED}; a ratio against a floor measured beside it is undecided
 * whenever the machine was busy (the disturbance may have fallen on either side), while an absolute
 * goal met on a busy machine stays met (the others' work can only have slowed us).
 */
public enum Verdict {
  MET("met"),
  MISSED("MISSED"),
  UNDECIDED("UNDECIDED"),
  SKIPPED("skipped");

  private final String label;

  Verdict(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** How a disturbance can move a goal's figure. */
  public enum Kind {
    /** A figure of ours alone (a rate, a time): others' work can only make it worse. */
    ABSOLUTE,
    /** Ours against a floor measured in the same run: a disturbance may favour either side. */
    RATIO,
    /** Correctness (nothing lost, order kept): a busy machine is no excuse. */
    CORRECTNESS
  }

  /** The verdict for a figure that {@code met} its goal or not, measured with {@code disturbance}. */
  public static Verdict decide(boolean met, Disturbance disturbance, Kind kind) {
    if (kind == Kind.CORRECTNESS || !disturbance.disturbed()) {
      return met ? MET : MISSED;
    }
    return met && kind == Kind.ABSOLUTE ? MET : UNDECIDED;
  }
}
