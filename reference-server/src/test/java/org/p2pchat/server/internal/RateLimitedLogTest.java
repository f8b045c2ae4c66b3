package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.helpers.MessageFormatter;

class RateLimitedLogTest {
  private final List<String> lines = new ArrayList<>();
  private final AtomicLong now = new AtomicLong(1_000);
  private final RateLimitedLog limited = new RateLimitedLog(capturing(false), 3, 100, "left out", now::get);

  /** A logger that keeps "LEVEL text" for each debug, info and warn call; debug is on or off. */
  private Logger capturing(boolean debug) {
    return (Logger) Proxy.newProxyInstance(Logger.class.getClassLoader(), new Class<?>[] {Logger.class},
        (proxy, method, args) -> {
          if (method.getName().equals("isDebugEnabled") && (args == null || args.length == 0)) {
            return debug;
          }
          if (List.of("debug", "info", "warn").contains(method.getName()) && args != null && args.length >= 2
              && args[0] instanceof String format) {
            Object[] rest = args.length == 2 && args[1] instanceof Object[] array ? array
                : java.util.Arrays.copyOfRange(args, 1, args.length);
            lines.add(method.getName().toUpperCase() + " " + MessageFormatter.arrayFormat(format, rest).getMessage());
          }
          return method.getReturnType() == boolean.class ? Boolean.TRUE : null;
        });
  }

  @Test
  void logsUpToTheBudgetThenCountsWhatItLeftOutOnTheNextLineOfANewWindow() {
    for (int i = 1; i <= 5; i++) {
      limited.info("line " + i);
    }
    assertEquals(List.of("INFO line 1", "INFO line 2", "INFO line 3"), lines);

    now.addAndGet(99);
    limited.warn("still the same window");
    assertEquals(3, lines.size(), "the window is 100 ns long: nothing more in it");

    now.addAndGet(1);
    limited.warn("a new window");
    assertEquals("WARN a new window (3 left out)", lines.get(3));
    limited.info("after the count");
    assertEquals("INFO after the count", lines.get(4), "the count is told once");
  }

  @Test
  void skipSpendsNothingWhileThereIsRoomAndCountsWhenThereIsNone() {
    assertFalse(limited.skip());
    assertFalse(limited.skip());
    limited.info("a");
    limited.info("b");
    limited.info("c");
    assertEquals(3, lines.size(), "two skips that said no took no room");
    assertTrue(limited.skip());
    assertTrue(limited.skip());
    now.addAndGet(100);
    assertFalse(limited.skip());
    limited.info("d");
    assertEquals("INFO d (2 left out)", lines.get(3), "skipped lines are counted as left out");
  }

  @Test
  void eventsAreRationedAtInfoAndAllLoggedAtDebug() {
    RateLimitedLog events = RateLimitedLog.events(capturing(false));
    int built = 0;
    for (int i = 0; i < RateLimitedLog.EVENTS_PER_SECOND + 10; i++) {
      if (!events.skipsEvent()) {
        built++;
        events.event("register n" + i);
      }
    }
    assertEquals(RateLimitedLog.EVENTS_PER_SECOND, built, "lines past the budget are not even built");
    assertEquals(RateLimitedLog.EVENTS_PER_SECOND, lines.size());
    assertTrue(lines.stream().allMatch(l -> l.startsWith("INFO register n")), lines.toString());

    lines.clear();
    RateLimitedLog everyOne = RateLimitedLog.events(capturing(true));
    for (int i = 0; i < RateLimitedLog.EVENTS_PER_SECOND + 10; i++) {
      assertFalse(everyOne.skipsEvent());
      everyOne.event("register n" + i);
    }
    assertEquals(RateLimitedLog.EVENTS_PER_SECOND + 10, lines.size());
    assertTrue(lines.stream().allMatch(l -> l.startsWith("DEBUG register n")), lines.toString());
  }
}
