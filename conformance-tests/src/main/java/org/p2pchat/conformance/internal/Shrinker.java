package org.p2pchat.conformance.internal;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * Shrinks a failing sequence to a small one that still fails, by delta debugging against the real target:
 *
 * <ol>
 *   <li>keep only the steps up to the one that failed, then try that step alone;
 *   <li>drop chunks of steps: halves, then quarters, and so on down to single steps (any candidate that
 *       still fails is kept, cut after its own failing step, and the search goes on from it);
 *   <li>simplify values: each step's simpler variants (no padding, peer#0, the plainest bad input or chat
 *       line), then each name to its plainest form ({@code n3}).
 * </ol>
 *
 * Every candidate is a real run (the {@link Oracle}). Any failure counts, not only the original one: the
 * result is always a sequence that fails. Bounded by a number of runs and a time budget; a target that
 * becomes unavailable stops the search with the smallest sequence found so far.
 */
public final class Shrinker {
  /** Runs a candidate against the target. */
  @FunctionalInterface
  public interface Oracle {
    SequenceRunner.Result test(Sequence candidate) throws InterruptedException;
  }

  /** The smallest failing sequence found, its failing run, the runs it took and why it stopped early (or null). */
  public record Shrunk(Sequence sequence, SequenceRunner.Result result, int runs, String stoppedEarly) {
    /** True if shrinking stopped because the target went down: nothing more could be learnt. */
    public boolean targetDown() {
      return stoppedEarly != null && stoppedEarly.startsWith(TARGET_DOWN);
    }
  }

  private static final String TARGET_DOWN = "the target going down";

  private final Oracle oracle;
  private final int maxRuns;
  private final long deadline;
  private Sequence best;
  private SequenceRunner.Result bestResult;
  private int runs;
  private String stopped;

  private Shrinker(Oracle oracle, int maxRuns, Duration budget) {
    this.oracle = oracle;
    this.maxRuns = maxRuns;
    this.deadline = System.nanoTime() + budget.toNanos();
  }

  /** Shrinks {@code failing}, whose run {@code failure} failed. */
  public static Shrunk shrink(Sequence failing, SequenceRunner.Result failure, Oracle oracle, int maxRuns,
      Duration budget) throws InterruptedException {
    Shrinker s = new Shrinker(oracle, maxRuns, budget);
    s.best = failing.prefix(failure.failedStep() + 1);
    s.bestResult = failure;
    s.run();
    return new Shrunk(s.best, s.bestResult, s.runs, s.stopped);
  }

  private void run() throws InterruptedException {
    if (best.size() > 1) {
      attempt(best.without(0, best.size() - 1));
    }
    dropChunks();
    simplifyValues();
  }

  private void dropChunks() throws InterruptedException {
    int parts = 2;
    while (best.size() >= 2 && stopped == null) {
      int chunk = (best.size() + parts - 1) / parts;
      boolean reduced = false;
      for (int from = 0; from < best.size() && stopped == null; from += chunk) {
        Sequence candidate = best.without(from, Math.min(from + chunk, best.size()));
        if (candidate.size() > 0 && attempt(candidate)) {
          parts = Math.max(parts - 1, 2);
          reduced = true;
          break;
        }
      }
      if (!reduced) {
        if (chunk == 1) {
          return;
        }
        parts = Math.min(parts * 2, best.size());
      }
    }
  }

  private void simplifyValues() throws InterruptedException {
    boolean changed = true;
    while (changed && stopped == null) {
      changed = false;
      for (int i = 0; i < best.size() && stopped == null; i++) {
        for (Action variant : best.actions().get(i).simpler()) {
          if (i < best.size() && attempt(best.with(i, variant))) {
            changed = true;
            break;
          }
        }
      }
      for (int name : usedNames()) {
        String plain = Generator.simplest(name);
        if (stopped == null && name < best.names().size() && !best.name(name).equals(plain)
            && attempt(best.withName(name, plain))) {
          changed = true;
        }
      }
    }
  }

  private Set<Integer> usedNames() {
    Set<Integer> used = new HashSet<>();
    for (Action action : best.actions()) {
      if (action instanceof Action.Register r) {
        used.add(r.name());
      } else if (action instanceof Action.Listpeer l) {
        used.add(l.name());
      } else if (action instanceof Action.Exit e) {
        used.add(e.name());
      } else if (action instanceof Action.ChatRequest c) {
        used.add(c.peer());
      } else if (action instanceof Action.ChatMessage m) {
        used.add(m.peer());
      } else if (action instanceof Action.Disconnect d) {
        used.add(d.peer());
      }
    }
    return used;
  }

  /** Runs {@code candidate}; if it fails, it becomes the best (cut after its failing step) and true is returned. */
  private boolean attempt(Sequence candidate) throws InterruptedException {
    if (runs >= maxRuns) {
      stopped = "the limit of " + maxRuns + " runs";
      return false;
    }
    if (System.nanoTime() - deadline > 0) {
      stopped = "the time budget";
      return false;
    }
    runs++;
    SequenceRunner.Result result = oracle.test(candidate);
    if (result.targetDown()) {
      stopped = TARGET_DOWN + " (" + result.actual() + ")";
      return false;
    }
    if (result.failed()) {
      best = candidate.prefix(result.failedStep() + 1);
      bestResult = result;
      return true;
    }
    return false;
  }
}
