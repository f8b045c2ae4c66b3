package org.p2pchat.bench.internal;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.p2pchat.bench.codec.CodecBenchmarks;
import org.p2pchat.bench.codec.Samples;

/**
 * Runs the JMH codec benchmarks ({@link CodecBenchmarks}) for each message type asked for and reports
 * nanoseconds per message: median, min and max over the measurement iterations.
 */
public final class CodecBench {
  public static final String SECTION = "codec";
  static final List<String> OPERATIONS = List.of("decode", "validate", "decodeValidate", "encode");
  static final double DECODE_VALIDATE_GOAL_NANOS = 2_000;

  private final BenchContext ctx;
  private final Settings settings;
  private final Results results;
  private final PrintStream log;
  private List<String> operations = OPERATIONS;
  private Disturbance disturbance = Disturbance.NONE;

  public CodecBench(BenchContext ctx) {
    this.ctx = ctx;
    this.settings = ctx.settings();
    this.results = ctx.results();
    this.log = ctx.progress();
  }

  public void run() throws Exception {
    // Quick: only the goal's operation (bytes to validated object), with shorter JMH iterations.
    operations = settings.quick() ? List.of("decodeValidate") : OPERATIONS;
    Attempts.Outcome<Collection<RunResult>> o = Attempts.measure("codec", ctx, settings.quick() ? 2 : ctx.tries(),
        this::jmh);
    disturbance = o.disturbance();
    collect(o.value());
  }

  private Collection<RunResult> jmh() throws RunnerException {
    boolean quick = settings.quick();
    String prefix = CodecBenchmarks.class.getName().replace(".", "\\.") + "\\.";
    Options options = new OptionsBuilder()
        .include(quick ? prefix + "decodeValidate$" : prefix)
        .param("type", settings.codecTypes().toArray(String[]::new))
        .forks(1)
        // Jackson and the schema validator take about 3 s of a hot loop to reach their steady state.
        .warmupIterations(quick ? 2 : 3)
        .warmupTime(quick ? TimeValue.milliseconds(600) : TimeValue.seconds(1))
        .measurementIterations(quick ? 2 : 3)
        .measurementTime(TimeValue.milliseconds(500))
        .jvmArgs("-Xms256m", "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error")
        .shouldFailOnError(true)
        .build();
    return new Runner(options, OutputFormatFactory.createFormatInstance(log, VerboseMode.SILENT)).run();
  }

  private void collect(Collection<RunResult> runs) {
    Map<String, Map<String, Measurement>> byType = new LinkedHashMap<>();
    for (String type : settings.codecTypes()) {
      byType.put(type, new LinkedHashMap<>());
    }
    for (RunResult run : runs) {
      String benchmark = run.getParams().getBenchmark();
      String operation = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      String type = run.getParams().getParam("type");
      List<Double> scores = new ArrayList<>();
      for (BenchmarkResult result : run.getBenchmarkResults()) {
        for (IterationResult iteration : result.getIterationResults()) {
          scores.add(iteration.getPrimaryResult().getScore());
        }
      }
      if (!scores.isEmpty()) {
        byType.get(type).put(operation, results.add(new Measurement(SECTION, operation, type, "time", "ns", scores)));
      }
    }
    report(byType);
  }

  private void report(Map<String, Map<String, Measurement>> byType) {
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, Map<String, Measurement>> entry : byType.entrySet()) {
      Map<String, Measurement> ops = entry.getValue();
      List<String> row = new ArrayList<>(List.of(entry.getKey()));
      for (String op : OPERATIONS) {
        row.add(ops.containsKey(op) ? Format.range(ops.get(op), "%,.0f") : "-");
      }
      rows.add(row);
      results.check("codec " + entry.getKey() + ": every operation measured", ops.keySet().containsAll(operations),
          ops.keySet().toString());
      if (ops.containsKey("decodeValidate")) {
        results.goal(Goal.atMost("codec: bytes → validated " + entry.getKey(), ops.get("decodeValidate").median() / 1e3,
            DECODE_VALIDATE_GOAL_NANOS / 1e3, " µs", "%.2f", disturbance, Verdict.Kind.ABSOLUTE));
      }
    }
    results.table(new Table("codec", "Codec, ns per message (JMH, average time)",
        List.of("message type", "decode (no schema)", "validate (parsed)", "decode + validate", "encode"), rows,
        "median (min–max) over JMH measurement iterations after " + (settings.quick() ? "1.2" : "3") + " s of warm-up, one fork each; machine: " + disturbance.describe() + "; LISTPEER_REPLY "
            + "lists " + Samples.REPLY_PEERS + " peers; types not shown share a shape with one that is (REGISTER_ERROR "
            + "and CHAT_REFUSE are REGISTER_SUCCESS's {}, EXIT_NETWORK and DISCONNECT are LISTPEER_REQUEST's "
            + "peername, CHAT_ACCEPT is CHAT_REQUEST's)"));
  }
}
