package org.p2pchat.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class ReportWritersTest {
  @TempDir
  Path dir;

  private final SuiteReport report = Results.report(KnownFailures.of(List.of("server.known", "server.stale")),
      Results.of("server.ok", Verdict.PASS), Results.of("server.broken", Verdict.FAIL),
      Results.of("server.lenient", Verdict.NON_STRICT), Results.of("server.gone", Verdict.UNAVAILABLE),
      Results.of("server.known", Verdict.FAIL), Results.of("server.stale", Verdict.PASS));

  @Test
  void junitXmlIsWellFormedAndCountsLikeACiExpects() throws Exception {
    Reports.writeAll(report, dir);
    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(dir.resolve(Reports.JUNIT_XML).toFile());
    Element suite = xml.getDocumentElement();
    assertEquals("6", suite.getAttribute("tests"));
    assertEquals("2", suite.getAttribute("failures"), "the FAIL and the stale one");
    assertEquals("1", suite.getAttribute("errors"), "the UNAVAILABLE one");
    assertEquals("1", suite.getAttribute("skipped"), "the known failure");
    assertEquals(6, xml.getElementsByTagName("testcase").getLength());
    String failure = xml.getElementsByTagName("failure").item(0).getTextContent();
    assertTrue(failure.contains("wire log") && failure.contains("<script>"), failure);
  }

  @Test
  void jsonHoldsEachCaseWithItsTimestampedWireLog() throws Exception {
    Reports.writeAll(report, dir);
    JsonNode json = new ObjectMapper().readTree(dir.resolve(Reports.JSON).toFile());
    assertEquals(1, json.path("exitCode").asInt());
    JsonNode broken = json.path("cases").get(1);
    assertEquals("server.broken", broken.path("id").asText());
    assertEquals("FAIL", broken.path("verdict").asText());
    assertEquals("a rule for server.broken", broken.path("rule").asText());
    assertEquals("docs/protocol.md#rule-register", broken.path("ruleLink").asText());
    assertEquals("REGISTER_ERROR at peer B", broken.path("expected").asText());
    assertEquals(42, broken.path("durationMs").asInt());
    assertEquals(2, broken.path("wire").size());
    assertEquals(3, broken.path("wire").get(0).path("offsetMs").asInt());
    assertEquals("SENT", broken.path("wire").get(0).path("direction").asText());
    assertTrue(json.path("cases").get(4).path("knownFailure").asBoolean());
    assertTrue(json.path("cases").get(5).path("stale").asBoolean());
  }

  @Test
  void htmlIsOnePageWithEveryFailuresWireLogEscaped() throws Exception {
    Reports.writeAll(report, dir);
    String html = Files.readString(dir.resolve(Reports.HTML), StandardCharsets.UTF_8);
    assertTrue(html.contains("<section id=\"server.broken\">"));
    assertTrue(html.contains("&lt;script&gt;&amp;"), "wire text is escaped");
    assertFalse(html.contains("<script"), "no script, not even from the wire");
    assertFalse(html.contains("<section id=\"server.ok\">"), "passing cases have no section");
    assertFalse(html.contains("href=\"http") || html.contains("src="), "self-contained");
  }
}
