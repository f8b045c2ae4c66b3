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
 * Start-up: time from launching a process to its {@code listening on} line, the CPU it used by then, and
 * its resident memory once it has sat idle for a moment. The floor receiver, a JVM doing next to nothing,
 * shows how much of that is the JVM itself.
 *
 * <p>The server and the peer are launched as bin/p2pchat launches them, with an AppCDS archive recorded by
 * one earlier launch (the goal's figure), and also without one. CPU to listening moves far less with
 * other processes' load than the wall time does.
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

  private static final List<String> CDS_QUIET = List.of("-Xlog:cds=off", "-Xlog:cds+dynamic=off");

  /**
   * Records an AppCDS archive of one launch, as bin/p2pchat's first run does; the options that map it, or
   * empty if no archive came of it (then the launcher's later runs would not have one either).
   */
  private Optional<List<String>> cdsOptions(String app, Path jar, String verb, List<String> args) {
    Path archive = settings.out().resolve("startup-cds").resolve(app + ".jsa");
    try {
      java.nio.file.Files.createDirectories(archive.getParent());
      java.nio.file.Files.deleteIfExists(archive);
      List<String> record = new ArrayList<>(List.of("-XX:ArchiveClassesAtExit=" + archive));
      record.addAll(CDS_QUIET);
      ChildProcess child = ReferenceApp.start("startup-" + app + "-cds-record", jar, verb, args, settings.logDir(),
          record);
      try {
        child.awaitListening(START_TIMEOUT);
      } finally {
        child.stop(); // the archive is written as the JVM exits
      }
    } catch (IOException e) {
      results.note("startup: recording an AppCDS archive of the " + app + " failed: " + e.getMessage());
      return Optional.empty();
    }
    if (!java.nio.file.Files.isRegularFile(archive)) {
      results.note("startup: no AppCDS archive of the " + app + " was written; measured without one");
      return Optional.empty();
    }
    List<String> use = new ArrayList<>(List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto"));
    use.addAll(CDS_QUIET);
    return Optional.of(use);
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
    List<String> serverArgs = List.of("--host", "127.0.0.1", "--port", "0");
    List<String> peerArgs = List.of("--name", "startup", "--port", "0", "--host", "127.0.0.1", "--server",
        "127.0.0.1:9");
    Map<String, String> goals = new LinkedHashMap<>(); // row -> goal name
    server.ifPresent(jar -> addApp(subjects, goals, "server", jar, "server", serverArgs));
    peer.ifPresent(jar -> addApp(subjects, goals, "peer", jar, "peer", peerArgs));
    if (server.isEmpty() || peer.isEmpty()) {
      results.note("startup: reference " + (server.isEmpty() ? "server" : "peer") + " jar not built; not measured");
    }
    int attempts = settings.quick() ? 1 : 3;
    Duration idle = Duration.ofSeconds(settings.quick() ? 1 : 2);
    List<List<String>> rows = new ArrayList<>();
    for (Map.Entry<String, Launch> subject : subjects.entrySet()) {
      List<Double> millis = new ArrayList<>();
      List<Double> cpu = new ArrayList<>();
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
              double cpuMs = child.cpuNanos() / 1e6;
              return new double[] {ms, child.staysAliveFor(idle) ? child.rssKb() : -1, cpuMs};
            } finally {
              child.stop();
            }
          });
          millis.add(o.value()[0]);
          cpu.add(o.value()[2]);
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
      Measurement cpuTime = results.add(new Measurement(SECTION, subject.getKey(), "", "cpu", "ms", cpu));
      Optional<Measurement> memory = rss.isEmpty() ? Optional.empty()
          : Optional.of(results.add(new Measurement(SECTION, subject.getKey(), "", "rss", "KiB", rss)));
      if (goals.containsKey(subject.getKey())) {
        results.goal(Goal.atMost(goals.get(subject.getKey()), time.median(), GOAL_MILLIS,
            " ms", "%.0f", Disturbance.worst(disturbances), Verdict.Kind.ABSOLUTE));
      }
      rows.add(List.of(subject.getKey(), Format.range(time, "%,.0f"), Format.range(cpuTime, "%,.0f"),
          memory.map(m -> Format.megabytes(m.median())).orElse("-")));
      progress.printf("startup: %s: %,.0f ms to listening%n", subject.getKey(), time.median());
    }
    results.table(new Table("startup", "Start-up: launch to `listening on`, and idle memory",
        List.of("process", "ms to listening", "CPU ms to listening", "idle RSS"), rows,
        attempts + " launch(es) each, with bin/p2pchat's JVM options; \"as bin/p2pchat\" maps an AppCDS archive "
            + "recorded by one earlier launch, as the launcher does from its second run; CPU: user + system of the "
            + "whole JVM (JIT and GC threads too); RSS " + idle.toSeconds() + " s after listening"));
  }

  /** The app launched as bin/p2pchat does (AppCDS: the goal's row) and without an archive. */
  private void addApp(Map<String, Launch> subjects, Map<String, String> goals, String app, Path jar, String verb,
      List<String> args) {
    Optional<List<String>> cds = cdsOptions(app, jar, verb, args);
    String row = "reference " + app + (cds.isPresent() ? ", as bin/p2pchat (AppCDS)" : "");
    cds.ifPresent(options -> subjects.put(row, attempt -> ReferenceApp.start("startup-" + app + "-" + attempt, jar,
        verb, args, settings.logDir(), options)));
    goals.put(row, "start-up to `listening on`, reference " + app);
    if (cds.isPresent() && !settings.quick()) { // quick mode keeps to its 90 s
      subjects.put("reference " + app + ", no CDS", attempt -> ReferenceApp.start("startup-" + app + "-nocds-" + attempt,
          jar, verb, args, settings.logDir()));
    } else {
      subjects.put(row, attempt -> ReferenceApp.start("startup-" + app + "-" + attempt, jar, verb, args,
          settings.logDir()));
    }
  }
}
