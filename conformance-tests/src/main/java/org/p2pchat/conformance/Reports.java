package org.p2pchat.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes every report format into one folder. */
public final class Reports {
  public static final String JUNIT_XML = "conformance-junit.xml";
  public static final String JSON = "conformance.json";
  public static final String HTML = "conformance.html";

  private Reports() {}

  /** Writes JUnit XML, JSON and HTML into {@code dir} (created if needed); returns the files. */
  public static List<Path> writeAll(SuiteReport report, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path xml = dir.resolve(JUNIT_XML);
    Path json = dir.resolve(JSON);
    Path html = dir.resolve(HTML);
    JunitXmlReport.write(report, xml);
    JsonReport.write(report, json);
    HtmlReport.write(report, html);
    return List.of(xml, json, html);
  }
}
