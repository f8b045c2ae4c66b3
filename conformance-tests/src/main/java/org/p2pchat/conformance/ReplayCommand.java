package org.p2pchat.conformance;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.p2pchat.cli.DurationConverter;
import org.p2pchat.protocol.HostPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code conformance replay FILE --target H:P}: runs a shrunk sequence again, exactly, step by step. */
@Command(name = "replay", sortOptions = false,
    description = {
        "Replays a sequence file written by a failing generated case (its first line holds the seed and the role; "
            + "then one step a line) against TARGET, exactly, and prints each step with what the target did.",
        "For --role peer files the target must accept chat requests automatically."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every step matched the model",
        "1:a step did not match",
        "2:usage error, unreadable file, or the target could not be reached"})
final class ReplayCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Parameters(index = "0", paramLabel = "FILE", description = "A .jsonl replay file.")
  private Path file;

  @Option(names = "--target", required = true, paramLabel = "HOST:PORT", converter = HostPortConverter.class,
      description = "The implementation under test.")
  private HostPort target;

  @Option(names = "--advertise-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Host the suite's simulated peers advertise (default: ${DEFAULT-VALUE}).")
  private String advertiseHost;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
      description = "How long to wait for a reply (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(names = "--silence", paramLabel = "DURATION", defaultValue = "300ms", converter = DurationConverter.class,
      description = "How long to watch for messages where silence is expected (default: ${DEFAULT-VALUE}).")
  private Duration silence;

  @Option(names = {"-v", "--verbose"}, description = "Also print the wire log.")
  private boolean verbose;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Replay.Result result;
    try {
      result = Replay.run(file, target, advertiseHost, timeout, silence);
    } catch (IOException e) {
      err.println("conformance replay: cannot read " + file + ": " + e);
      return ConformanceMain.EXIT_USAGE;
    } catch (IllegalArgumentException e) {
      err.println("conformance replay: " + e.getMessage());
      return ConformanceMain.EXIT_USAGE;
    }
    out.println("replaying " + result.caseId() + " (" + result.role().label() + ") against " + target + ":");
    result.steps().forEach(line -> out.println("  " + line));
    if (verbose || result.status() != Replay.Status.PASSED) {
      out.println("wire log:");
      java.time.Instant start = result.wire().isEmpty() ? java.time.Instant.now() : result.wire().get(0).at();
      result.wire().forEach(e -> out.println("  " + e.format(start)));
    }
    switch (result.status()) {
      case PASSED:
        out.println("PASS: every step matched the model");
        return ConformanceMain.EXIT_OK;
      case FAILED:
        out.println("FAIL: expected " + result.expected() + "; " + result.actual());
        return ConformanceMain.EXIT_FAILED;
      default:
        err.println("conformance replay: cannot reach the target: " + result.actual());
        return ConformanceMain.EXIT_USAGE;
    }
  }
}
