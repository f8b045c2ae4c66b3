package org.p2pchat.conformance;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.p2pchat.cli.DurationConverter;
import org.p2pchat.protocol.HostPort;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code conformance} verb: runs the suite against a target and reports. */
@Command(name = "conformance",
    subcommands = {ReplayCommand.class, CatalogueCommand.class},
    sortOptions = false,
    description = {
        "Runs the p2pchat conformance suite against an implementation at TARGET and prints a verdict per case: "
            + "PASS, NON-STRICT (legal but not recommended; does not fail the run), FAIL (with its rule, "
            + "docs/protocol.md#rule-..., and, if the target stopped answering, the step or input after which it "
            + "stopped), or UNAVAILABLE (the target could not be reached). After the target stops answering, the "
            + "remaining cases are reported once, as NOT RUN.",
        "",
        "--role server: the suite plays any number of peers, each listening on its own port, and checks the "
            + "rendezvous server's rules (register, duplicate names, LISTPEER, EXIT_NETWORK, reply addresses, "
            + "silence where the 2018 program is silent).",
        "--role peer: THE TARGET MUST ACCEPT CHAT REQUESTS AUTOMATICALLY, with nobody typing 'yes' (the "
            + "reference peer: bin/p2pchat peer --auto-accept). The suite checks CHAT_ACCEPT, chat messages from "
            + "connected and unconnected peers, DISCONNECT, and that the peer keeps serving.",
        "Both roles: a catalogue of bad input, each followed by a valid message that must still be answered, "
            + "and --sequences generated sequences checked against a reference model; a failing sequence is "
            + "shrunk and written as a replay file (see 'conformance replay').",
        "",
        "The suite listens on --advertise-host (default 127.0.0.1) at ports of its own; for a target on another "
            + "machine, give an address of this machine that the target can reach."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:every case passed or was NON-STRICT (listed known failures allowed)",
        "1:a case failed or was unavailable, or a listed known failure passed (stale)",
        "2:usage error, unreadable file, the target could not be reached at all, or (--role peer) it does not "
            + "accept chat requests by itself, so the peer cases are not applicable (N/A)"})
final class ConformanceCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
  private boolean help;

  @Option(names = "--target", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
      description = "The implementation under test.")
  private HostPort target;

  @Option(names = "--role", paramLabel = "server|peer", description = "What the target is: server or peer.")
  private String role;

  @Option(names = "--advertise-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Host the suite's simulated peers advertise (default: ${DEFAULT-VALUE}).")
  private String advertiseHost;

  @Option(names = "--seed", paramLabel = "N",
      description = "Seed of the generated sequences (default: random; printed, so a run can be repeated).")
  private Long seed;

  @Option(names = "--sequences", paramLabel = "N", defaultValue = "10",
      description = "Number of generated sequences (default: ${DEFAULT-VALUE}).")
  private int sequences;

  @Option(names = "--max-actions", paramLabel = "N", defaultValue = "20",
      description = "Most steps in a generated sequence (default: ${DEFAULT-VALUE}).")
  private int maxActions;

  @Option(names = "--cases", paramLabel = "GLOB", split = ",",
      description = "Run only cases whose id matches (repeatable or comma-separated; * matches anything), "
          + "e.g. 'server.*,robustness.*'.")
  private List<String> cases = new ArrayList<>();

  @Option(names = "--exclude", paramLabel = "GLOB", split = ",",
      description = "Leave out cases whose id matches (repeatable or comma-separated).")
  private List<String> exclude = new ArrayList<>();

  @Option(names = "--known-failures", paramLabel = "FILE",
      description = "Case ids expected to fail, one a line (# comments): they do not fail the run, but one that "
          + "passes does (stale).")
  private Path knownFailures;

  @Option(names = "--report", paramLabel = "DIR",
      description = "Write " + Reports.JUNIT_XML + ", " + Reports.JSON + " and " + Reports.HTML
          + " into DIR, and replay files of failing sequences into DIR/sequences.")
  private Path reportDir;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "2s", converter = DurationConverter.class,
      description = "How long to wait for a reply the protocol requires (default: ${DEFAULT-VALUE}).")
  private Duration timeout;

  @Option(names = "--silence", paramLabel = "DURATION", defaultValue = "300ms", converter = DurationConverter.class,
      description = "How long to watch for messages where the protocol requires silence; also the pause after "
          + "each message that has no reply (default: ${DEFAULT-VALUE}).")
  private Duration silence;

  @Option(names = "--max-shrinks", paramLabel = "N", defaultValue = "3",
      description = "Failing sequences to shrink in one run; later ones are reported unshrunk "
          + "(default: ${DEFAULT-VALUE}).")
  private int maxShrinks;

  @Option(names = "--list", description = "List the selected cases and exit.")
  private boolean list;

  @Option(names = {"-v", "--verbose"}, description = "Also print the wire log of every case that did not pass.")
  private boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (role == null) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--role=server|peer'");
    }
    if (target == null && !list) {
      throw new CommandLine.ParameterException(spec.commandLine(), "Missing required option: '--target=HOST:PORT'");
    }
    KnownFailures known = KnownFailures.none();
    if (knownFailures != null) {
      try {
        known = KnownFailures.read(knownFailures);
      } catch (IOException e) {
        err.println("conformance: cannot read --known-failures " + knownFailures + ": " + e);
        return ConformanceMain.EXIT_USAGE;
      }
    }
    ConformanceSuite suite;
    try {
      ConformanceSuite.Builder builder = ConformanceSuite.builder()
          .target(target != null ? target : new HostPort("127.0.0.1", 1))
          .role(Role.parse(role))
          .advertiseHost(advertiseHost)
          .sequences(sequences)
          .maxActions(maxActions)
          .replyTimeout(timeout)
          .silence(silence)
          .maxShrinks(maxShrinks)
          .include(cases)
          .exclude(exclude)
          .knownFailures(known)
          .sequenceDir(reportDir == null ? null : reportDir.resolve("sequences"));
      if (seed != null) {
        builder.seed(seed);
      }
      suite = builder.build();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    if (list) {
      suite.cases().forEach(c -> out.printf("%-40s %s%n", c.id(), c.description()));
      return ConformanceMain.EXIT_OK;
    }
    for (String id : known.ids()) {
      if (suite.cases().stream().noneMatch(c -> c.id().equals(id))) {
        err.println("conformance: note: --known-failures lists " + id + ", which is not a selected case");
      }
    }
    ConsoleReporter console = new ConsoleReporter(out, known, verbose);
    console.header(suite);
    SuiteReport report = suite.run(console::caseDone);
    console.summary(report);
    if (reportDir != null) {
      try {
        for (Path file : Reports.writeAll(report, reportDir)) {
          out.println("report: " + file);
        }
      } catch (IOException e) {
        err.println("conformance: cannot write the reports into " + reportDir + ": " + e);
        return ConformanceMain.EXIT_USAGE;
      }
    }
    return report.exitCode();
  }
}
