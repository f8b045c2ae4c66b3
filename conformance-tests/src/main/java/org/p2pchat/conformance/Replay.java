package org.p2pchat.conformance;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.p2pchat.conformance.internal.Names;
import org.p2pchat.conformance.internal.SequenceFile;
import org.p2pchat.conformance.internal.SequenceRunner;
import org.p2pchat.conformance.internal.Services;
import org.p2pchat.conformance.internal.Settings;
import org.p2pchat.conformance.internal.WireLog;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageValidator;

/** Replays a sequence file written by a failing generated case, exactly, against a target. */
public final class Replay {
  /** How a replay ended. */
  public enum Status {
    /** Every step matched the model. */
    PASSED,
    /** A step did not match. */
    FAILED,
    /** The target refused the first connection. */
    UNAVAILABLE
  }

  /** The outcome: status, the case it came from, one line per step that ran, the mismatch and the wire log. */
  public record Result(Status status, String caseId, Role role, List<String> steps, String expected, String actual,
      List<WireEvent> wire) {}

  private Replay() {}

  /**
   * Reads {@code file} and runs its steps once against {@code target}.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException if it is not a replay file
   */
  public static Result run(Path file, HostPort target, String advertiseHost, Duration replyTimeout, Duration silence)
      throws IOException, InterruptedException {
    SequenceFile.Loaded loaded = SequenceFile.read(file);
    Settings settings = new Settings(target, loaded.sequence().role(), advertiseHost,
        ConformanceSuite.Builder.bindHost(advertiseHost), replyTimeout, silence, Duration.ofSeconds(2), 1, 0,
        0, Math.max(1, loaded.sequence().size()), 0, 1, Duration.ofSeconds(1), null);
    ScheduledExecutorService guards = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "conformance-replay-watchdog");
      t.setDaemon(true);
      return t;
    });
    try {
      Services services = new Services(MessageValidator.create(), guards, 0, null);
      WireLog wire = new WireLog();
      SequenceRunner.Result result = new SequenceRunner(settings, services)
          .run(loaded.sequence(), Names.random(), wire);
      Status status = result.status() == SequenceRunner.Status.PASSED ? Status.PASSED
          // A target that stopped answering part-way reproduced the failure: the actual text names the step.
          : result.status() == SequenceRunner.Status.FAILED || result.status() == SequenceRunner.Status.STOPPED
              ? Status.FAILED : Status.UNAVAILABLE;
      return new Result(status, loaded.caseId(), loaded.sequence().role(), result.transcript(), result.expected(),
          result.actual(), wire.events());
    } finally {
      guards.shutdownNow();
    }
  }
}
