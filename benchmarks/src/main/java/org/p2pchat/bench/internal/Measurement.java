package org.p2pchat.bench.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One figure of the report: the samples of one metric for one subject at one setting (for example the
 * floor's messages per second at concurrency 16), summarised as median, min and max. Immutable.
 *
 * @param section which benchmark it belongs to, e.g. {@code throughput}
 * @param subject what was measured, e.g. {@code floor}, {@code sdk}
 * @param param the setting, e.g. {@code 16} (concurrency) or {@code CHAT_MESSAGE}; empty if none
 * @param metric what the number is, e.g. {@code rate}
 * @param unit e.g. {@code msg/s}
 * @param samples one value a run, in run order
 */
public record Measurement(String section, String subject, String param, String metric, String unit,
    List<Double> samples) {

  public Measurement {
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("a measurement needs at least one sample: " + section + "/" + subject);
    }
    samples = List.copyOf(samples);
  }

  public static Measurement of(String section, String subject, String param, String metric, String unit,
      double... values) {
    List<Double> list = new ArrayList<>();
    for (double v : values) {
      list.add(v);
    }
    return new Measurement(section, subject, param, metric, unit, list);
  }

  /** The middle sample (mean of the two middle ones for an even count). */
  public double median() {
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  public double min() {
    return Collections.min(samples);
  }

  public double max() {
    return Collections.max(samples);
  }

  public int runs() {
    return samples.size();
  }

  /** True if this is the figure {@code section/subject/param/metric}. */
  public boolean is(String section, String subject, String param, String metric) {
    return this.section.equals(section) && this.subject.equals(subject) && this.param.equals(param)
        && this.metric.equals(metric);
  }
}
