package org.p2pchat.bench.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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

  /** One sentence: how many goals were met, missed, undecided and skipped. */
  public Optional<String> headline() {
    List<Goal> goals = results.goals();
    if (goals.isEmpty()) {
      return Optional.empty();
    }
    Map<Verdict, Long> by = new EnumMap<>(Verdict.class);
    for (Goal g : goals) {
      by.merge(g.verdict(), 1L, Long::sum);
    }
    return Optional.of(goals.size() + " goals: " + by.getOrDefault(Verdict.MET, 0L) + " met, "
        + by.getOrDefault(Verdict.MISSED, 0L) + " missed, " + by.getOrDefault(Verdict.UNDECIDED, 0L)
        + " undecided (machine busy), " + by.getOrDefault(Verdict.SKIPPED, 0L) + " skipped.");
  }

  /** The goals as a table: per goal, met, missed by how much, undecided (and why) or skipped. */
  public Table goalsTable() {
    List<List<String>> rows = new ArrayList<>();
    for (Goal goal : results.goals()) {
      rows.add(List.of(goal.name(), goal.target(), goal.actual(), goal.verdict().label(), goal.margin()));
    }
    return new Table("goals", "Goals", List.of("goal", "target", "measured", "verdict", "by how much / why"), rows,
        "from one run; UNDECIDED: other processes used more than "
            + Format.num("%.0f", Disturbance.DEFAULT_THRESHOLD) + " % of the machine's CPU during the run even after "
            + "redoing it, so a slow figure proves nothing");
  }
}
