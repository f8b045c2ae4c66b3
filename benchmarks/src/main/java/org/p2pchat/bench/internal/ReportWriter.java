package org.p2pchat.bench.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The report as console text, CSV and JSON. */
public final class ReportWriter {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportWriter() {}

  /** Every table, then the goals, failed checks and notes: what the console shows at the end. */
  public static String text(Report report) {
    StringBuilder sb = new StringBuilder();
    sb.append("p2pchat benchmarks (").append(report.settings().quick() ? "quick" : "full").append(") on ")
        .append(report.machine().cpus()).append(" CPUs, ").append(report.machine().cpuModel()).append(", ")
        .append(report.machine().jdk()).append("; took ").append(Format.num("%.0f", report.seconds())).append(" s\n\n");
    for (Table table : report.results().tables()) {
      sb.append(table.toText()).append('\n');
    }
    if (!report.results().goals().isEmpty()) {
      sb.append(report.goalsTable().toText()).append('\n');
    }
    report.headline().ifPresent(h -> sb.append(h).append("\n\n"));
    for (Check check : report.results().checks()) {
      if (!check.ok()) {
        sb.append("CHECK FAILED: ").append(check.name()).append(": ").append(check.detail()).append('\n');
      }
    }
    for (String note : report.results().notes()) {
      sb.append("note: ").append(note).append('\n');
    }
    return sb.toString();
  }

  /** One line a figure: section, subject, param, metric, unit, median, min, max, runs. */
  public static String csv(Report report) {
    StringBuilder sb = new StringBuilder("section,subject,param,metric,unit,median,min,max,runs\n");
    for (Measurement m : report.results().measurements()) {
      sb.append(cell(m.section())).append(',').append(cell(m.subject())).append(',').append(cell(m.param()))
          .append(',').append(cell(m.metric())).append(',').append(cell(m.unit())).append(',')
          .append(Format.plain(m.median())).append(',').append(Format.plain(m.min())).append(',')
          .append(Format.plain(m.max())).append(',').append(m.runs()).append('\n');
    }
    return sb.toString();
  }

  private static String cell(String s) {
    return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** Everything, samples included, as one JSON object. */
  public static byte[] json(Report report) {
    ObjectNode root = JSON.createObjectNode();
    root.put("mode", report.settings().quick() ? "quick" : "full");
    root.put("started", report.started().toString());
    root.put("seconds", report.seconds());
    ObjectNode machine = root.putObject("machine");
    machine.put("cpus", report.machine().cpus());
    machine.put("cpuModel", report.machine().cpuModel());
    machine.put("memoryKb", report.machine().memoryKb());
    machine.put("jdk", report.machine().jdk());
    machine.put("os", report.machine().os());
    machine.put("loadAverageAtStart", report.machine().loadAverage());
    machine.put("loadAverageAtEnd", report.loadAtEnd());
    ObjectNode settings = root.putObject("settings");
    settings.put("runs", report.settings().runs());
    settings.put("runMillis", report.settings().runTime().toMillis());
    settings.put("maxMessagesPerRun", report.settings().messages());
    settings.put("warmupMessages", report.settings().warmupMessages());
    report.settings().concurrencies().forEach(settings.putArray("concurrencies")::add);
    report.settings().sections().stream().sorted().forEach(settings.putArray("sections")::add);
    report.headline().ifPresent(h -> root.put("headline", h));
    ArrayNode figures = root.putArray("measurements");
    for (Measurement m : report.results().measurements()) {
      ObjectNode f = figures.addObject();
      f.put("section", m.section());
      f.put("subject", m.subject());
      f.put("param", m.param());
      f.put("metric", m.metric());
      f.put("unit", m.unit());
      f.put("median", m.median());
      f.put("min", m.min());
      f.put("max", m.max());
      m.samples().forEach(f.putArray("samples")::add);
    }
    ArrayNode goals = root.putArray("goals");
    for (Goal g : report.results().goals()) {
      ObjectNode o = goals.addObject();
      o.put("name", g.name());
      o.put("target", g.target());
      o.put("actual", g.actual());
      o.put("met", g.met());
      o.put("margin", g.margin());
    }
    ArrayNode checks = root.putArray("checks");
    for (Check c : report.results().checks()) {
      ObjectNode o = checks.addObject();
      o.put("name", c.name());
      o.put("ok", c.ok());
      o.put("detail", c.detail());
    }
    report.results().notes().forEach(root.putArray("notes")::add);
    try {
      return JSON.writeValueAsString(root).concat("\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
