package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LogBudgetTest {
  @Test
  void logsUpToTheBudgetThenHoldsBackAndReportsHowManyInTheNextSecond() {
    AtomicLong clock = new AtomicLong();
    LogBudget budget = new LogBudget(3, clock::get);
    assertEquals(0, budget.take());
    assertEquals(0, budget.take());
    assertEquals(0, budget.take());
    assertEquals(-1, budget.take());
    assertEquals(-1, budget.take());
    clock.addAndGet(1_000_000_000L);
    assertEquals(2, budget.take(), "the first line of the next second says two were held back");
    assertEquals(0, budget.take());
    assertEquals(0, budget.take());
    assertEquals(-1, budget.take());
  }
}
