package org.p2pchat.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.p2pchat.bench.internal.BenchContext;
import org.p2pchat.bench.internal.Format;
import org.p2pchat.bench.internal.Benchmark;
import org.p2pchat.bench.internal.Benchmarks;
import org.p2pchat.bench.internal.Budget;
import org.p2pchat.bench.internal.MachineMonitor;
import org.p2pchat.bench.internal.Verdict;
import org.p2pchat.bench.internal.Machine;
import org.p2pchat.bench.internal.MarkdownDoc;
import org.p2pchat.bench.internal.ProjectRoot;
import org.p2pchat.bench.internal.Report;
import org.p2pchat.bench.internal.ReportWriter;
import org.p2pchat.bench.internal.Results;
import org.p2pchat.bench.internal.Settings;
import org.p2pchat.bench.internal.SvgChart;
import org.p2pchat.protocol.MessageType;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bench}: runs the benchmarks, prints their tables, writes CSV, JSON and an SVG chart, and
 * optionally rewrites docs/benchmarks.md. Exit codes: 0 measured, 1 a correctness check failed (a
 * message lost, a process that did not start; or, with {@code --fail-on-miss}, a goal missed), 2 usage.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs the benchmarks side by side with the machine's own connection floor and prints their tables.",
        "Loopback only; bounded in count and time. The reference server and peer are run from their jars "
            + "(MODULE/target/*-all.jar) when built."})
public final class BenchCommand implements Callable<Integer> {
  /** One type of each shape: the other 2018 types have the same fields as one of these. */
  private static final List<String> CODEC_TYPES = List.of("CHAT_MESSAGE", "REGISTER", "REGISTER_SUCCESS",
      "LISTPEER_REQUEST", "LISTPEER_REPLY", "CHAT_REQUEST", "FILE_TRANSFER");
  /** Quick: the commonest type, the server's and the slowest (LISTPEER_REPLY with 5 peers). */
  private static final List<String> CODEC_TYPES_QUICK = List.of("CHAT_MESSAGE", "REGISTER", "LISTPEER_REPLY");
  /** Quick stops redoing disturbed runs after this, to end within 90 s. */
  private static final Duration QUICK_RETRY_BUDGET = Duration.ofSeconds(30);
  /** Quick starts no section after this: the longest quick section takes about 12 s. */
  private static final double QUICK_LAST_START_SECONDS = 72;

  @Spec
  private CommandSpec spec;

  @Option(names = "--quick", description = "At most 90 s: one run of each comparison, three codec types, "
      + "shorter JMH runs, no scale test.")
  private boolean quick;

  @Option(names = "--out", paramLabel = "DIR", description = "Where CSV, JSON, SVG and child process logs go "
      + "(default: ROOT/benchmarks/target/bench-results).")
  private Path out;

  @Option(names = "--doc", paramLabel = "FILE", description = "Rewrite this Markdown page with the results, keeping "
      + "its Analysis block, and put its charts beside it (default: ROOT/docs/benchmarks.md).")
  private Path doc;

  @Option(names = "--no-doc", description = "Do not rewrite the doc; only print and write CSV, JSON and SVG.")
  private boolean noDoc;

  @Option(names = "--busy-threshold", paramLabel = "PERCENT", description = "A run during which other processes "
      + "used more than this share of the machine's CPU is redone, and if still disturbed its goals are UNDECIDED "
      + "(default: ${DEFAULT-VALUE}).", defaultValue = "15")
  private double busyThreshold;

  @Option(names = "--concurrency", split = ",", paramLabel = "N", description = "Concurrent senders "
      + "(default: ${DEFAULT-VALUE}).", defaultValue = "1,4,16,64")
  private List<Integer> concurrencies;

  @Option(names = "--runs", paramLabel = "N", description = "Runs per figure; each figure is their median "
      + "(default: 5, quick 3).")
  private Integer runs;

  @Option(names = "--run-millis", paramLabel = "MS", description = "How long each measured run sends "
      + "(default: 1000, quick 400).")
  private Integer runMillis;

  @Option(names = "--messages", paramLabel = "N", description = "Most messages a measured run sends; runs "
      + "normally end on time (default: 1000000).")
  private Integer messages;

  @Option(names = "--warmup", paramLabel = "N", description = "Warm-up messages per receiver "
      + "(default: 20000, quick 4000).")
  private Integer warmup;

  @Option(names = "--sections", split = ",", paramLabel = "NAME", description = "Which benchmarks: "
      + "peer, server, startup, codec, throughput, server-scale (default: all; quick: all but server-scale).")
  private List<String> sections;

  @Option(names = "--codec-types", split = ",", paramLabel = "TYPE", description = "Message types for the codec "
      + "benchmarks (default: one of each shape: CHAT_MESSAGE, REGISTER, REGISTER_SUCCESS, LISTPEER_REQUEST, "
      + "LISTPEER_REPLY, CHAT_REQUEST, FILE_TRANSFER; quick: CHAT_MESSAGE).")
  private List<String> codecTypes;

  @Option(names = "--server-scale", split = ",", paramLabel = "N", description = "Registered peers at which "
      + "LISTPEER is timed (default: 1000,10000,100000; quick 1000,10000).")
  private List<Integer> serverScale;

  @Option(names = "--time-limit", paramLabel = "SECONDS", description = "Longest a warm-up or a count-bound load "
      + "(filling the server with peers) may send (default: 60, quick 30).")
  private Integer timeLimitSeconds;

  @Option(names = "--diagnostic-receivers", split = ",", paramLabel = "KIND", description = "Also measure these "
      + "receivers in the throughput runs: sdk-1worker (the SDK with one worker thread), sdk-inline (its listener "
      + "and dispatcher with no worker pool). Default: none.")
  private List<String> diagnosticReceivers = new ArrayList<>();

  @Option(names = "--receiver-jvm-option", paramLabel = "OPTION", description = "A JVM option for every "
      + "receiving process, floor and ours alike (repeatable), e.g. -XX:+UseSerialGC.")
  private List<String> receiverJvmOptions = new ArrayList<>();

  @Option(names = "--root", paramLabel = "DIR", description = "The project root, where the reference jars are "
      + "looked for (default: the nearest directory up from here holding p2pchat's root pom).")
  private Path root;

  @Option(names = "--fail-on-miss", description = "Exit 1 if any goal is missed, not only if a check fails.")
  private boolean failOnMiss;

  private final PrintWriter stdout;
  private final PrintStream progress;

  BenchCommand(PrintWriter stdout, PrintStream progress) {
    this.stdout = stdout;
    this.progress = progress;
  }

  @Override
  public Integer call() throws IOException {
    Settings settings = settings();
    Files.createDirectories(settings.out());
    Instant started = Instant.now();
    long startNanos = System.nanoTime();
    Machine machine = Machine.current();
    Results results = new Results();
    progress.println("bench: " + (quick ? "quick" : "full") + " run, results in " + settings.out());
    BenchContext ctx = new BenchContext(settings, results, progress, new MachineMonitor(busyThreshold),
        new Budget(quick ? QUICK_RETRY_BUDGET : Duration.ofMinutes(20)));
    for (Benchmark benchmark : Benchmarks.ALL) {
      if (!settings.runs(benchmark.name())) {
        continue;
      }
      if (quick && ctx.budget().elapsedSeconds() > QUICK_LAST_START_SECONDS) {
        // Keep --quick within 90 s: a section that cannot finish in time is left out, and said so.
        results.note(benchmark.name() + ": not run, --quick had used " + Format.num("%.0f",
            ctx.budget().elapsedSeconds()) + " s already");
        progress.println("bench: " + benchmark.name() + " left out to keep --quick under 90 s");
        continue;
      }
      runSection(benchmark, ctx);
    }
    Report report = new Report(settings, machine, started, (System.nanoTime() - startNanos) / 1e9,
        Machine.currentLoadAverage(), results);
    write(report);
    boolean goalsMet = results.goals().stream().allMatch(g -> g.verdict() != Verdict.MISSED);
    return results.allChecksPassed() && (goalsMet || !failOnMiss) ? 0 : 1;
  }

  private void runSection(Benchmark benchmark, BenchContext ctx) {
    long start = System.nanoTime();
    try {
      benchmark.run(ctx);
      progress.printf("bench: %s done in %.0f s%n", benchmark.name(), (System.nanoTime() - start) / 1e9);
    } catch (Exception e) {
      // One section failing must not lose the others' figures.
      ctx.results().check(benchmark.name() + ": ran to the end", false, e.toString());
      progress.println("bench: " + benchmark.name() + " failed: " + e);
    }
  }

  private void write(Report report) throws IOException {
    Path dir = report.settings().out();
    stdout.print(ReportWriter.text(report));
    stdout.flush();
    Files.writeString(dir.resolve("bench.csv"), ReportWriter.csv(report), StandardCharsets.UTF_8);
    Files.write(dir.resolve("bench.json"), ReportWriter.json(report));
    Map<String, String> charts = new LinkedHashMap<>();
    Map<String, SvgChart> drawn = new LinkedHashMap<>();
    drawn.put("throughput", SvgChart.throughputOf(report.results()));
    drawn.put("cpu", SvgChart.cpuOf(report.results()));
    drawn.forEach((key, chart) -> {
      if (!chart.isEmpty()) {
        charts.put(key, chart.toSvg());
      }
    });
    List<Path> written = new ArrayList<>(List.of(dir.resolve("bench.csv"), dir.resolve("bench.json")));
    for (Map.Entry<String, String> chart : charts.entrySet()) {
      Path file = dir.resolve("bench-" + chart.getKey() + ".svg");
      Files.writeString(file, chart.getValue(), StandardCharsets.UTF_8);
      written.add(file);
    }
    stdout.println("wrote " + written.stream().map(Path::toString).collect(Collectors.joining(", ")));
    Path docPath = noDoc ? null : doc != null ? doc : report.settings().root().resolve("docs/benchmarks.md");
    if (docPath != null) {
      Path docFile = docPath.toAbsolutePath();
      if (docFile.getParent() != null) {
        Files.createDirectories(docFile.getParent());
      }
      String previous = Files.isRegularFile(docFile) ? Files.readString(docFile, StandardCharsets.UTF_8) : null;
      String base = docFile.getFileName().toString().replaceFirst("\\.md$", "");
      Map<String, String> chartFiles = new LinkedHashMap<>();
      for (Map.Entry<String, String> chart : charts.entrySet()) {
        String name = base + "-" + chart.getKey() + ".svg";
        Files.writeString(docFile.resolveSibling(name), chart.getValue(), StandardCharsets.UTF_8);
        chartFiles.put(chart.getKey(), name);
      }
      Files.writeString(docFile, MarkdownDoc.render(report, chartFiles, previous), StandardCharsets.UTF_8);
      stdout.println("wrote " + docFile + (chartFiles.isEmpty() ? "" : " and its charts " + chartFiles.values()));
    }
    stdout.flush();
  }

  private Settings settings() {
    Set<String> chosen = new LinkedHashSet<>();
    List<String> asked = sections != null ? sections : Benchmarks.ALL.stream().filter(b -> !quick || b.inQuick())
        .map(Benchmark::name).toList();
    for (String s : asked) {
      if (!Settings.ALL_SECTIONS.contains(s)) {
        throw usage("unknown section '" + s + "'; expected some of " + String.join(",", Settings.ALL_SECTIONS));
      }
      chosen.add(s);
    }
    if (busyThreshold <= 0 || busyThreshold > 100) {
      throw usage("--busy-threshold must be between 0 and 100, got " + busyThreshold);
    }
    for (int c : concurrencies) {
      if (c < 1 || c > 512) {
        throw usage("--concurrency must be between 1 and 512, got " + c);
      }
    }
    for (String kind : diagnosticReceivers) {
      if (!List.of("sdk-1worker", "sdk-inline").contains(kind)) {
        throw usage("unknown diagnostic receiver '" + kind + "'; expected sdk-1worker or sdk-inline");
      }
    }
    List<String> types = codecTypes != null ? codecTypes : quick ? CODEC_TYPES_QUICK : CODEC_TYPES;
    for (String type : types) {
      try {
        MessageType.valueOf(type);
      } catch (IllegalArgumentException e) {
        throw usage("unknown message type '" + type + "' in --codec-types");
      }
    }
    List<Integer> scale = serverScale != null ? serverScale : quick ? List.of(1_000, 10_000)
        : List.of(1_000, 10_000, 100_000);
    for (int i = 0; i < scale.size(); i++) {
      if (scale.get(i) < 1 || (i > 0 && scale.get(i) <= scale.get(i - 1))) {
        throw usage("--server-scale must be positive and increasing, got " + scale);
      }
    }
    int runCount = positive(runs, quick ? 1 : 5, "--runs");
    int runTime = positive(runMillis, quick ? 500 : 1_000, "--run-millis");
    int messageCount = positive(messages, 1_000_000, "--messages");
    int warmupCount = positive(warmup, quick ? 2_000 : 20_000, "--warmup");
    int limit = positive(timeLimitSeconds, quick ? 30 : 60, "--time-limit");
    Path projectRoot = root != null ? root.toAbsolutePath()
        : ProjectRoot.find(Path.of("")).orElse(Path.of("").toAbsolutePath());
    Path outDir = out != null ? out.toAbsolutePath()
        : Files.isDirectory(projectRoot.resolve("benchmarks")) ? projectRoot.resolve("benchmarks/target/bench-results")
        : Path.of("bench-results").toAbsolutePath();
    return new Settings(quick, chosen, concurrencies, runCount, Duration.ofMillis(runTime), messageCount, warmupCount,
        Duration.ofSeconds(limit),
        scale, types, diagnosticReceivers, receiverJvmOptions, projectRoot, outDir);
  }

  private int positive(Integer value, int fallback, String option) {
    if (value == null) {
      return fallback;
    }
    if (value < 1) {
      throw usage(option + " must be at least 1, got " + value);
    }
    return value;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
