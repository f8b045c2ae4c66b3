package org.p2pchat.bench.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Start-up: time from launching a process to its {@code listening on} line, and its resident memory
 * once it has sat idle for a moment. The floor receiver, a JVM doing next to nothing, shows how much of
 * that is the JVM itself.
 */
public final class StartupBench {
  public static final String SECTION = "startup";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  static final double GOAL_MILLIS = 400;

  private final BenchContext ctx;
  private final Settings settings;
  private final Results results;
  private final PrintStream progress;

  public StartupBench(BenchContext ctx) {
    this.ctx = ctx;
    this.settings = ctx.settings();
    this.results = ctx.results();
    this.progress = ctx.progress();
  }

  private interface Launch {
    ChildProcess start(int attempt) throws IOException;
  }

  public void run() throws Exception {
    Map<String, Launch> subjects = new LinkedHashMap<>();
    subjects.put("JVM floor (minimal receiver)", attempt -> {
      List<String> command = new ArrayList<>();
      command.add(ChildProcess.javaCommand());
      command.addAll(ReferenceApp.LAUNCHER_OPTIONS);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.p2pchat.bench.ReceiverMain", "floor"));
      return ChildProcess.start("startup-floor-" + attempt, command, settings.logDir());
    });
    Optional<Path> server = ProjectRoot.runnableJar(settings.root(), "reference-server");
    Optional<Path> peer = ProjectRoot.runnableJar(settings.root(), "reference-peer");
    server.ifPresent(jar -> subjects.put("reference server", attempt -> ReferenceApp.start("startup-server-" + attempt,
        jar, "server", List.of("--host", "127.0.0.1", "--port", "0"), settings.logDir())));
    peer.ifPresent(jar -> subjects.put("reference peer", attempt -> ReferenceApp.start("startup-peer-" + attempt, jar,
        "peer", List.of("--name", "startup", "--port", "0", "--host", "127.0.0.1", "--server", "127.0.0.1:9"),
        settings.logDir())));
    if (server.isEmpty() || peer.isEmpty()) {
      results.note("startup: reference " + (server.isEmpty() ? "server" : "peer") + " jar not built; not measured");
    }
    int attempts = settings.quick() ? 1 : 3;
    Duration idle = Duration.ofSeconds(settings.quick() ? 1 : 2);
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, Launch> subject : subjects.entrySet()) {
      List<Double> millis = new ArrayList<>();
      List<Double> rss = new ArrayList<>();
      List<Disturbance> disturbances = new ArrayList<>();
      for (int attempt = 0; attempt < attempts; attempt++) {
        int launch = attempt;
        try {
          Attempts.Outcome<double[]> o = Attempts.measure("startup of " + subject.getKey(), ctx, ctx.tries(), () -> {
            ChildProcess child = subject.getValue().start(launch);
            try {
              child.awaitListening(START_TIMEOUT);
              double ms = child.nanosSinceStart() / 1e6;
              return new double[] {ms, child.staysAliveFor(idle) ? child.rssKb() : -1};
            } finally {
              child.stop();
            }
          });
          millis.add(o.value()[0]);
          if (o.value()[1] >= 0) {
            rss.add(o.value()[1]);
          }
          disturbances.add(o.disturbance());
        } catch (IOException e) {
          results.note("startup of " + subject.getKey() + " failed: " + e.getMessage());
        }
      }
      results.check("startup: " + subject.getKey() + " started every time", millis.size() == attempts,
          millis.size() + " of " + attempts);
      if (millis.isEmpty()) {
        continue;
      }
      Measurement time = results.add(new Measurement(SECTION, subject.getKey(), "", "time", "ms", millis));
      Optional<Measurement> memory = rss.isEmpty() ? Optional.empty()
          : Optional.of(results.add(new Measurement(SECTION, subject.getKey(), "", "rss", "KiB", rss)));
      if (!subject.getKey().startsWith("JVM")) {
        results.goal(Goal.atMost("start-up to `listening on`, " + subject.getKey(), time.median(), GOAL_MILLIS,
            " ms", "%.0f", Disturbance.worst(disturbances), Verdict.Kind.ABSOLUTE));
      }
      rows.add(List.of(subject.getKey(), Format.range(time, "%,.0f"),
          memory.map(m -> Format.megabytes(m.median())).orElse("-")));
      progress.printf("startup: %s: %,.0f ms to listening%n", subject.getKey(), time.median());
    }
    results.table(new Table("startup", "Start-up: launch to `listening on`, and idle memory",
        List.of("process", "ms to listening", "idle RSS"), rows,
        attempts + " launch(es) each, with bin/p2pchat's JVM options; RSS " + idle.toSeconds() + " s after listening"));
  }
}
