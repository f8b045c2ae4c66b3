package org.p2pchat.peer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.p2pchat.peer.internal.JLineConsole;

/**
 * A recorded screen: every line shown, plus the commands typed, in order, and a way to wait for a line
 * to appear. Each wait looks only after the line the previous wait found. Thread-safe.
 */
public final class Screen implements PeerOutput {
  private final String label;
  private final List<String> lines = new ArrayList<>();
  private int cursor;

  public Screen(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  @Override
  public synchronized void line(String text) {
    lines.add(text);
    notifyAll();
  }

  /** Records a typed command the way the terminal shows it. */
  public synchronized void typed(String command) {
    lines.add(JLineConsole.PROMPT + command);
  }

  /**
   * Waits up to {@code timeout} for a line equal to {@code expected} after the last one found; true if
   * it came (and later waits look after it).
   */
  public synchronized boolean await(String expected, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (int i = cursor; i < lines.size(); i++) {
        if (lines.get(i).equals(expected)) {
          cursor = i + 1;
          return true;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /**
   * Waits up to {@code timeout} until every one of {@code expected} has shown after the last line found,
   * in any order (messages on separate connections may be handled in either order); true if they did.
   */
  public synchronized boolean awaitAll(java.util.Collection<String> expected, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> after = lines.subList(cursor, lines.size());
      if (after.containsAll(expected)) {
        int last = cursor;
        for (String line : expected) {
          last = Math.max(last, cursor + after.indexOf(line) + 1);
        }
        cursor = last;
        return true;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /**
   * Waits up to {@code timeout} for a line matching {@code test} after the last one found; true if it came
   * (and later waits look after it).
   */
  public synchronized boolean awaitMatching(java.util.function.Predicate<String> test, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (int i = cursor; i < lines.size(); i++) {
        if (test.test(lines.get(i))) {
          cursor = i + 1;
          return true;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  /** Every line so far. */
  public synchronized List<String> lines() {
    return new ArrayList<>(lines);
  }

  /** Lines not yet passed by a wait. */
  public synchronized List<String> unread() {
    return new ArrayList<>(lines.subList(cursor, lines.size()));
  }

  @Override
  public synchronized String toString() {
    return label + " " + lines;
  }
}
