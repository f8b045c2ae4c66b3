package org.p2pchat.conformance;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a run as one self-contained HTML page (no scripts, no external files): the summary, a table of
 * every case, and for each case that did not pass, its rule, expected and actual, details and wire log.
 */
public final class HtmlReport {
  private static final String STYLE = "body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
      + "table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;"
      + "vertical-align:top}th{background:#f0f0f0}.PASS{background:#e6f4ea}.FAIL{background:#fce8e6}"
      + ".NON-STRICT{background:#fef7e0}.UNAVAILABLE{background:#eceff1}.NOT-RUN{background:#eceff1;font-style:italic}pre{background:#f8f8f8;padding:8px;"
      + "overflow-x:auto;white-space:pre-wrap;word-break:break-all}code{font-size:90%}"
      + "section{border-top:2px solid #ccc;margin-top:2em}";

  private HtmlReport() {}

  public static String render(SuiteReport report) {
    return render(report, protocolDoc());
  }

  /** {@code protocolDoc} + {@code #rule-...} is each rule's link. */
  public static String render(SuiteReport report, String protocolDoc) {
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
      if (r.verdict().isSkipped()) {
        continue;
      }
      String id = esc(r.id());
      String link = r.verdict() == Verdict.PASS ? id : "<a href=\"#" + id + "\">" + id + "</a>";
      String note = report.isKnownFailure(r) ? " (known)" : report.isStale(r) ? " (stale)" : "";
      h.append("<tr class=\"").append(r.verdict().label()).append("\"><td>").append(r.verdict().label())
          .append(note).append("</td><td><code>").append(link).append("</code></td><td>")
          .append(esc(r.info().description())).append("</td><td>").append(r.duration().toMillis())
          .append("</td></tr>\n");
    }
    for (String line : report.collapsed()) {
      h.append("<tr class=\"NOT-RUN\"><td colspan=\"4\">").append(esc(line)).append("</td></tr>\n");
    }
    h.append("</table>\n");
    for (CaseResult r : report.results()) {
      if (r.verdict() == Verdict.PASS || r.verdict().isSkipped()) {
        continue;
      }
      h.append("<section id=\"").append(esc(r.id())).append("\"><h2 class=\"").append(r.verdict().label())
          .append("\">").append(r.verdict().label()).append(" <code>").append(esc(r.id())).append("</code></h2>\n")
          .append("<p><strong>Rule:</strong> <a href=\"").append(esc(protocolDoc + "#" + r.info().ruleAnchor()))
          .append("\"><code>").append(esc(r.info().ruleAnchor())).append("</code></a> ")
          .append(esc(r.info().rule())).append("</p>\n")
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

  /**
   * The docs/protocol.md that rule links point to: the checkout this runner was built in (found upwards from
   * its jar or classes), else the working directory's, else the relative path {@code docs/protocol.md}.
   */
  static String protocolDoc() {
    List<Path> starts = new ArrayList<>();
    try {
      starts.add(Path.of(HtmlReport.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
    } catch (URISyntaxException | RuntimeException e) {
      // no code source (unusual class loader): try the working directory only
    }
    starts.add(Path.of("").toAbsolutePath());
    for (Path start : starts) {
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        Path doc = dir.resolve(CaseInfo.PROTOCOL_DOC);
        if (Files.isRegularFile(doc)) {
          return doc.toUri().toString();
        }
      }
    }
    return CaseInfo.PROTOCOL_DOC;
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
