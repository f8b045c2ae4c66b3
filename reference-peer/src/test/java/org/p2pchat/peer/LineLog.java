package org.p2pchat.peer;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A peer's output for tests: waits, with a deadline, for the next line that matches. */
final class LineLog implements PeerOutput {
  private final String label;
  private final List<String> lines = new ArrayList<>();
  private int cursor;

  LineLog(String label) {
    this.label = label;
  }

  @Override
  public synchronized void line(String text) {
    lines.add(text);
    notifyAll();
  }

  /** The next line after the last one found that contains {@code part}; fails after {@code timeout}. */
  String await(String part, Duration timeout) throws InterruptedException {
    return await(l -> l.contains(part), "containing \"" + part + "\"", timeout);
  }

  synchronized String await(Predicate<String> match, String what, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (int i = cursor; i < lines.size(); i++) {
        if (match.test(lines.get(i))) {
          cursor = i + 1;
          return lines.get(i);
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        fail(label + " never showed a line " + what + "; it showed " + lines.subList(cursor, lines.size()));
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }

  synchronized List<String> all() {
    return List.copyOf(lines);
  }
}
