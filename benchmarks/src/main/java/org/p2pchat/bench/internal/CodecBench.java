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
  static final double VALIDATE_GOAL_NANOS = 1_000;
  static final double DECODE_VALIDATE_GOAL_NANOS = 2_000;

  private final Settings settings;
  private final Results results;
  private final PrintStream log;

  public CodecBench(Settings settings, Results results, PrintStream log) {
    this.settings = settings;
    this.results = results;
    this.log = log;
  }

  public void run() throws RunnerException {
    boolean quick = settings.quick();
    Options options = new OptionsBuilder()
        .include(CodecBenchmarks.class.getName().replace(".", "\\.") + "\\.")
        .param("type", settings.codecTypes().toArray(String[]::new))
        .forks(1)
        // Jackson and the schema validator take about 3 s of a hot loop to reach their steady state.
        .warmupIterations(3)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(quick ? 2 : 3)
        .measurementTime(TimeValue.milliseconds(500))
        .jvmArgs("-Xms256m", "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error")
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> runs = new Runner(options, OutputFormatFactory.createFormatInstance(log,
        VerboseMode.NORMAL)).run();
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
    String worstValidate = null;
    String worstDecode = null;
    double worstValidateNanos = 0;
    double worstDecodeNanos = 0;
    for (Map.Entry<String, Map<String, Measurement>> entry : byType.entrySet()) {
      Map<String, Measurement> ops = entry.getValue();
      List<String> row = new ArrayList<>(List.of(entry.getKey()));
      for (String op : OPERATIONS) {
        row.add(ops.containsKey(op) ? Format.range(ops.get(op), "%,.0f") : "-");
      }
      rows.add(row);
      results.check("codec " + entry.getKey() + ": every operation measured", ops.size() == OPERATIONS.size(),
          ops.keySet().toString());
      if (ops.containsKey("validate") && ops.get("validate").median() > worstValidateNanos) {
        worstValidateNanos = ops.get("validate").median();
        worstValidate = entry.getKey();
      }
      if (ops.containsKey("decodeValidate") && ops.get("decodeValidate").median() > worstDecodeNanos) {
        worstDecodeNanos = ops.get("decodeValidate").median();
        worstDecode = entry.getKey();
      }
    }
    Map<String, Measurement> chat = byType.get("CHAT_MESSAGE");
    if (chat != null && chat.containsKey("validate") && chat.containsKey("decodeValidate")) {
      results.goal(Goal.atMost("validate a CHAT_MESSAGE", chat.get("validate").median() / 1e3,
          VALIDATE_GOAL_NANOS / 1e3, " µs", "%.2f"));
      results.goal(Goal.atMost("bytes to validated CHAT_MESSAGE", chat.get("decodeValidate").median() / 1e3,
          DECODE_VALIDATE_GOAL_NANOS / 1e3, " µs", "%.2f"));
    }
    if (worstValidate != null && !worstValidate.equals("CHAT_MESSAGE")) {
      results.goal(Goal.atMost("validate, slowest type (" + worstValidate + ")", worstValidateNanos / 1e3,
          VALIDATE_GOAL_NANOS / 1e3, " µs", "%.2f"));
    }
    if (worstDecode != null && !worstDecode.equals("CHAT_MESSAGE")) {
      results.goal(Goal.atMost("bytes to validated object, slowest type (" + worstDecode + ")",
          worstDecodeNanos / 1e3, DECODE_VALIDATE_GOAL_NANOS / 1e3, " µs", "%.2f"));
    }
    results.table(new Table("codec", "Codec, ns per message (JMH, average time)",
        List.of("message type", "decode (no schema)", "validate (parsed)", "decode + validate", "encode"), rows,
        "median (min–max) over JMH measurement iterations after 3 s of warm-up, one fork each; LISTPEER_REPLY "
            + "lists " + Samples.REPLY_PEERS + " peers; types not shown share a shape with one that is (REGISTER_ERROR "
            + "and CHAT_REFUSE are REGISTER_SUCCESS's {}, EXIT_NETWORK and DISCONNECT are LISTPEER_REQUEST's "
            + "peername, CHAT_ACCEPT is CHAT_REQUEST's)"));
  }
}
