package org.p2pchat.conformance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a run as one self-contained HTML page (no scripts, no external files): the summary, a table of
 * every case, and for each case that did not pass, its rule, expected and actual, details and wire log.
 */
public final class HtmlReport {
  private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
      + "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;"
      + "vertical-align:top}th{background:#f0f0f0}.PASS{background:#e6f4ea}.FAIL{background:#fce8e6}"
      + ".NON-STRICT{background:#fef7e0}.UNAVAILABLE{background:#eceff1}pre{background:#f8f8f8;padding:8px;"
      + "overflow-x:auto;white-space:pre-wrap;word-break:break-all}code{font-size:90%}"
      + "section{border-top:2px solid #ccc;margin-top:2em}";

  private HtmlReport() {}

  public static String render(SuiteReport report) {
    StringBuilder h = new StringBuilder();
    String title = "p2pchat conformance: " + report.role().label() + " " + report.target();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
        .append("</title><style>").append(STYLE).append("</style></head><body>\n");
    h.append("<h1>").append(esc(title)).append("</h1>\n<p><strong>").append(esc(report.summary()))
        .append("</strong> in ").append(report.duration().toMillis()).append(" ms; seed <code>")
        .append(report.seed()).append("</code>; started ").append(esc(report.startedAt().toString()))
        .append("; exit code ").append(report.exitCode()).append(".</p>\n");
    if (!report.stale().isEmpty()) {
      h.append("<p>Stale known failures (they passed; remove them from the list):");
      report.stale().forEach(r -> h.append(" <code>").append(esc(r.id())).append("</code>"));
      h.append("</p>\n");
    }
    h.append("<table><tr><th>Verdict</th><th>Case</th><th>Description</th><th>ms</th></tr>\n");
    for (CaseResult r : report.results()) {
      String id = esc(r.id());
      String link = r.verdict() == Verdict.PASS ? id : "<a href=\"#" + id + "\">" + id + "</a>";
      String note = report.isKnownFailure(r) ? " (known)" : report.isStale(r) ? " (stale)" : "";
      h.append("<tr class=\"").append(r.verdict().label()).append("\"><td>").append(r.verdict().label())
          .append(note).append("</td><td><code>").append(link).append("</code></td><td>")
          .append(esc(r.info().description())).append("</td><td>").append(r.duration().toMillis())
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
    for (CaseResult r : report.results()) {
      if (r.verdict() == Verdict.PASS) {
        continue;
      }
      h.append("<section id=\"").append(esc(r.id())).append("\"><h2 class=\"").append(r.verdict().label())
          .append("\">").append(r.verdict().label()).append(" <code>").append(esc(r.id())).append("</code></h2>\n")
          .append("<p><strong>Rule:</strong> ").append(esc(r.info().rule())).append("</p>\n")
          .append("<p><strong>Expected:</strong> ").append(esc(r.expected())).append("</p>\n")
          .append("<p><strong>Actual:</strong> ").append(esc(r.actual())).append("</p>\n");
      if (!r.details().isEmpty()) {
        h.append("<pre>").append(esc(r.details())).append("</pre>\n");
      }
      h.append("<h3>Wire log</h3><pre>");
      r.wire().forEach(e -> h.append(esc(e.format(r.startedAt()))).append('\n'));
      h.append("</pre></section>\n");
    }
    h.append("</body></html>\n");
    return h.toString();
  }

  public static void write(SuiteReport report, Path file) throws IOException {
    Files.writeString(file, render(report), StandardCharsets.UTF_8);
  }

  static String esc(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
