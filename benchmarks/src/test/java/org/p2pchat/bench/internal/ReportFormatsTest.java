package org.p2pchat.bench.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReportFormatsTest {

  @Test
  void medianOfEvenCountIsMeanOfMiddleTwo() {
    Measurement m = Measurement.of("s", "x", "", "rate", "msg/s", 4, 1, 3, 2);
    assertEquals(2.5, m.median());
    assertEquals(1, m.min());
    assertEquals(4, m.max());
    assertEquals("2.5 (1.0–4.0)", Format.range(m, "%.1f"));
  }

  @Test
  void singleRunShowsNoRange() {
    assertEquals("7", Format.range(Measurement.of("s", "x", "", "rate", "msg/s", 7), "%.0f"));
  }

  @Test
  void goalsSayByHowMuchTheyAreMissedOrMet() {
    Goal missed = Goal.atMost("cpu", 1.56, 1.3, "x", "%.2f", Disturbance.NONE, Verdict.Kind.RATIO);
    assertFalse(missed.met());
    assertEquals("missed by 20.0 %", missed.margin());
    Goal met = Goal.atLeast("rate", 0.95, 0.87, "x", "%.2f", Disturbance.NONE, Verdict.Kind.RATIO);
    assertTrue(met.met());
    assertEquals("met, 9.2 % to spare", met.margin());
  }

  @Test
  void tableRejectsRowOfWrongWidth() {
    assertThrows(IllegalArgumentException.class,
        () -> new Table("k", "t", List.of("a", "b"), List.of(List.of("1")), ""));
  }

  @Test
  void markdownEscapesPipesInCells() {
    Table table = new Table("k", "t", List.of("a", "b"), List.of(List.of("x|y", "2")), "note");
    assertEquals("| a | b |\n| --- | ---: |\n| x\\|y | 2 |\n\n_note_\n", table.toMarkdown());
  }

  @Test
  void rewritingTheDocKeepsItsHandWrittenAnalysis() {
    Report report = emptyReport();
    String first = MarkdownDoc.render(report, java.util.Map.of(), null);
    assertTrue(first.contains(MarkdownDoc.ANALYSIS_BEGIN + "\n_No analysis written for this run yet._\n"
        + MarkdownDoc.ANALYSIS_END), first);

    String edited = first.replace("_No analysis written for this run yet._", "The worker handoff costs 5 µs.");
    String second = MarkdownDoc.render(report, java.util.Map.of(), edited);
    assertTrue(second.contains(MarkdownDoc.ANALYSIS_BEGIN + "\nThe worker handoff costs 5 µs.\n"
        + MarkdownDoc.ANALYSIS_END), second);
  }

  @Test
  void docHeadlineStatesEachGoalsVerdictAndTheMachine() {
    Report report = emptyReport();
    Disturbance busy = new Disturbance(3.7, 48, 15);
    report.results().goal(Goal.atLeast("peer CPU/msg, C ÷ peer, 1 sender", 0.9, 0.75, "×", "%.2f",
        Disturbance.NONE, Verdict.Kind.RATIO));
    report.results().goal(Goal.atMost("server CPU per op", 300, 250, " µs", "%.0f", Disturbance.NONE,
        Verdict.Kind.ABSOLUTE));
    report.results().goal(Goal.atLeast("peer rate ÷ C", 0.5, 0.85, "×", "%.2f", busy, Verdict.Kind.RATIO));
    report.results().goal(Goal.skipped("server ÷ C floor", "≥ 1×", "no gcc"));
    String md = MarkdownDoc.render(report, java.util.Map.of(), null);
    int headline = md.indexOf("## Headline");
    int machine = md.indexOf("## Machine and run");
    assertTrue(headline >= 0 && machine > headline, md);
    String top = md.substring(headline, machine);
    assertTrue(top.contains("**4 goals: 1 met, 1 missed, 1 undecided (machine busy), 1 skipped.**"), top);
    assertTrue(top.contains("| peer CPU/msg, C ÷ peer, 1 sender | ≥ 0.75× | 0.90× | met | met, 20.0 % to spare |"),
        top);
    assertTrue(top.contains("| MISSED | missed by 20.0 % |"), top);
    assertTrue(top.contains("| UNDECIDED | UNDECIDED: machine busy (load 3.70, other CPU 48%); 41.2 % short as "
        + "measured |"), top);
    assertTrue(top.contains("| skipped | skipped: no gcc |"), top);
    assertTrue(top.contains("2 CPUs (test CPU), test OS, test JDK; load average 0.00 0.00 0.00"), top);
  }

  @Test
  void jsonReportCarriesEveryGoalsVerdict() throws Exception {
    Report report = emptyReport();
    report.results().goal(Goal.skipped("x", "≥ 1×", "no gcc"));
    report.results().add(Measurement.of("peer", "peer", "1", "rate", "msg/s", 3, 1, 2));
    com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(ReportWriter.json(report));
    assertEquals("SKIPPED", json.get("goals").get(0).get("verdict").asText());
    assertEquals(2.0, json.get("measurements").get(0).get("median").asDouble());
    assertEquals(3, json.get("measurements").get(0).get("samples").size());
    assertEquals("quick", json.get("mode").asText());
  }

  @Test
  void chartHasOneLineAndOneLegendEntryPerSeries() {
    String svg = new SvgChart("t", "y")
        .series("floor", List.of(new SvgChart.Point(1, 10, 9, 11), new SvgChart.Point(4, 20, 19, 21)))
        .series("empty", List.of())
        .series("sdk", List.of(new SvgChart.Point(1, 8, 7, 9)))
        .toSvg();
    assertEquals(2, svg.split("<polyline").length - 1);
    assertTrue(svg.contains(">floor</text>") && svg.contains(">sdk</text>") && !svg.contains(">empty</text>"));
  }

  @Test
  void niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
    assertEquals(2000, SvgChart.niceStep(1500));
    assertEquals(5, SvgChart.niceStep(3.2));
    assertEquals(10_000, SvgChart.niceStep(10_000));
  }

  private static Report emptyReport() {
    Settings settings = new Settings(true, Set.of("throughput"), List.of(1, 4), 3, Duration.ofMillis(400), 1000, 100,
        Duration.ofSeconds(30), List.of(1000), List.of("CHAT_MESSAGE"), List.of(), List.of(), Path.of("."),
        Path.of("out"));
    Machine machine = new Machine(2, "test CPU", 1024 * 1024, "test JDK", "test OS", "0.00 0.00 0.00");
    return new Report(settings, machine, Instant.parse("2025-01-01T00:00:00Z"), 1, "0.00 0.00 0.00", new Results());
  }
}
