package org.p2pchat.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.p2pchat.cli.Durations;
import org.p2pchat.peer.Screen;

/**
 * The steps of a demo and what was observed: each step is a list of moves (an action, or a check of what a
 * screen shows within the step timeout); the first check that fails ends the script, and every later step is
 * skipped. {@link #finish} prints the screens and the verdict.
 */
final class Script {
  /** An action or a check; a check that fails calls {@link #fail}. */
  @FunctionalInterface
  interface Move {
    void run() throws InterruptedException;
  }

  private final PrintStream out;
  private final Duration stepTimeout;
  private final List<String> passed = new ArrayList<>();
  private String failedStep;
  private String failure;

  Script(PrintStream out, Duration stepTimeout) {
    this.out = out;
    this.stepTimeout = stepTimeout;
  }

  Duration stepTimeout() {
    return stepTimeout;
  }

  void step(String name, Move... moves) throws InterruptedException {
    if (failedStep != null) {
      return;
    }
    for (Move move : moves) {
      move.run();
      if (failure != null) {
        failedStep = name;
        out.println("[FAIL] " + name + ": " + failure);
        return;
      }
    }
    passed.add(name);
    out.println("[ok]   " + name);
  }

  /** Fails the current step with {@code why}. */
  void fail(String why) {
    failure = why;
  }

  /** The script was interrupted: it fails at the step it was in, or at the start. */
  void interrupted() {
    Thread.currentThread().interrupt();
    failedStep = failedStep != null ? failedStep : "(interrupted)";
  }

  void sees(Side side, String line) throws InterruptedException {
    if (!side.screen().await(line, stepTimeout)) {
      fail(side.name() + " did not show \"" + line + "\" within " + Durations.describe(stepTimeout));
    }
  }

  void seesStarting(Side side, String prefix) throws InterruptedException {
    seesMatching(side, l -> l.startsWith(prefix), "a line starting \"" + prefix + "\"");
  }

  void seesMatching(Side side, Predicate<String> line, String what) throws InterruptedException {
    if (side.screen().awaitMatching(line, stepTimeout) == null) {
      fail(side.name() + " did not show " + what + " within " + Durations.describe(stepTimeout));
    }
  }

  /** Checks {@code condition} every 10 ms until it holds or the step timeout passes. */
  void until(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + stepTimeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not observed within " + Durations.describe(stepTimeout) + ": " + what);
        return;
      }
      Thread.sleep(10);
    }
  }

  /** Prints each screen, then the verdict; 0 if every step was observed, 1 if not. */
  int finish(String title, List<Screen> screens) {
    out.println();
    for (Screen screen : screens) {
      out.println("---- " + screen.label() + "'s screen ----");
      screen.lines().forEach(out::println);
      out.println();
    }
    if (failedStep != null) {
      out.println(title + " FAILED at step \"" + failedStep + "\": " + failure);
      return 1;
    }
    out.println(title + " passed: every step was observed (" + String.join(", ", passed) + ")");
    return 0;
  }
}
