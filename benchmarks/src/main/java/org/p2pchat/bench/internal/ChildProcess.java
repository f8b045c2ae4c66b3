package org.p2pchat.bench.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.p2pchat.protocol.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process the benchmarks run and talk to: its stdout read line by line on a daemon thread, its stdin
 * open for commands (a peer quits at end of input), its stderr kept in a log file. Lines go to a tap
 * first (to count them as they arrive, with their arrival time); lines the tap does not take are queued
 * for {@link #awaitLine}. Closing stops the process, forcibly if it does not exit in time.
 */
public final class ChildProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);
  private static final Pattern LISTENING = Pattern.compile("listening on (\\S+:\\d+)");
  private static final int QUEUED_LINES = 10_000;

  private final String name;
  private final Process process;
  private final Writer stdin;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(QUEUED_LINES);
  private final long startedNanos;
  private volatile Predicate<String> tap = line -> false;
  private volatile boolean stdoutClosed;

  private ChildProcess(String name, Process process, long startedNanos) {
    this.name = name;
    this.process = process;
    this.startedNanos = startedNanos;
    this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader = new Thread(this::readStdout, "bench-stdout-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code command}; its stderr goes to {@code logDir/NAME.stderr.log}. */
  public static ChildProcess start(String name, List<String> command, Path logDir) throws IOException {
    Files.createDirectories(logDir);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(logDir.resolve(name + ".stderr.log").toFile());
    long started = System.nanoTime();
    Process process = builder.start();
    log.debug("started {} (pid {}): {}", name, process.pid(), command);
    return new ChildProcess(name, process, started);
  }

  /** The java launcher of the running JVM. */
  public static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private void readStdout() {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (!tap.test(line) && !lines.offer(line)) {
          lines.poll();
          lines.offer(line);
        }
      }
    } catch (IOException e) {
      log.debug("{}: stdout closed: {}", name, e.toString());
    } finally {
      stdoutClosed = true;
    }
  }

  /** Lines for which {@code tap} returns true are taken by it and not queued. Runs on the reader thread. */
  public void tap(Predicate<String> tap) {
    this.tap = tap;
  }

  /**
   * Waits for the {@code listening on HOST:PORT} line and returns the address. Throws if the process
   * exits or says nothing of the kind within {@code timeout}.
   */
  public HostPort awaitListening(Duration timeout) throws IOException {
    String line = awaitLine(l -> LISTENING.matcher(l).find(), timeout);
    Matcher m = LISTENING.matcher(line);
    if (!m.find()) {
      throw new IllegalStateException("unreachable: " + line);
    }
    return HostPort.parse(m.group(1));
  }

  /** Waits for the next queued line matching {@code wanted}, discarding others. */
  public String awaitLine(Predicate<String> wanted, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException(name + " did not print the expected line within " + timeout.toMillis() + " ms");
      }
      String line;
      try {
        line = lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + name, e);
      }
      if (line != null) {
        if (wanted.test(line)) {
          return line;
        }
      } else if (stdoutClosed && lines.isEmpty()) {
        throw new IOException(name + " exited (code " + exitCodeOrUnknown() + ") before printing the expected line;"
            + " see its stderr log");
      }
    }
  }

  private String exitCodeOrUnknown() {
    try {
      return process.waitFor(1, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  /** Writes one line to the process's stdin. */
  public synchronized void send(String line) throws IOException {
    stdin.write(line);
    stdin.write('\n');
    stdin.flush();
  }

  /** Nanoseconds from launching the process to now. */
  public long nanosSinceStart() {
    return System.nanoTime() - startedNanos;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** True if the process is still running after {@code d}: waits without spinning. */
  public boolean staysAliveFor(Duration d) {
    try {
      return !process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return process.isAlive();
    }
  }

  /** Resident memory now, in KiB. */
  public long rssKb() throws IOException {
    return ProcFs.rssKb(process.pid());
  }

  /** CPU time used so far (user + system), in nanoseconds. */
  public long cpuNanos() throws IOException {
    return ProcFs.cpuNanos(process.pid());
  }

  public String name() {
    return name;
  }

  /** Stops the process now (SIGTERM, then SIGKILL after 5 s): for a launch that was only timed. */
  public void stop() {
    try {
      stdin.close();
    } catch (IOException e) {
      log.debug("{}: closing stdin: {}", name, e.toString());
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** Closes stdin (a peer or receiver quits on it), then terminates; forcibly after 5 s. */
  @Override
  public void close() {
    try {
      stdin.close();
    } catch (IOException e) {
      log.debug("{}: closing stdin: {}", name, e.toString());
    }
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
