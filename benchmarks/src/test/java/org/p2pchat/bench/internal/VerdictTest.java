package org.p2pchat.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict logic: met, missed, undecided on a busy machine, skipped; no timing. */
class VerdictTest {
  private static final Disturbance QUIET = new Disturbance(0.5, 3, 15);
  private static final Disturbance BUSY = new Disturbance(3.7, 48, 15);

  @Test
  void quietMachineGivesMetOrMissed() {
    assertEquals(Verdict.MET, Verdict.decide(true, QUIET, Verdict.Kind.RATIO));
    assertEquals(Verdict.MISSED, Verdict.decide(false, QUIET, Verdict.Kind.RATIO));
    assertEquals(Verdict.MISSED, Verdict.decide(false, QUIET, Verdict.Kind.ABSOLUTE));
  }

  @Test
  void busyMachineNeverGivesMissed() {
    for (Verdict.Kind kind : List.of(Verdict.Kind.RATIO, Verdict.Kind.ABSOLUTE)) {
      assertEquals(Verdict.UNDECIDED, Verdict.decide(false, BUSY, kind), kind.name());
    }
  }

  @Test
  void busyMachineLeavesARatioUndecidedEvenIfMetButKeepsAnAbsoluteGoalMet() {
    assertEquals(Verdict.UNDECIDED, Verdict.decide(true, BUSY, Verdict.Kind.RATIO));
    assertEquals(Verdict.MET, Verdict.decide(true, BUSY, Verdict.Kind.ABSOLUTE));
  }

  @Test
  void correctnessIgnoresTheMachine() {
    assertEquals(Verdict.MISSED, Verdict.decide(false, BUSY, Verdict.Kind.CORRECTNESS));
    assertEquals(Verdict.MET, Verdict.decide(true, BUSY, Verdict.Kind.CORRECTNESS));
  }

  @Test
  void disturbanceIsAboveTheThresholdOnlyAndUnknownIsQuiet() {
    assertFalse(new Disturbance(1, 15, 15).disturbed());
    assertTrue(new Disturbance(1, 15.1, 15).disturbed());
    assertFalse(Disturbance.NONE.disturbed());
    assertEquals(BUSY, Disturbance.worst(List.of(QUIET, BUSY, Disturbance.NONE)));
  }

  @Test
  void undecidedGoalSaysWhyWithLoadAndOthersCpu() {
    Goal g = Goal.atLeast("peer CPU ratio", 0.40, 0.75, "×", "%.2f", BUSY, Verdict.Kind.RATIO);
    assertEquals(Verdict.UNDECIDED, g.verdict());
    assertTrue(g.margin().startsWith("UNDECIDED: machine busy (load 3.70, other CPU 48%)"), g.margin());
    assertFalse(g.met());
  }

  @Test
  void missedGoalSaysByHowMuchAndSkippedSaysWhy() {
    Goal g = Goal.atMost("server CPU per op", 300, 250, " µs", "%.0f", QUIET, Verdict.Kind.ABSOLUTE);
    assertEquals(Verdict.MISSED, g.verdict());
    assertEquals("missed by 20.0 %", g.margin());
    Goal s = Goal.skipped("peer vs C", "≥ 0.75×", "no gcc");
    assertEquals(Verdict.SKIPPED, s.verdict());
    assertEquals("skipped: no gcc", s.margin());
  }

  @Test
  void othersCpuIsAShareOfTheWholeMachineClampedToItsRange() {
    assertEquals(25.0, MachineMonitor.otherPercent(50, 200), 1e-9);
    assertEquals(0.0, MachineMonitor.otherPercent(-3, 200), 1e-9);
    assertEquals(100.0, MachineMonitor.otherPercent(900, 200), 1e-9);
    // user nice system idle iowait irq softirq steal: interrupts are not counted, steal is.
    assertEquals(10 + 1 + 5 + 2, MachineMonitor.busyTicksOf("cpu  10 1 5 1000 7 3 4 2 0 0"));
  }
}
