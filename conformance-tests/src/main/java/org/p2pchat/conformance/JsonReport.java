package org.p2pchat.conformance;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Writes a run as one JSON document: the run (target, role, seed, summary, exit code) and, per case, id,
 * description, rule (anchor, link, text), verdict, expected, actual, details, duration, replay file and the
 * timestamped wire log. The records below are the document's shape; Jackson writes them.
 */
public final class JsonReport {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  /** The whole document. */
  record Run(String tool, String target, String role, long seed, String startedAt, long durationMs, int exitCode,
      Summary summary, List<Case> cases) {}

  record Summary(int cases, long passed, long failed, long nonStrict, long unavailable, long notRun,
      long notApplicable, long knownFailures, int stale, String text, List<String> collapsed) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Case(String id, String description, String rule, String ruleAnchor, String ruleLink, String verdict,
      boolean knownFailure, boolean stale, String expected, String actual, String details, String startedAt,
      long durationMs, String replayFile, List<Wire> wire) {}

  record Wire(String at, long offsetMs, String direction, String endpoint, int length, String text) {}

  public static ObjectNode toJson(SuiteReport report) {
    return MAPPER.valueToTree(document(report));
  }

  static Run document(SuiteReport report) {
    Summary summary = new Summary(report.results().size(), report.count(Verdict.PASS), report.count(Verdict.FAIL),
        report.count(Verdict.NON_STRICT), report.count(Verdict.UNAVAILABLE), report.count(Verdict.NOT_RUN),
        report.count(Verdict.NOT_APPLICABLE), report.results().stream().filter(report::isKnownFailure).count(),
        report.stale().size(), report.summary(), report.collapsed());
    List<Case> cases = report.results().stream().map(r -> new Case(r.id(), r.info().description(), r.info().rule(),
        r.info().ruleAnchor(), r.info().ruleLink(), r.verdict().label(), report.isKnownFailure(r), report.isStale(r),
        r.expected(), r.actual(), r.details(), r.startedAt().toString(), r.duration().toMillis(),
        r.replayFile().map(Path::toString).orElse(null),
        r.wire().stream().map(e -> new Wire(e.at().toString(), Duration.between(r.startedAt(), e.at()).toMillis(),
            e.direction().name(), e.endpoint(), e.length(), e.text())).toList())).toList();
    return new Run("p2pchat-conformance", report.target().toString(), report.role().label(), report.seed(),
        report.startedAt().toString(), report.duration().toMillis(), report.exitCode(), summary, cases);
  }

  public static void write(SuiteReport report, Path file) throws IOException {
    MAPPER.writeValue(file.toFile(), document(report));
  }
}
