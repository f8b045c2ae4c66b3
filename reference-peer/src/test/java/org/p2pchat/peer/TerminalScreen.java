package org.p2pchat.peer;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** What a terminal program wrote, with the escape sequences taken out, and a way to wait for text. */
final class TerminalScreen {
  private static final Pattern ESCAPES = Pattern.compile(
      "\u001B\\[[0-?]*[ -/]*[@-~]|\u001B[()][0-9A-Za-z]|\u001B[=>78]|\u0007");

  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  ByteArrayOutputStream stream() {
    return bytes;
  }

  /** Everything written so far, escape sequences removed, carriage returns kept. */
  String text() {
    return ESCAPES.matcher(bytes.toString(UTF_8)).replaceAll("");
  }

  /** Waits up to {@code timeout} until the text satisfies {@code condition}. */
  boolean await(Predicate<String> condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.test(text())) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      synchronized (this) {
        wait(10); // the terminal writes from other threads; poll its buffer briefly
      }
    }
    return true;
  }
}
