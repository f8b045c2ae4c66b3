package org.p2pchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** Runs the harness for real, in a tiny mode, and checks that what it reports adds up. No timings. */
class BenchSmokeTest {
  private static final int MESSAGES = 200;

  @TempDir
  Path dir;

  @Test
  @Timeout(120)
  void tinyThroughputRunReceivesEveryMessageAndWritesWellFormedReports() throws Exception {
    Path out = dir.resolve("out");
    Path doc = dir.resolve("docs/benchmarks.md");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code = BenchMain.run(new String[] {"bench", "--sections", "throughput", "--concurrency", "2", "--runs", "2",
        "--messages", Integer.toString(MESSAGES), "--run-millis", "60000", "--warmup", "50", "--out", out.toString(),
        "--doc", doc.toString(), "--root", dir.toString()}, new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8));

    String console = stdout.toString(StandardCharsets.UTF_8);
    assertEquals(0, code, () -> "exit code; stdout:\n" + console + "\nstderr:\n" + stderr);
    assertTrue(console.contains("Messages per second through one receiver"), console);

    JsonNode report = new ObjectMapper().readTree(out.resolve("bench.json").toFile());
    for (String receiver : List.of("floor", "sdk", "sdk-novalidate")) {
      JsonNode check = find(report.get("checks"), "name", receiver + ": every message sent was received and handled");
      assertTrue(check.get("ok").asBoolean(), check.toString());
      // Two runs of exactly MESSAGES each: the cap ends every run long before its time does.
      assertTrue(check.get("detail").asText().startsWith(2 * MESSAGES + " sent, " + 2 * MESSAGES + " received"),
          check.toString());
    }
    Set<String> rateFigures = new TreeSet<>();
    for (JsonNode m : report.get("measurements")) {
      if (m.get("metric").asText().equals("rate")) {
        rateFigures.add(m.get("subject").asText() + "@" + m.get("param").asText());
        assertEquals(2, m.get("samples").size(), m.toString());
        assertTrue(m.get("min").asDouble() <= m.get("median").asDouble()
            && m.get("median").asDouble() <= m.get("max").asDouble(), m.toString());
      }
    }
    assertEquals(Set.of("floor@2", "sdk-novalidate@2", "sdk@2"), rateFigures);

    List<String> csv = Files.readAllLines(out.resolve("bench.csv"), StandardCharsets.UTF_8);
    assertEquals("section,subject,param,metric,unit,median,min,max,runs", csv.get(0));
    assertEquals(report.get("measurements").size() + 1, csv.size());
    for (String line : csv.subList(1, csv.size())) {
      String[] cells = line.split(",");
      assertEquals(9, cells.length, line);
      for (int i = 5; i < 8; i++) {
        Double.parseDouble(cells[i]);
      }
      assertEquals(2, Integer.parseInt(cells[8]), line);
    }

    Document svg = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(out.resolve("bench-throughput.svg").toFile());
    assertEquals("svg", svg.getDocumentElement().getTagName());
    assertEquals(3, svg.getElementsByTagName("polyline").getLength(), "one line per receiver");

    String markdown = Files.readString(doc, StandardCharsets.UTF_8);
    assertTrue(markdown.contains("![Messages per second against concurrent senders](benchmarks-throughput.svg)"));
    assertTrue(Files.exists(doc.resolveSibling("benchmarks-throughput.svg")));
    assertTrue(markdown.contains("| concurrency | floor |"), markdown);
    assertTrue(markdown.contains("## Machine and run"), markdown);
  }

  @Test
  void rejectsUnknownSectionWithUsageExitCode() {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code = BenchMain.run(new String[] {"bench", "--sections", "everything", "--out", dir.toString()},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
    assertEquals(2, code);
    assertTrue(stderr.toString(StandardCharsets.UTF_8).contains("unknown section 'everything'"), stderr::toString);
  }

  @Test
  void rejectsConcurrencyBelowOneWithUsageExitCode() {
    int code = BenchMain.run(new String[] {"bench", "--concurrency", "4,0", "--out", dir.toString()},
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(2, code);
  }

  @Test
  void benchHelpExitsZero() {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int code = BenchMain.run(new String[] {"bench", "--help"}, new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    assertEquals(0, code);
    assertTrue(stdout.toString(StandardCharsets.UTF_8).contains("--quick"));
  }

  @Test
  @Timeout(30)
  void receiverProcessRefusesUnknownKindWithExitCodeTwo() throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ReceiverMain.class.getName(), "bogus"));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS));
      assertEquals(2, process.exitValue(), output);
      assertTrue(output.contains("unknown receiver 'bogus'"), output);
    } finally {
      process.destroyForcibly();
    }
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode node : array) {
      if (node.get(field).asText().equals(value)) {
        return node;
      }
    }
    throw new AssertionError("no element with " + field + " = " + value + " in " + array);
  }
}
