package org.p2pchat.bench.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

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

  /** Everything, samples included, as one JSON object: the records below, written by Jackson. */
  public static byte[] json(Report report) {
    Settings st = report.settings();
    JsonReport doc = new JsonReport(st.quick() ? "quick" : "full", report.started().toString(), report.seconds(),
        new JsonMachine(report.machine(), report.loadAtEnd()),
        new JsonSettings(st.runs(), st.runTime().toMillis(), st.messages(), st.warmupMessages(), st.concurrencies(),
            st.sections().stream().sorted().toList()),
        report.headline().orElse(null),
        report.results().measurements().stream().map(JsonMeasurement::of).toList(),
        report.results().goals(), report.results().checks(), report.results().notes());
    try {
      return (JSON.writeValueAsString(doc) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  record JsonReport(String mode, String started, double seconds, JsonMachine machine, JsonSettings settings,
      String headline, List<JsonMeasurement> measurements, List<Goal> goals, List<Check> checks,
      List<String> notes) {}

  record JsonMachine(int cpus, String cpuModel, long memoryKb, String jdk, String os, String loadAverageAtStart,
      String loadAverageAtEnd) {
    JsonMachine(Machine m, String loadAtEnd) {
      this(m.cpus(), m.cpuModel(), m.memoryKb(), m.jdk(), m.os(), m.loadAverage(), loadAtEnd);
    }
  }

  record JsonSettings(int runs, long runMillis, int maxMessagesPerRun, int warmupMessages, List<Integer> concurrencies,
      List<String> sections) {}

  record JsonMeasurement(String section, String subject, String param, String metric, String unit, double median,
      double min, double max, List<Double> samples) {
    static JsonMeasurement of(Measurement m) {
      return new JsonMeasurement(m.section(), m.subject(), m.param(), m.metric(), m.unit(), m.median(), m.min(),
          m.max(), m.samples());
    }
  }
}
