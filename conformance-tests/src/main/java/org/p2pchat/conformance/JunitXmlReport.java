package org.p2pchat.conformance;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Writes a run as JUnit XML, the format every CI reads: one {@code testcase} per case. FAIL and stale known
 * failures are {@code failure}s, UNAVAILABLE is an {@code error}, a known failure, NOT RUN and N/A are
 * {@code skipped} (with the reason), and
 * NON-STRICT passes with a note in {@code system-out}.
 */
public final class JunitXmlReport {
  private JunitXmlReport() {}

  public static void write(SuiteReport report, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuite");
      xml.writeAttribute("name", "p2pchat-conformance." + report.role().label());
      xml.writeAttribute("tests", String.valueOf(report.results().size()));
      long known = report.results().stream().filter(report::isKnownFailure).count();
      long failures = report.results().stream()
          .filter(r -> (r.verdict() == Verdict.FAIL && !report.isKnownFailure(r)) || report.isStale(r)).count();
      long errors = report.results().stream()
          .filter(r -> r.verdict() == Verdict.UNAVAILABLE && !report.isKnownFailure(r)).count();
      xml.writeAttribute("failures", String.valueOf(failures));
      xml.writeAttribute("errors", String.valueOf(errors));
      long skipped = known + report.results().stream().filter(r -> r.verdict().isSkipped()).count();
      xml.writeAttribute("skipped", String.valueOf(skipped));
      xml.writeAttribute("time", seconds(report.duration().toMillis()));
      xml.writeAttribute("timestamp", report.startedAt().toString());
      xml.writeCharacters("\n  ");
      xml.writeStartElement("properties");
      property(xml, "target", report.target().toString());
      property(xml, "role", report.role().label());
      property(xml, "seed", String.valueOf(report.seed()));
      xml.writeEndElement();
      for (CaseResult r : report.results()) {
        xml.writeCharacters("\n  ");
        testcase(xml, report, r);
      }
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void testcase(XMLStreamWriter xml, SuiteReport report, CaseResult r) throws XMLStreamException {
    xml.writeStartElement("testcase");
    xml.writeAttribute("classname", "p2pchat.conformance." + report.role().label());
    xml.writeAttribute("name", r.id());
    xml.writeAttribute("time", seconds(r.duration().toMillis()));
    String body = clean(r.describe());
    if (r.verdict().isSkipped()) {
      xml.writeStartElement("skipped");
      xml.writeAttribute("message", clean((r.verdict() == Verdict.NOT_RUN ? "not run: " : "not applicable: ")
          + r.actual()));
      xml.writeEndElement();
    } else if (report.isKnownFailure(r)) {
      xml.writeStartElement("skipped");
      xml.writeAttribute("message", clean("known failure (" + r.verdict().label() + "): " + r.actual()));
      xml.writeEndElement();
    } else if (report.isStale(r)) {
      xml.writeStartElement("failure");
      xml.writeAttribute("type", "STALE");
      xml.writeAttribute("message", "listed as a known failure, but passed: remove it from the list");
      xml.writeEndElement();
    } else if (r.verdict() == Verdict.FAIL || r.verdict() == Verdict.UNAVAILABLE) {
      xml.writeStartElement(r.verdict() == Verdict.FAIL ? "failure" : "error");
      xml.writeAttribute("type", r.verdict().label());
      xml.writeAttribute("message", clean("expected " + r.expected() + "; actual " + r.actual()));
      xml.writeCharacters(body);
      xml.writeEndElement();
    } else if (r.verdict() == Verdict.NON_STRICT) {
      xml.writeStartElement("system-out");
      xml.writeCharacters(body);
      xml.writeEndElement();
    }
    xml.writeEndElement();
  }

  private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
    xml.writeEmptyElement("property");
    xml.writeAttribute("name", name);
    xml.writeAttribute("value", clean(value));
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
  }

  /** XML 1.0 cannot carry most control characters, even escaped. */
  static String clean(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean allowed = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
          || (c >= 0xE000 && c <= 0xFFFD) || Character.isSurrogate(c) && validPair(s, i);
      sb.append(allowed ? c : '?');
    }
    return sb.toString();
  }

  private static boolean validPair(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }
    return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
  }
}
