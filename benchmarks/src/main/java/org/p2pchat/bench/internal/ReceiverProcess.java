package org.p2pchat.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.protocol.HostPort;

/** The benchmark's side of a {@link org.p2pchat.bench.ReceiverMain} process: start it, ask it for counts. */
public final class ReceiverProcess implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);

  private final String kind;
  private final ChildProcess child;
  private final HostPort address;
  private final SharedCounter handled;

  private ReceiverProcess(String kind, ChildProcess child, HostPort address, SharedCounter handled) {
    this.kind = kind;
    this.child = child;
    this.address = address;
    this.handled = handled;
  }

  /**
   * Starts a receiver of {@code kind} ({@code floor}, {@code sdk}, {@code sdk-novalidate}) with the same
   * JVM options for every kind.
   */
  public static ReceiverProcess start(String kind, List<String> jvmOptions, Path logDir) throws IOException {
    Files.createDirectories(logDir);
    Path counterFile = logDir.resolve("receiver-" + kind + ".count");
    Files.deleteIfExists(counterFile);
    SharedCounter handled = SharedCounter.open(counterFile);
    List<String> command = new ArrayList<>();
    command.add(ChildProcess.javaCommand());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("org.p2pchat.bench.ReceiverMain");
    command.add(kind);
    command.add(counterFile.toString());
    ChildProcess child = ChildProcess.start("receiver-" + kind, command, logDir);
    try {
      return new ReceiverProcess(kind, child, child.awaitListening(START_TIMEOUT), handled);
    } catch (IOException | RuntimeException e) {
      child.close();
      throw e;
    }
  }

  public String kind() {
    return kind;
  }

  public HostPort address() {
    return address;
  }

  public long pid() {
    return child.pid();
  }

  /** Messages handled so far, read from shared memory: cheap enough to ask before every send. */
  public long handled() {
    return handled.get();
  }

  /** Counts and CPU times now. */
  public Stats stats() throws IOException {
    child.send("stats");
    return Stats.parse(child.awaitLine(l -> l.startsWith("stats "), REPLY_TIMEOUT));
  }

  /** Counts and CPU times once {@code count} messages are handled, or after {@code timeout}. */
  public Stats await(long count, Duration timeout) throws IOException {
    child.send("await " + count + " " + timeout.toMillis());
    return Stats.parse(child.awaitLine(l -> l.startsWith("stats "), timeout.plus(REPLY_TIMEOUT)));
  }

  @Override
  public void close() {
    try {
      child.send("quit");
    } catch (IOException e) {
      // Already gone; close() below makes sure.
    }
    child.close();
  }

  /** One {@code stats} line: counts, and CPU nanoseconds and context switches by group (see {@link CpuSnapshot}). */
  public record Stats(long count, long rejected, Map<String, Long> values) {
    static Stats parse(String line) {
      Map<String, Long> values = new HashMap<>();
      for (String word : line.substring("stats ".length()).split(" ")) {
        int eq = word.indexOf('=');
        values.put(word.substring(0, eq), Long.parseLong(word.substring(eq + 1)));
      }
      long count = values.remove("count");
      long rejected = values.remove("rejected");
      return new Stats(count, rejected, Map.copyOf(values));
    }

    /** How much {@code key} (e.g. {@code cpu}, {@code workers}, {@code cs-io}) grew between {@code earlier} and this. */
    public long delta(Stats earlier, String key) {
      return values.getOrDefault(key, 0L) - earlier.values.getOrDefault(key, 0L);
    }
  }
}
