package org.p2pchat.bench.internal;

/**
 * One stated goal checked against a measured figure. Immutable.
 *
 * @param name what the goal is about, e.g. {@code throughput vs floor, concurrency 16}
 * @param target the goal in words, e.g. {@code ≥ 0.87×}
 * @param actual the measured value, in the goal's unit
 * @param met whether the measured value meets the goal
 * @param margin how far from the goal, in words, e.g. {@code missed by 12.3 %}
 */
public record Goal(String name, String target, String actual, boolean met, String margin) {

  /** A goal that {@code value} be at most {@code limit}. */
  public static Goal atMost(String name, double value, double limit, String unit, String format) {
    boolean met = value <= limit;
    double off = (value - limit) / limit * 100;
    return new Goal(name, "≤ " + Format.num(format, limit) + unit, Format.num(format, value) + unit, met,
        met ? Format.num("met, %.1f %% to spare", -off) : Format.num("missed by %.1f %%", off));
  }

  /** A goal that {@code value} be at least {@code limit}. */
  public static Goal atLeast(String name, double value, double limit, String unit, String format) {
    boolean met = value >= limit;
    double off = (limit - value) / limit * 100;
    return new Goal(name, "≥ " + Format.num(format, limit) + unit, Format.num(format, value) + unit, met,
        met ? Format.num("met, %.1f %% to spare", -off) : Format.num("missed by %.1f %%", off));
  }
}
