package org.p2pchat.bench.internal;

/**
 * One stated goal checked against a measured figure. Immutable.
 *
 * @param name what the goal is about, e.g. {@code peer CPU per message, C ÷ ours, 16 senders}
 * @param target the goal in words, e.g. {@code ≥ 0.75×}
 * @param actual the measured value, in the goal's unit
 * @param verdict met, missed, undecided (the machine was busy) or skipped (could not be measured)
 * @param margin how far from the goal, in words, e.g. {@code missed by 12.3 %}
 * @param machine the disturbance of the runs behind the figure, e.g. {@code load 3.27, other CPU 41%}
 */
public record Goal(String name, String target, String actual, Verdict verdict, String margin, String machine) {

  public boolean met() {
    return verdict == Verdict.MET;
  }

  /** A goal that {@code value} be at most {@code limit}. */
  public static Goal atMost(String name, double value, double limit, String unit, String format, Disturbance d,
      Verdict.Kind kind) {
    boolean met = value <= limit;
    double off = (value - limit) / limit * 100;
    return of(name, "≤ " + Format.num(format, limit) + unit, Format.num(format, value) + unit, met, off, d, kind);
  }

  /** A goal that {@code value} be at least {@code limit}. */
  public static Goal atLeast(String name, double value, double limit, String unit, String format, Disturbance d,
      Verdict.Kind kind) {
    boolean met = value >= limit;
    double off = (limit - value) / limit * 100;
    return of(name, "≥ " + Format.num(format, limit) + unit, Format.num(format, value) + unit, met, off, d, kind);
  }

  /** A correctness goal: holds or not, whatever the machine did. */
  public static Goal holds(String name, String target, boolean ok, String detail) {
    return new Goal(name, target, detail, ok ? Verdict.MET : Verdict.MISSED, ok ? "met" : "failed: " + detail, "");
  }

  /** A goal that could not be measured, e.g. with no C compiler. */
  public static Goal skipped(String name, String target, String why) {
    return new Goal(name, target, "-", Verdict.SKIPPED, "skipped: " + why, "");
  }

  private static Goal of(String name, String target, String actual, boolean met, double off, Disturbance d,
      Verdict.Kind kind) {
    Verdict verdict = Verdict.decide(met, d, kind);
    String margin = switch (verdict) {
      case MET -> Format.num("met, %.1f %% to spare", -off) + (d.disturbed() ? " (on a busy machine)" : "");
      case MISSED -> Format.num("missed by %.1f %%", off);
      case UNDECIDED -> "UNDECIDED: machine busy (" + d.describe() + ")"
          + (met ? "" : Format.num("; %.1f %% short as measured", off));
      case SKIPPED -> "skipped";
    };
    return new Goal(name, target, actual, verdict, margin, d.describe());
  }
}
