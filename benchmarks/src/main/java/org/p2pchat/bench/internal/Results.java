package org.p2pchat.bench.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the benchmarks found so far: figures, goals, checks, tables and notes, in the order they were
 * added. Filled by one thread, section after section; later sections may read earlier figures (the
 * server's floor is the connection floor measured before it).
 */
public final class Results {
  private final List<Measurement> measurements = new ArrayList<>();
  private final List<Goal> goals = new ArrayList<>();
  private final List<Check> checks = new ArrayList<>();
  private final List<Table> tables = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  public Measurement add(Measurement m) {
    measurements.add(m);
    return m;
  }

  public void goal(Goal goal) {
    goals.add(goal);
  }

  public void check(String name, boolean ok, String detail) {
    checks.add(new Check(name, ok, detail));
  }

  public void table(Table table) {
    tables.add(table);
  }

  public void note(String note) {
    notes.add(note);
  }

  public Optional<Measurement> find(String section, String subject, String param, String metric) {
    return measurements.stream().filter(m -> m.is(section, subject, param, metric)).findFirst();
  }

  public List<Measurement> measurements() {
    return List.copyOf(measurements);
  }

  public List<Goal> goals() {
    return List.copyOf(goals);
  }

  public List<Check> checks() {
    return List.copyOf(checks);
  }

  public List<Table> tables() {
    return List.copyOf(tables);
  }

  public List<String> notes() {
    return List.copyOf(notes);
  }

  public boolean allChecksPassed() {
    return checks.stream().allMatch(Check::ok);
  }
}
