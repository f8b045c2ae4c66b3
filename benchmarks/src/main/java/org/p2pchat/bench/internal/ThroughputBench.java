package org.p2pchat.bench.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Messages per second and receiver CPU per message, for the connection floor and for the SDK (with and
 * without validation), at each concurrency. Each receiver runs in its own process; the runs interleave
 * the receivers, rotating their order, so the machine's drift falls on all of them alike, and every
 * ratio is taken within one round before the median is.
 */
public final class ThroughputBench {
  public static final String SECTION = "throughput";
  public static final String FLOOR = "floor";
  public static final String SDK = "sdk";
  public static final String SDK_NO_VALIDATION = "sdk-novalidate";
  static final List<String> SUBJECTS = List.of(FLOOR, SDK, SDK_NO_VALIDATION);
  static final List<String> CPU_GROUPS = List.of("io", "workers", "other", "jvm");
  /** "Less than 15 % on top of the kernel's connection rate": time per message at most 1.15x the floor's. */
  public static final double RATE_GOAL = 1 / 1.15;
  public static final double CPU_GOAL = 1.3;
  private static final Duration AWAIT_TIMEOUT = Duration.ofSeconds(30);
  private static final int WARMUP_CONCURRENCY = 4;
  /** Messages sent but not yet handled, at most: half the listen backlog both receivers have. */
  static final int IN_FLIGHT_LIMIT = 512;

  private final Settings settings;
  private final Results results;
  private final PrintStream progress;
  private final byte[] payload = Payloads.chatMessage();
  /** Samples by subject, then concurrency, then metric. */
  private final Map<String, Map<Integer, Map<String, List<Double>>>> samples = new HashMap<>();
  private final Map<String, Tally> totals = new HashMap<>();
  private final List<String> subjects;

  /** Messages of one receiver over all its measured runs. */
  private static final class Tally {
    long sent;
    long received;
    long lost;
  }

  private final BenchContext ctx;
  private Disturbance disturbance = Disturbance.NONE;

  public ThroughputBench(BenchContext ctx) {
    this.ctx = ctx;
    this.settings = ctx.settings();
    this.results = ctx.results();
    this.progress = ctx.progress();
    List<String> all = new ArrayList<>(SUBJECTS);
    all.addAll(settings.diagnosticReceivers());
    this.subjects = List.copyOf(all);
  }

  /** The whole section is one measured span: its figures are as disturbed as the machine was meanwhile. */
  public void run() throws IOException {
    MachineMonitor.Mark mark = ctx.monitor().mark();
    measureAll();
    disturbance = ctx.monitor().since(mark);
    report();
  }

  private void measureAll() throws IOException {
    Map<String, ReceiverProcess> receivers = new LinkedHashMap<>();
    long overflowsBefore = ProcFs.tcpExt("ListenOverflows");
    long synRetransBefore = ProcFs.tcpExt("TCPSynRetrans");
    try {
      for (String subject : subjects) {
        ReceiverProcess receiver = ReceiverProcess.start(subject, settings.receiverJvmOptions(), settings.logDir());
        receivers.put(subject, receiver);
        totals.put(subject, new Tally());
        warmUp(receiver);
      }
      List<Integer> concurrencies = levels();
      for (int round = 0; round < settings.runs(); round++) {
        for (int ci = 0; ci < concurrencies.size(); ci++) {
          int c = concurrencies.get(ci);
          for (int k = 0; k < subjects.size(); k++) {
            String subject = subjects.get((round + ci + k) % subjects.size());
            measure(receivers.get(subject), c);
          }
          progress.printf("throughput: round %d/%d, concurrency %d: floor %s, sdk %s, no validation %s msg/s%n",
              round + 1, settings.runs(), c, last(FLOOR, c), last(SDK, c), last(SDK_NO_VALIDATION, c));
        }
      }
    } finally {
      receivers.values().forEach(ReceiverProcess::close);
    }
    long overflows = ProcFs.tcpExt("ListenOverflows") - overflowsBefore;
    long synRetrans = ProcFs.tcpExt("TCPSynRetrans") - synRetransBefore;
    if (overflowsBefore >= 0) {
      results.note("during the throughput runs the kernel counted " + overflows + " listen-queue overflows and "
          + synRetrans + " SYN retransmissions machine-wide (/proc/net/netstat); each retransmitted SYN holds its "
          + "sender for 1 s");
    }
  }

  private void warmUp(ReceiverProcess receiver) throws IOException {
    ReceiverProcess.Stats before = receiver.stats();
    try (InFlightWindow window = new InFlightWindow(receiver::handled, IN_FLIGHT_LIMIT)) {
      LoadGenerator.Result load = LoadGenerator.run(receiver.address(), i -> payload, settings.warmupMessages(),
          WARMUP_CONCURRENCY, settings.sampleTimeLimit(), window);
      receiver.await(before.count() + load.sent(), AWAIT_TIMEOUT);
    }
  }

  /**
   * One run: the rate is every message of the run over the time from the first connect until the receiver has
   * handled the last one (so a receiver that queues what it cannot handle gains nothing, and a run short enough
   * to fit in the in-flight window still counts); the CPU per message covers the same messages.
   */
  private void measure(ReceiverProcess receiver, int concurrency) throws IOException {
    ReceiverProcess.Stats before = receiver.stats();
    long start;
    LoadGenerator.Result sent;
    try (InFlightWindow window = new InFlightWindow(receiver::handled, IN_FLIGHT_LIMIT)) {
      start = System.nanoTime();
      LoadGenerator.Load load = LoadGenerator.start(receiver.address(), i -> payload, settings.messages(),
          concurrency, settings.runTime(), window);
      load.awaitEnd();
      sent = load.finish();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    ReceiverProcess.Stats after = receiver.await(before.count() + sent.sent(), AWAIT_TIMEOUT);
    long nanos = System.nanoTime() - start;
    long received = after.count() - before.count();
    long rejected = after.rejected() - before.rejected();
    Tally tally = totals.get(receiver.kind());
    tally.sent += sent.sent();
    tally.received += received;
    tally.lost += sent.failed() + rejected;
    if (received != sent.sent() || sent.failed() > 0 || rejected > 0) {
      results.note(receiver.kind() + " at concurrency " + concurrency + ": sent " + sent.sent() + ", received "
          + received + ", failed " + sent.failed() + ", rejected " + rejected
          + (sent.firstError().isEmpty() ? "" : " (" + sent.firstError() + ")"));
    }
    if (received == 0) {
      return;
    }
    Map<String, List<Double>> metrics = samples.computeIfAbsent(receiver.kind(), k -> new HashMap<>())
        .computeIfAbsent(concurrency, k -> new HashMap<>());
    add(metrics, "rate", received / (nanos / 1e9));
    add(metrics, "cpu", after.delta(before, "cpu") / 1e3 / received);
    for (String group : CPU_GROUPS) {
      // "jvm" is process time less every Java thread's, read a moment apart: it can dip just below zero.
      add(metrics, "cpu-" + group, Math.max(0, after.delta(before, group)) / 1e3 / received);
    }
    add(metrics, "cs-io", (double) after.delta(before, "cs-io") / received);
    add(metrics, "cs-workers", (double) after.delta(before, "cs-workers") / received);
  }

  /** Quick measures the Java floors at the first and last concurrency only: issue 11's goals come first. */
  private List<Integer> levels() {
    List<Integer> all = settings.concurrencies();
    return settings.quick() && all.size() > 2 ? List.of(all.get(0), all.get(all.size() - 1)) : all;
  }

  private static void add(Map<String, List<Double>> metrics, String metric, double value) {
    metrics.computeIfAbsent(metric, k -> new ArrayList<>()).add(value);
  }

  private String last(String subject, int concurrency) {
    List<Double> rates = metric(subject, concurrency, "rate");
    return rates.isEmpty() ? "-" : Format.num("%,.0f", rates.get(rates.size() - 1));
  }

  private List<Double> metric(String subject, int concurrency, String metric) {
    return samples.getOrDefault(subject, Map.of()).getOrDefault(concurrency, Map.of()).getOrDefault(metric, List.of());
  }

  private void report() {
    for (String subject : subjects) {
      Tally t = totals.get(subject);
      results.check(subject + ": every message sent was received and handled", t.sent == t.received && t.lost == 0,
          t.sent + " sent, " + t.received + " received, " + t.lost + " failed or rejected");
    }
    List<List<String>> rateRows = new ArrayList<>();
    List<List<String>> cpuRows = new ArrayList<>();
    List<List<String>> splitRows = new ArrayList<>();
    List<List<String>> diagnosticRows = new ArrayList<>();
    for (int c : levels()) {
      Map<String, Measurement> rate = new HashMap<>();
      Map<String, Measurement> cpu = new HashMap<>();
      for (String subject : subjects) {
        if (metric(subject, c, "rate").isEmpty()) {
          continue;
        }
        rate.put(subject, results.add(new Measurement(SECTION, subject, Integer.toString(c), "rate", "msg/s",
            metric(subject, c, "rate"))));
        cpu.put(subject, results.add(new Measurement(SECTION, subject, Integer.toString(c), "cpu", "us/msg",
            metric(subject, c, "cpu"))));
        List<String> split = new ArrayList<>(List.of(subject + " @ " + c));
        for (String group : CPU_GROUPS) {
          Measurement m = results.add(new Measurement(SECTION, subject, Integer.toString(c), "cpu-" + group,
              "us/msg", metric(subject, c, "cpu-" + group)));
          split.add(Format.num("%.1f", m.median()));
        }
        split.add(Format.num("%.1f", cpu.get(subject).median()));
        for (String group : List.of("io", "workers")) {
          Measurement switches = results.add(new Measurement(SECTION, subject, Integer.toString(c), "cs-" + group,
              "switches/msg", metric(subject, c, "cs-" + group)));
          split.add(Format.num("%.2f", switches.median()));
        }
        splitRows.add(split);
      }
      if (!rate.keySet().containsAll(SUBJECTS)) {
        continue;
      }
      for (String diagnostic : settings.diagnosticReceivers()) {
        if (rate.containsKey(diagnostic)) {
          diagnosticRows.add(List.of(diagnostic + " @ " + c, Format.range(rate.get(diagnostic), "%,.0f"),
              Format.range(cpu.get(diagnostic), "%.1f"),
              Format.num("%.2f", ratio("cpu-ratio", diagnostic, c, "cpu").median()),
              Format.num("%.2f", cpu.get(diagnostic).median() / cpu.get(SDK).median())));
        }
      }
      Measurement rateRatio = ratio("rate-ratio", SDK, c, "rate");
      Measurement rateRatioNoValidation = ratio("rate-ratio", SDK_NO_VALIDATION, c, "rate");
      Measurement cpuRatio = ratio("cpu-ratio", SDK, c, "cpu");
      Measurement cpuRatioNoValidation = ratio("cpu-ratio", SDK_NO_VALIDATION, c, "cpu");
      rateRows.add(List.of(Integer.toString(c), Format.range(rate.get(FLOOR), "%,.0f"),
          Format.range(rate.get(SDK), "%,.0f"), Format.num("%.2f", rateRatio.median()),
          Format.range(rate.get(SDK_NO_VALIDATION), "%,.0f"), Format.num("%.2f", rateRatioNoValidation.median())));
      cpuRows.add(List.of(Integer.toString(c), Format.range(cpu.get(FLOOR), "%.1f"),
          Format.range(cpu.get(SDK), "%.1f"), Format.num("%.2f", cpuRatio.median()),
          Format.range(cpu.get(SDK_NO_VALIDATION), "%.1f"), Format.num("%.2f", cpuRatioNoValidation.median())));
      results.goal(Goal.atLeast("Java floor: SDK throughput, validating, ÷ Java floor, concurrency " + c, rateRatio.median(), RATE_GOAL,
          "×", "%.2f", disturbance, Verdict.Kind.RATIO));
      results.goal(Goal.atMost("Java floor: SDK CPU/msg, validating, ÷ Java floor, concurrency " + c,
          cpuRatio.median(), CPU_GOAL, "×", "%.2f", disturbance, Verdict.Kind.RATIO));
    }
    String runs = "median (min–max) of " + settings.runs() + " runs of up to " + Format.num("%.1f",
        settings.runTime().toMillis() / 1e3) + " s, at most " + IN_FLIGHT_LIMIT + " messages in flight; ratios are "
        + "medians of per-round ratios";
    results.table(new Table("throughput", "Messages per second through one receiver",
        List.of("concurrency", "floor", "SDK (validating)", "SDK / floor", "SDK (no validation)", "no-val / floor"),
        rateRows, runs));
    results.table(new Table("cpu", "Receiver CPU per message, µs (user + system of the receiving process)",
        List.of("concurrency", "floor", "SDK (validating)", "SDK / floor", "SDK (no validation)", "no-val / floor"),
        cpuRows, runs));
    results.table(new Table("cpu-split", "Where the receiver's CPU goes, µs per message (medians)",
        List.of("receiver @ concurrency", "accept+read thread", "workers (decode, validate, dispatch)", "other Java",
            "JVM (GC, JIT)", "total", "ctx switches/msg, accept+read", "ctx switches/msg, workers"),
        splitRows, "accept+read: the floor's one thread, or the SDK's NIO thread (accept, read, close); "
            + "JVM: process CPU not on any Java thread; context switches from /proc/PID/task/*/status"));
    if (!diagnosticRows.isEmpty()) {
      results.table(new Table("diagnostics", "Diagnostic receivers (what the SDK's parts cost)",
          List.of("receiver @ concurrency", "msg/s", "CPU µs/msg", "CPU vs floor", "CPU vs SDK"), diagnosticRows,
          "sdk-1worker: the SDK with one worker thread; sdk-inline: its listener and dispatcher with no worker "
              + "pool (decoding on the I/O thread, which the SDK's design rules out)"));
    }
  }

  /** Per-round ratios of {@code subject} to the floor, as one figure. */
  private Measurement ratio(String name, String subject, int concurrency, String metric) {
    List<Double> ours = metric(subject, concurrency, metric);
    List<Double> floor = metric(FLOOR, concurrency, metric);
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < Math.min(ours.size(), floor.size()); i++) {
      ratios.add(ours.get(i) / floor.get(i));
    }
    return results.add(new Measurement(SECTION, subject, Integer.toString(concurrency), name, "x", ratios));
  }
}
