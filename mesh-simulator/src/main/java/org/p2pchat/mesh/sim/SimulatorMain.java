package org.p2pchat.mesh.sim;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.p2pchat.mesh.MeshConfig;

/**
 * Runs the mesh simulations and writes docs/mesh-simulation.md with a table and an SVG plot.
 *
 * <p>Usage: {@code SimulatorMain [--quick|--full] [--seed N] [--sizes 100,1000,10000] [--messages N]
 * [--runs static,churn,partition] [--out DIR]}. Quick (the default) runs 100 and 1,000 nodes; full adds
 * 10,000. Messages default to 2,000 per run (1,000 at 10,000 nodes, where the control plane makes runs slow). Every run
 * prints its seed; the same seed and options give the same figures.
 */
public final class SimulatorMain {
  private SimulatorMain() {}

  /** One row of the report. */
  record Row(String name, int nodes, Result result) {}

  public static void main(String[] args) throws IOException {
    long seed = 20181030L;
    boolean full = false;
    List<Integer> sizes = null;
    int messagesOption = -1;
    List<String> runs = List.of("static", "churn", "partition");
    Path out = Path.of("docs");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> full = false;
        case "--full" -> full = true;
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--sizes" -> {
          sizes = new ArrayList<>();
          for (String s : args[++i].split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
          }
        }
        case "--out" -> out = Path.of(args[++i]);
        case "--messages" -> messagesOption = Integer.parseInt(args[++i]);
        case "--runs" -> runs = List.of(args[++i].split(","));
        default -> {
          System.err.println("usage: SimulatorMain [--quick|--full] [--seed N] [--sizes 100,1000] [--messages N]"
              + " [--runs static,churn,partition] [--out DIR]");
          System.exit(2);
        }
      }
    }
    if (sizes == null) {
      sizes = full ? List.of(100, 1_000, 10_000) : List.of(100, 1_000);
    }
    PrintStream o = System.out;
    o.println("mesh simulation, seed " + seed + " (rerun with --seed " + seed + ")");
    List<Row> rows = new ArrayList<>();
    for (int size : sizes) {
      int messages = messagesOption > 0 ? messagesOption : size >= 10_000 ? 1_000 : 2_000;
      Scenario base = Scenario.random("random", size, messages);
      List<Scenario> scenarios = new ArrayList<>();
      if (runs.contains("static")) {
        scenarios.add(base.named("static"));
      }
      if (runs.contains("churn")) {
        scenarios.add(base.withChurn(0.10).named("churn 10 %"));
      }
      if (runs.contains("partition")) {
        scenarios.add(base.withPartition().named("partition heals"));
      }
      for (Scenario s : scenarios) {
        o.printf(Locale.ROOT, "running %,d nodes, %s, %,d messages ...%n", size, s.name(), messages);
        Result r = new Simulation(s, seed).run();
        Row row = new Row(s.name(), size, r);
        rows.add(row);
        o.println(Report.line(row));
      }
    }
    List<int[]> chains = new ArrayList<>();
    int[] lengths = {3, 10, 30};
    for (int length : lengths) {
      Scenario chain = new Scenario("chain", Scenario.Topology.CHAIN, length, 2, 0, false, 0, 5_000, 0,
          MeshConfig.defaults());
      int[] rounds = new Simulation(chain, seed).chainConvergence();
      chains.add(rounds);
      o.printf(Locale.ROOT, "chain of %d: converged %d round(s) after the last link was cut, %d after it came back%n",
          length, rounds[0], rounds[1]);
    }
    String command = String.join(" ", args);
    if (!command.contains("--seed")) {
      command = (command + " --seed " + seed).trim();
    }
    String markdown = Report.markdown(seed, command, rows, lengths, chains);
    Files.createDirectories(out);
    Files.writeString(out.resolve("mesh-simulation.md"), markdown, StandardCharsets.UTF_8);
    Files.writeString(out.resolve("mesh-simulation.svg"), Report.svg(rows), StandardCharsets.UTF_8);
    o.println("wrote " + out.resolve("mesh-simulation.md") + " and " + out.resolve("mesh-simulation.svg"));
  }
}
