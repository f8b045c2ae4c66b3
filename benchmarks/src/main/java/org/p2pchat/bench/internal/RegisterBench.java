package org.p2pchat.bench.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.p2pchat.protocol.HostPort;

/**
 * The reference server's REGISTER → REGISTER_SUCCESS round trips per second and CPU per round trip,
 * at 1 and 32 outstanding, against the 2018 Python server's figures (measured on this machine when the
 * goal was set, kept as constants) and against a minimal C request/reply server run beside it with the
 * same C driver. The server keeps its state file on disk under the output directory, so every reply
 * waits for a real fsync; at 1 outstanding a second C floor that fdatasyncs each request before its reply
 * shows the most any durable server can do here.
 */
public final class RegisterBench {
  public static final String SECTION = "server";
  /** Outstanding REGISTERs, the 2018 server's rate and CPU per op there. */
  record Python(int outstanding, double rate, double cpuMicros, double goal) {}

  static final List<Python> PYTHON = List.of(new Python(1, 2_768, 249, 1.0), new Python(32, 4_587, 211, 1.5));
  static final double CPU_GOAL_MICROS = 250;
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final BenchContext ctx;
  private final Settings settings;
  private final Results results;

  public RegisterBench(BenchContext ctx) {
    this.ctx = ctx;
    this.settings = ctx.settings();
    this.results = ctx.results();
  }

  /** {@code jitShare}: the target's JIT compiler threads' share of its CPU during the run. */
  private record Run(double rate, double cpuMicros, long sent, long replies, long errors, double jitShare) {}

  public void run() throws Exception {
    Optional<Path> jar = ProjectRoot.runnableJar(settings.root(), "reference-server");
    CBuild.Outcome c = ctx.c();
    if (jar.isEmpty()) {
      for (Python py : PYTHON) {
        results.goal(Goal.skipped(rateGoal(py), "≥ " + py.goal + "×", "no reference-server jar"));
      }
      return;
    }
    Path state = settings.out().resolve("server-state.jsonl");
    Files.deleteIfExists(state);
    List<AutoCloseable> open = new ArrayList<>();
    try {
      ChildProcess server = ReferenceApp.start("server", jar.get(), "server", List.of("--host", "127.0.0.1",
          "--port", "0", "--state", state.toString(), "--exempt-source", "127.0.0.1", "--max-peers", "10000000"),
          settings.logDir());
      open.add(server);
      HostPort ours = server.awaitListening(START_TIMEOUT);
      Cpus.pin(server.pid(), Cpus.TARGET_CPU);
      ChildProcess floor = null;
      HostPort floorAddress = null;
      ChildProcess durable = null;
      HostPort durableAddress = null;
      CDriver driver = null;
      if (c.programs().isPresent()) {
        floor = ChildProcess.start("c-rrserver", List.of(c.programs().get().rrserver().toString()),
            settings.logDir());
        open.add(floor);
        floorAddress = floor.awaitListening(START_TIMEOUT);
        Cpus.pin(floor.pid(), Cpus.TARGET_CPU);
        durable = ChildProcess.start("c-rrserver-durable", List.of(c.programs().get().rrserver().toString(),
            settings.out().resolve("c-rrserver-state").toString()), settings.logDir());
        open.add(durable);
        durableAddress = durable.awaitListening(START_TIMEOUT);
        Cpus.pin(durable.pid(), Cpus.TARGET_CPU);
        driver = new CDriver(c.programs().get().driver());
      } else {
        for (Python py : PYTHON) {
          results.goal(Goal.skipped(rateGoal(py), "≥ " + py.goal + "× the 2018 server", c.problem()));
          results.goal(Goal.skipped(cpuGoal(py), "≤ 250 µs", c.problem()));
        }
        return;
      }
      CDriver d = driver;
      ChildProcess f = floor;
      HostPort fa = floorAddress;
      ChildProcess df = durable;
      HostPort dfa = durableAddress;
      // Warm until the JIT is quiet (at 32 outstanding it reaches its thresholds sooner than at 4), so the runs
      // measure the server an operator runs for days, not its compiler.
      int[] round = {0};
      JitWarmup.Outcome warmed = JitWarmup.untilQuiet(server, Duration.ofSeconds(settings.quick() ? 3 : 20),
          () -> run(d, server, ours, 32, Duration.ofSeconds(1), "warm" + round[0]++));
      ctx.progress().printf("server: %s%n", warmed.describe());
      List<List<String>> rows = new ArrayList<>();
      long sent = 0;
      long replied = 0;
      long errors = 0;
      for (Python py : PYTHON) {
        int n = py.outstanding;
        Attempts.Outcome<Run[]> o = Attempts.measure("server, " + n + " outstanding", ctx, ctx.tries(), () -> {
          String tag = "r" + n + "t" + System.nanoTime() % 1_000_000;
          // The durable floor syncs once per request: a floor only at 1 outstanding (the server commits in groups).
          Run durableRun = n == 1 ? run(d, df, dfa, n, settings.runTime(), "d" + tag) : null;
          return new Run[] {run(d, f, fa, n, settings.runTime(), "c" + tag), run(d, server, ours, n,
              settings.runTime(), tag), durableRun};
        });
        Run cr = o.value()[0];
        Run sr = o.value()[1];
        Run dr = o.value()[2];
        sent += sr.sent;
        replied += sr.replies;
        errors += sr.errors;
        String param = Integer.toString(n);
        results.add(Measurement.of(SECTION, "c-rrserver", param, "rate", "rt/s", cr.rate));
        results.add(Measurement.of(SECTION, "c-rrserver", param, "cpu", "us/rt", cr.cpuMicros));
        if (dr != null) {
          results.add(Measurement.of(SECTION, "c-rrserver-durable", param, "rate", "rt/s", dr.rate));
          results.add(Measurement.of(SECTION, "c-rrserver-durable", param, "cpu", "us/rt", dr.cpuMicros));
        }
        results.add(Measurement.of(SECTION, "register", param, "rate", "rt/s", sr.rate));
        results.add(Measurement.of(SECTION, "register", param, "cpu", "us/rt", sr.cpuMicros));
        results.goal(Goal.atLeast(rateGoal(py), sr.rate / py.rate, py.goal, "×", "%.2f", o.disturbance(),
            Verdict.Kind.ABSOLUTE));
        results.goal(Goal.atMost(cpuGoal(py), sr.cpuMicros, CPU_GOAL_MICROS, " µs", "%.0f", o.disturbance(),
            Verdict.Kind.ABSOLUTE));
        rows.add(List.of(param, Format.num("%,.0f", py.rate) + " / " + Format.num("%.0f", py.cpuMicros),
            Format.num("%,.0f", cr.rate) + " / " + Format.num("%.0f", cr.cpuMicros),
            dr == null ? "-" : Format.num("%,.0f", dr.rate) + " / " + Format.num("%.0f", dr.cpuMicros),
            Format.num("%,.0f", sr.rate) + " / " + Format.num("%.0f", sr.cpuMicros),
            Format.num("%.2f", sr.rate / py.rate), Format.num("%.2f", sr.rate / cr.rate),
            dr == null ? "-" : Format.num("%.2f", sr.rate / dr.rate), Format.num("%.0f %%", sr.jitShare * 100),
            o.disturbance().describe() + (o.tries() > 1 ? ", " + o.tries() + " tries" : "")));
        ctx.progress().printf("server: %d outstanding: C %,.0f rt/s%s; server %,.0f rt/s, %.0f µs/rt (%s)%n", n,
            cr.rate, dr == null ? "" : Format.num(", durable C %,.0f rt/s", dr.rate), sr.rate, sr.cpuMicros,
            o.disturbance().describe());
      }
      results.check("server: every REGISTER got its REGISTER_SUCCESS", sent == replied && errors == 0,
          sent + " sent, " + replied + " replies, " + errors + " REGISTER_ERROR");
      results.table(new Table("server-register", "Reference server: REGISTER → REGISTER_SUCCESS round trips",
          List.of("outstanding", "2018 Python rt/s / µs CPU", "C floor rt/s / µs CPU",
              "durable C floor rt/s / µs CPU", "server rt/s / µs CPU", "server ÷ Python", "server ÷ C floor",
              "server ÷ durable C floor", "server JIT share of its CPU", "machine during the round"), rows,
          "one run of " + Format.num("%.1f s", settings.runTime().toMillis() / 1e3) + " each, C floor then server, "
              + "after " + warmed.describe() + "; "
              + "same C driver; the Python figures are the 2018 server's on this machine (issue 11); state file on "
              + "disk (under --out), so replies wait for fsync; the durable C floor appends each REGISTER to a file "
              + "and fdatasyncs it before replying (1 outstanding only: it syncs once per request, the server once "
              + "per group); CPU from /proc (10 ms ticks)"));
    } finally {
      for (AutoCloseable x : open) {
        x.close();
      }
    }
  }

  private static String rateGoal(Python py) {
    return "server REGISTER round trips/s ÷ 2018 Python's (" + Format.num("%,.0f", py.rate) + "), "
        + py.outstanding + " outstanding";
  }

  private static String cpuGoal(Python py) {
    return "server CPU per REGISTER round trip, " + py.outstanding + " outstanding";
  }

  private Run run(CDriver driver, ChildProcess target, HostPort address, int outstanding, Duration time, String tag)
      throws IOException {
    long cpu = target.cpuNanos();
    long jit = ProcFs.compilerNanos(target.pid());
    CDriver.Result r = driver.register(address, outstanding, time, tag);
    long cpuAfter = target.cpuNanos();
    long used = cpuAfter - cpu;
    return new Run(r.rate(), r.done() == 0 ? 0 : used / 1e3 / r.done(), r.sent(), r.done(), r.errors(),
        JitWarmup.share(cpu, cpuAfter, jit, ProcFs.compilerNanos(target.pid())));
  }
}
