package org.p2pchat.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Writes a run as one JSON document: the run (target, role, seed, summary, exit code) and, per case, id,
 * description, rule, verdict, expected, actual, details, duration, replay file and the timestamped wire log.
 */
public final class JsonReport {
  private JsonReport() {}

  public static ObjectNode toJson(SuiteReport report) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode()
        .put("tool", "p2pchat-conformance")
        .put("target", report.target().toString())
        .put("role", report.role().label())
        .put("seed", report.seed())
        .put("startedAt", report.startedAt().toString())
        .put("durationMs", report.duration().toMillis())
        .put("exitCode", report.exitCode());
    root.putObject("summary")
        .put("cases", report.results().size())
        .put("passed", report.count(Verdict.PASS))
        .put("failed", report.count(Verdict.FAIL))
        .put("nonStrict", report.count(Verdict.NON_STRICT))
        .put("unavailable", report.count(Verdict.UNAVAILABLE))
        .put("knownFailures", report.results().stream().filter(report::isKnownFailure).count())
        .put("stale", report.stale().size())
        .put("text", report.summary());
    ArrayNode cases = root.putArray("cases");
    for (CaseResult r : report.results()) {
      ObjectNode c = cases.addObject()
          .put("id", r.id())
          .put("description", r.info().description())
          .put("rule", r.info().rule())
          .put("verdict", r.verdict().label())
          .put("knownFailure", report.isKnownFailure(r))
          .put("stale", report.isStale(r))
          .put("expected", r.expected())
          .put("actual", r.actual())
          .put("details", r.details())
          .put("startedAt", r.startedAt().toString())
          .put("durationMs", r.duration().toMillis());
      r.replayFile().ifPresent(f -> c.put("replayFile", f.toString()));
      ArrayNode wire = c.putArray("wire");
      for (WireEvent e : r.wire()) {
        wire.addObject()
            .put("at", e.at().toString())
            .put("offsetMs", Duration.between(r.startedAt(), e.at()).toMillis())
            .put("direction", e.direction().name())
            .put("endpoint", e.endpoint())
            .put("length", e.length())
            .put("text", e.text());
      }
    }
    return root;
  }

  public static void write(SuiteReport report, Path file) throws IOException {
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), toJson(report));
  }
}
