package org.p2pchat.bench.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A finished benchmark run: what was asked, where it ran, when, and what it found.
 *
 * @param settings what was measured and how much
 * @param machine where
 * @param started when the run began
 * @param seconds how long it took
 * @param loadAtEnd the load average when it ended
 * @param results the figures, goals, checks, tables and notes
 */
public record Report(Settings settings, Machine machine, Instant started, double seconds, String loadAtEnd,
    Results results) {

  /** One sentence on the SDK against the connection floor, or empty if the throughput was not measured. */
  public Optional<String> headline() {
    List<Double> rate = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    for (Measurement m : results.measurements()) {
      if (m.section().equals(ThroughputBench.SECTION) && m.subject().equals(ThroughputBench.SDK)) {
        if (m.metric().equals("rate-ratio")) {
          rate.add(m.median());
        } else if (m.metric().equals("cpu-ratio")) {
          cpu.add(m.median());
        }
      }
    }
    if (rate.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of("With schema validation on, the SDK receives " + span(rate) + " the connection floor's "
        + "messages per second (goal ≥ " + Format.num("%.2f", ThroughputBench.RATE_GOAL) + "×, i.e. under 15 % on "
        + "top) and spends " + span(cpu) + " the floor receiver's CPU per message (goal ≤ "
        + Format.num("%.1f", ThroughputBench.CPU_GOAL) + "×), over concurrencies "
        + settings.concurrencies().get(0) + "–" + settings.concurrencies().get(settings.concurrencies().size() - 1)
        + ".");
  }

  private static String span(List<Double> values) {
    double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    return min == max || Format.num("%.2f", min).equals(Format.num("%.2f", max)) ? Format.num("%.2f×", min)
        : Format.num("%.2f", min) + "–" + Format.num("%.2f×", max);
  }

  /** The goals as a table. */
  public Table goalsTable() {
    List<List<String>> rows = new ArrayList<>();
    for (Goal goal : results.goals()) {
      rows.add(List.of(goal.name(), goal.target(), goal.actual(), goal.met() ? "met" : "MISSED", goal.margin()));
    }
    return new Table("goals", "Goals", List.of("goal", "target", "measured (median)", "result", "by how much"), rows,
        "");
  }
}
