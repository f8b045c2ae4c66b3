package org.p2pchat.bench.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.p2pchat.protocol.HostPort;

/** Runs the C load driver (see driver.c) for one measured run, on the driver's CPU, and reads its result. */
public final class CDriver {
  /** The drain after the run is bounded by the driver itself (30 s); this bounds the process. */
  private static final long SLACK_SECONDS = 45;

  private final Path program;

  public CDriver(Path program) {
    this.program = program;
  }

  /**
   * What one run did. {@code done}: messages shown (chat) or replies received (register);
   * {@code doneInWindow}: those done before the sending stopped.
   */
  public record Result(long sent, long failed, long done, long doneInWindow, long errors, long windowNanos) {
    /** Messages or round trips a second while the load ran. */
    public double rate() {
      return windowNanos <= 0 ? 0 : doneInWindow / (windowNanos / 1e9);
    }

    static Result parse(String line) throws IOException {
      Map<String, Long> fields = new HashMap<>();
      for (String part : line.trim().split("\\s+")) {
        int eq = part.indexOf('=');
        if (eq > 0) {
          try {
            fields.put(part.substring(0, eq), Long.parseLong(part.substring(eq + 1)));
          } catch (NumberFormatException e) {
            throw new IOException("driver printed a bad figure: " + line, e);
          }
        }
      }
      for (String key : List.of("sent", "failed", "done", "done_in_window", "errors", "window_ns")) {
        if (!fields.containsKey(key)) {
          throw new IOException("driver result lacks " + key + ": " + line);
        }
      }
      return new Result(fields.get("sent"), fields.get("failed"), fields.get("done"), fields.get("done_in_window"),
          fields.get("errors"), fields.get("window_ns"));
    }
  }

  /** {@code senders} senders of CHAT_MESSAGE "TAG-SENDER-SEQ" to {@code target}, shown count read from {@code counter}. */
  public Result chat(HostPort target, int senders, Duration time, int window, Path counter, String tag)
      throws IOException {
    return run(List.of("chat", target.host(), Integer.toString(target.port()), Integer.toString(senders),
        Long.toString(time.toMillis()), Integer.toString(window), counter.toString(), tag), time);
  }

  /** REGISTERs to {@code target} with at most {@code outstanding} awaiting their reply. */
  public Result register(HostPort target, int outstanding, Duration time, String tag) throws IOException {
    return run(List.of("register", target.host(), Integer.toString(target.port()), Integer.toString(outstanding),
        Long.toString(time.toMillis()), tag), time);
  }

  private Result run(List<String> args, Duration time) throws IOException {
    List<String> command = new ArrayList<>(Cpus.on(Cpus.DRIVER_CPU));
    command.add(program.toString());
    command.addAll(args);
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      if (!p.waitFor(time.toSeconds() + SLACK_SECONDS, TimeUnit.SECONDS)) {
        throw new IOException("driver did not finish: " + command);
      }
      if (p.exitValue() != 0) {
        throw new IOException("driver exited " + p.exitValue() + ": " + command);
      }
      return Result.parse(out);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      p.destroyForcibly();
    }
  }
}
