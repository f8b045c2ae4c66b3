package org.p2pchat.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.conformance.internal.Action;
import org.p2pchat.conformance.internal.Generator;
import org.p2pchat.conformance.internal.Sequence;
import org.p2pchat.conformance.testimpl.Flaw;
import org.p2pchat.conformance.testimpl.TestServer;

/**
 * Targets that die in the middle of a case: the verdict names the step or input after which the target
 * stopped, keeps the wire log up to there, never calls it shrunk or flaky, and the rest of the run is
 * reported once as not run.
 */
class StoppedTargetsTest {
  private static final long SEED = 42;
  private static final int MAX_ACTIONS = 12;

  @TempDir
  Path dir;

  @Test
  void aServerThatDiesOnAStepOfAGeneratedSequenceIsNamedAtThatStep() throws Exception {
    // The first generated sequence with a step over 1,024 bytes (a padded REGISTER), and that step's number.
    int index = 0;
    int step = -1;
    for (int i = 1; i <= 50 && step < 0; i++) {
      Sequence s = Generator.generate(Role.SERVER, SEED, i, MAX_ACTIONS);
      for (int a = 0; a < s.size(); a++) {
        if (s.actions().get(a) instanceof Action.Register r && r.padded()) {
          index = i;
          step = a + 1;
          break;
        }
      }
    }
    assertTrue(step > 0, "no generated sequence of seed " + SEED + " has a padded REGISTER");

    SuiteReport report;
    try (TestServer server = TestServer.start(EnumSet.of(Flaw.DIES_ON_LONG_MESSAGE))) {
      report = Suites.fast(server.address(), Role.SERVER, dir).seed(SEED).sequences(index).maxActions(MAX_ACTIONS)
          .include(List.of("generated.sequence." + index, "server.final.*")).build().run(r -> { });
    }
    Map<String, CaseResult> byId = byId(report);
    CaseResult died = byId.get("generated.sequence." + index);
    assertEquals(Verdict.FAIL, died.verdict(), died::describe);
    assertTrue(died.actual().contains("stopped answering after step " + step + " "), died.actual());
    assertTrue(died.details().contains("Could not shrink: target down"), died.details());
    assertFalse(died.details().contains("shrunk to"), died.details());
    assertFalse(died.details().contains("timing"), died.details());
    // The wire log is the run that killed it: the padded REGISTER is there, sent to the target.
    assertTrue(died.wire().stream().anyMatch(e -> e.direction() == WireEvent.Direction.SENT && e.length() >= 1500
        && e.text().contains("REGISTER")), died::describe);
    assertTrue(died.replayFile().isPresent(), "the steps up to the death are replayable");

    CaseResult after = byId.get("server.final.still-serving");
    assertEquals(Verdict.NOT_RUN, after.verdict());
    assertEquals(List.of("1 case not run: the target stopped answering at generated.sequence." + index + " step "
        + step), report.collapsed());
    assertEquals(1, report.exitCode());
  }

  @Test
  void aServerThatDiesOnTheThirdOfFiveBadInputsIsNamedAtThatInput() throws Exception {
    SuiteReport report;
    try (TestServer server = TestServer.start(EnumSet.of(Flaw.DIES_ON_THIRD_MALFORMED))) {
      report = Suites.fast(server.address(), Role.SERVER, dir).seed(SEED)
          .include(List.of("robustness.malformed-json", "robustness.truncated", "server.final.*")).build()
          .run(r -> { });
    }
    CaseResult died = byId(report).get("robustness.malformed-json");
    assertEquals(Verdict.FAIL, died.verdict(), died::describe);
    assertTrue(died.actual().contains("input 3"), died.actual());
    assertTrue(died.describe().contains("docs/protocol.md#rule-bad-input"), died.describe());
    // Inputs 1 to 3 were sent, each followed by a probe; input 4 never was.
    List<String> sent = died.wire().stream().filter(e -> e.direction() == WireEvent.Direction.SENT)
        .map(WireEvent::text).collect(Collectors.toList());
    assertTrue(sent.contains("this is not JSON"), sent::toString);
    assertTrue(sent.stream().anyMatch(t -> t.startsWith("{\"msgtype\": \"REGISTER\" \"msgdata\"")), sent::toString);
    assertFalse(sent.contains("{]"), sent::toString);

    String reason = "the target stopped answering at robustness.malformed-json input 3";
    assertEquals(List.of("2 cases not run: " + reason), report.collapsed());
    assertEquals(2, report.count(Verdict.NOT_RUN));

    // Console, JUnit XML and HTML each say it once.
    StringWriter console = new StringWriter();
    ConsoleReporter reporter = new ConsoleReporter(new PrintWriter(console), KnownFailures.none(), false);
    report.results().forEach(reporter::caseDone);
    reporter.summary(report);
    assertEquals(1, count(console.toString(), reason), console.toString());
    assertFalse(console.toString().contains("robustness.truncated"), console.toString());
    Reports.writeAll(report, dir);
    String xml = Files.readString(dir.resolve(Reports.JUNIT_XML));
    assertEquals(2, count(xml, "<skipped message=\"not run: " + reason + "\""), xml);
    String html = Files.readString(dir.resolve(Reports.HTML));
    assertEquals(1, count(html, reason), html);
    assertTrue(html.contains("protocol.md#rule-bad-input\""), "the FAIL links to its rule");
  }

  private static Map<String, CaseResult> byId(SuiteReport report) {
    return report.results().stream().collect(Collectors.toMap(CaseResult::id, Function.identity()));
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
