package org.p2pchat.bench.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.protocol.model.ChatRequest;

/**
 * The reference peer against the minimal C receiver, driven by the same C load driver: N senders each
 * connect, write one CHAT_MESSAGE, close; a message counts once shown on the receiver's stdout. Both
 * receivers are pinned to one CPU and the driver to the other; within a round the C receiver runs
 * first, then the peer, and a disturbed round is redone. Goals: CPU per message C ÷ ours ≥ 0.75, rate
 * ≥ 0.85× the C receiver's, nothing lost, each sender's order kept.
 */
public final class PeerBench {
  public static final String SECTION = "peer";
  public static final double CPU_GOAL = 0.75;
  public static final double RATE_GOAL = 0.85;
  static final int WINDOW = 512;

  private final BenchContext ctx;
  private final Settings settings;
  private final Results results;

  public PeerBench(BenchContext ctx) {
    this.ctx = ctx;
    this.settings = ctx.settings();
    this.results = ctx.results();
  }

  /** One receiver under test: its process, address and line tally. */

  /** One run's figures. */
  /** {@code jitShare}: the target's JIT compiler threads' share of its CPU during the run. */
  private record Run(double rate, double cpuMicros, long sent, long shown, long outOfOrder, long failed,
      double jitShare) {}

  public void run() throws Exception {
    List<Integer> levels = settings.concurrencies();
    Optional<Path> jar = ProjectRoot.runnableJar(settings.root(), "reference-peer");
    CBuild.Outcome c = ctx.c();
    if (c.programs().isEmpty() || jar.isEmpty()) {
      String why = c.programs().isEmpty() ? c.problem() : "no reference-peer jar (mvn -B -q -DskipTests package)";
      for (int n : levels) {
        results.goal(Goal.skipped(cpuGoal(n), "≥ 0.75×", why));
        results.goal(Goal.skipped(rateGoal(n), "≥ 0.85×", why));
      }
      return;
    }
    CBuild.Programs programs = c.programs().get();
    CDriver driver = new CDriver(programs.driver());
    List<AutoCloseable> open = new ArrayList<>();
    try (ServerSocket sink = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      CompletableFuture<Void> accepted = new CompletableFuture<>();
      Thread sinkThread = new Thread(() -> drain(sink, accepted), "bench-peer-sink");
      sinkThread.setDaemon(true);
      sinkThread.start();
      ChatTarget floor = start("c-receiver", List.of(programs.receiver().toString()), open);
      ChildProcess peer = ReferenceApp.start("peer", jar.get(), "peer", List.of("--name", "benchpeer", "--port", "0",
          "--host", "127.0.0.1", "--auto-accept", "--plain", "--server", "127.0.0.1:" + sink.getLocalPort()),
          settings.logDir());
      ChatTarget ours = target("peer", peer, open);
      byte[] request = WireJson.encode(new ChatRequest().withPeername(Payloads.SENDER).withHost("127.0.0.1")
          .withPort(sink.getLocalPort()), WireJson.Style.PYTHON);
      try (Socket s = new Socket(ours.address().host(), ours.address().port())) {
        s.getOutputStream().write(request);
      }
      accepted.get(20, TimeUnit.SECONDS);
      // Warm until the JIT is quiet, so the runs measure the peer a user runs for hours, not its compiler; rounds
      // go through every sender count measured, since more senders take paths fewer never do (fair queues, batches).
      int[] round = {0};
      JitWarmup.Outcome warmed = JitWarmup.untilQuiet(ours.process(), Duration.ofSeconds(settings.quick() ? 3 : 30),
          levels.size(), () -> run(driver, ours, levels.get(round[0] % levels.size()), Duration.ofSeconds(1), "warm" + round[0]++));
      ctx.progress().printf("peer: %s%n", warmed.describe());
      run(driver, floor, 4, Duration.ofMillis(300), "warm");
      List<List<String>> rows = new ArrayList<>();
      long sent = 0;
      long shown = 0;
      long disorder = 0;
      long floorDisorder = 0;
      for (int n : levels) {
        Attempts.Outcome<Run[]> o = Attempts.measure("peer, " + n + " senders", ctx, ctx.tries(), () -> {
          String tag = "c" + n + "t" + System.nanoTime() % 100_000;
          return new Run[] {run(driver, floor, n, settings.runTime(), tag), run(driver, ours, n, settings.runTime(),
              tag)};
        });
        Run f = o.value()[0];
        Run p = o.value()[1];
        sent += p.sent + f.sent;
        shown += p.shown + f.shown;
        disorder += p.outOfOrder;
        floorDisorder += f.outOfOrder;
        String param = Integer.toString(n);
        results.add(Measurement.of(SECTION, "c-receiver", param, "rate", "msg/s", f.rate));
        results.add(Measurement.of(SECTION, "c-receiver", param, "cpu", "us/msg", f.cpuMicros));
        results.add(Measurement.of(SECTION, "peer", param, "rate", "msg/s", p.rate));
        results.add(Measurement.of(SECTION, "peer", param, "cpu", "us/msg", p.cpuMicros));
        double cpuRatio = f.cpuMicros / p.cpuMicros;
        double rateRatio = p.rate / f.rate;
        results.add(Measurement.of(SECTION, "peer", param, "cpu-ratio", "x", cpuRatio));
        results.add(Measurement.of(SECTION, "peer", param, "rate-ratio", "x", rateRatio));
        results.goal(Goal.atLeast(cpuGoal(n), cpuRatio, CPU_GOAL, "×", "%.2f", o.disturbance(), Verdict.Kind.RATIO));
        results.goal(Goal.atLeast(rateGoal(n), rateRatio, RATE_GOAL, "×", "%.2f", o.disturbance(),
            Verdict.Kind.RATIO));
        rows.add(List.of(param, Format.num("%,.0f", f.rate), Format.num("%.1f", f.cpuMicros),
            Format.num("%,.0f", p.rate), Format.num("%.1f", p.cpuMicros), Format.num("%.2f", cpuRatio),
            Format.num("%.2f", rateRatio), Format.num("%.0f %%", p.jitShare * 100), p.shown + " / " + p.sent + (p.outOfOrder > 0 ? ", " + p.outOfOrder
                + " out of order" : ""), o.disturbance().describe() + (o.tries() > 1 ? ", " + o.tries() + " tries" : "")));
        ctx.progress().printf("peer: %d senders: C %,.0f msg/s %.1f µs/msg; peer %,.0f msg/s %.1f µs/msg (%s)%n", n,
            f.rate, f.cpuMicros, p.rate, p.cpuMicros, o.disturbance().describe());
      }
      results.goal(Goal.holds("peer: nothing lost, order kept per sender (every sender count)",
          "0 lost, 0 out of order", sent == shown && disorder == 0, (sent - shown) + " lost, " + disorder
              + " out of order"));
      // The C receiver handles one connection at a time: if it saw a sender's messages out of order, the
      // driver sent them so, and the peer's figure would mean nothing.
      results.check("C receiver: every sender's messages in order (the driver's own order)", floorDisorder == 0,
          floorDisorder + " out of order");
      results.check("peer and C receiver: every message sent was shown", sent == shown, sent + " sent, " + shown
          + " shown");
      results.table(new Table("peer", "Reference peer vs the minimal C receiver, same C driver",
          List.of("senders", "C msg/s", "C CPU µs/msg", "peer msg/s", "peer CPU µs/msg", "CPU C ÷ peer",
              "rate peer ÷ C", "peer JIT share of its CPU", "peer shown / sent", "machine during the round"), rows,
          "one run of " + Format.num("%.1f s", settings.runTime().toMillis() / 1e3) + " each, C receiver then peer, "
              + "after " + warmed.describe() + "; "
              + (Cpus.canPin() ? "receivers pinned to CPU " + Cpus.TARGET_CPU + ", driver to CPU " + Cpus.DRIVER_CPU
              : "not pinned (one CPU or no taskset)") + "; at most " + WINDOW + " messages in flight; CPU from "
              + "/proc (10 ms ticks); a round with others using > " + Format.num("%.0f",
              Disturbance.DEFAULT_THRESHOLD) + " % of the machine is redone (at most " + ctx.tries() + " tries)"));
    } finally {
      for (AutoCloseable c2 : open) {
        c2.close();
      }
    }
  }

  private static String cpuGoal(int n) {
    return "peer CPU/msg, C receiver ÷ peer, " + n + " sender" + (n == 1 ? "" : "s");
  }

  private static String rateGoal(int n) {
    return "peer rate ÷ C receiver's, " + n + " sender" + (n == 1 ? "" : "s");
  }

  private ChatTarget start(String name, List<String> command, List<AutoCloseable> open) throws IOException {
    return target(name, ChildProcess.start(name, command, settings.logDir()), open);
  }

  private ChatTarget target(String name, ChildProcess process, List<AutoCloseable> open) throws IOException {
    return ChatTarget.of(name, process, settings.out(), open);
  }

  private Run run(CDriver driver, ChatTarget t, int senders, Duration time, String tag) throws IOException {
    t.tally().begin(tag);
    long cpu = t.process().cpuNanos();
    long jit = ProcFs.compilerNanos(t.process().pid());
    CDriver.Result r = driver.chat(t.address(), senders, time, WINDOW, t.tally().file(), tag);
    long cpuAfter = t.process().cpuNanos();
    long used = cpuAfter - cpu;
    ChatTally.Count count = t.tally().count();
    return new Run(r.rate(), count.shown() == 0 ? 0 : used / 1e3 / count.shown(), r.sent(), count.shown(),
        count.outOfOrder(), r.failed(), JitWarmup.share(cpu, cpuAfter, jit, ProcFs.compilerNanos(t.process().pid())));
  }

  /** Reads whatever the peer sends us (its REGISTER, the CHAT_ACCEPT) and notes the accept. */
  private static void drain(ServerSocket sink, CompletableFuture<Void> accepted) {
    while (!sink.isClosed()) {
      try (Socket s = sink.accept()) {
        s.setSoTimeout(5_000);
        InputStream in = s.getInputStream();
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (text.contains("CHAT_ACCEPT")) {
          accepted.complete(null);
        }
      } catch (IOException e) {
        // Closed at the end, or a peer's connection we do not care about.
      }
    }
  }
}
