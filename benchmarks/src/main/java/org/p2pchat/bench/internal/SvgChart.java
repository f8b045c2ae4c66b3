package org.p2pchat.bench.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A line chart of throughput against concurrency as a standalone SVG: one line a series through the
 * medians, a whisker from min to max at each point, concurrency on a log-2 axis.
 */
public final class SvgChart {
  private static final int WIDTH = 760;
  private static final int HEIGHT = 440;
  private static final int LEFT = 80;
  private static final int RIGHT = 210;
  private static final int TOP = 50;
  private static final int BOTTOM = 60;
  private static final String[] COLOURS = {"#555555", "#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#d62728"};

  /** One point: the median and range of a figure at one concurrency. */
  public record Point(int concurrency, double median, double min, double max) {}

  private final String title;
  private final String yLabel;
  private final Map<String, List<Point>> series = new LinkedHashMap<>();

  public SvgChart(String title, String yLabel) {
    this.title = title;
    this.yLabel = yLabel;
  }

  /** Adds a series; points are drawn in concurrency order. Series without points are skipped. */
  public SvgChart series(String name, List<Point> points) {
    if (!points.isEmpty()) {
      List<Point> sorted = new ArrayList<>(points);
      sorted.sort((a, b) -> Integer.compare(a.concurrency(), b.concurrency()));
      series.put(name, sorted);
    }
    return this;
  }

  /** The throughput figures of {@code results} (the floor's, the SDK's and the peer's), as a chart. */
  public static SvgChart throughputOf(Results results) {
    return of(results, "rate", "Messages per second vs concurrent senders", "messages / s", true);
  }

  /** The receivers' CPU per message in {@code results} (the floor's, the SDK's and the peer's), as a chart. */
  public static SvgChart cpuOf(Results results) {
    return of(results, "cpu", "Receiver CPU per message vs concurrent senders", "µs of CPU (user + system) / message",
        true);
  }

  private static SvgChart of(Results results, String metric, String title, String yLabel, boolean withPeer) {
    SvgChart chart = new SvgChart(title, yLabel);
    Map<String, String> names = new LinkedHashMap<>();
    if (withPeer) {
      names.put(PeerBench.SECTION + "/c-receiver", "C receiver (minimal), C driver");
      names.put(PeerBench.SECTION + "/peer", "reference peer (shown), C driver");
    }
    names.put(ThroughputBench.SECTION + "/" + ThroughputBench.FLOOR, "Java floor (minimal receiver)");
    names.put(ThroughputBench.SECTION + "/" + ThroughputBench.SDK, "SDK, validating");
    names.put(ThroughputBench.SECTION + "/" + ThroughputBench.SDK_NO_VALIDATION, "SDK, no validation");
    for (Map.Entry<String, String> e : names.entrySet()) {
      List<Point> points = new ArrayList<>();
      for (Measurement m : results.measurements()) {
        if ((m.section() + "/" + m.subject()).equals(e.getKey()) && m.metric().equals(metric)
            && m.param().chars().allMatch(Character::isDigit) && !m.param().isEmpty()) {
          points.add(new Point(Integer.parseInt(m.param()), m.median(), m.min(), m.max()));
        }
      }
      chart.series(e.getValue(), points);
    }
    return chart;
  }

  public boolean isEmpty() {
    return series.isEmpty();
  }

  public String toSvg() {
    TreeSet<Integer> xs = new TreeSet<>();
    double yMax = 0;
    for (List<Point> points : series.values()) {
      for (Point p : points) {
        xs.add(p.concurrency());
        yMax = Math.max(yMax, p.max());
      }
    }
    double step = niceStep(yMax <= 0 ? 1 : yMax / 5);
    double top = Math.max(step, Math.ceil(yMax / step) * step);
    double plotW = WIDTH - LEFT - RIGHT;
    double plotH = HEIGHT - TOP - BOTTOM;
    double xMin = xs.isEmpty() ? 0 : log2(xs.first());
    double xMax = xs.isEmpty() ? 1 : log2(xs.last());

    StringBuilder svg = new StringBuilder();
    svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
        .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" font-family=\"sans-serif\" font-size=\"12\">\n");
    svg.append("  <rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    svg.append("  <text x=\"").append(WIDTH / 2).append("\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">")
        .append(escape(title)).append("</text>\n");
    // Horizontal grid lines and y labels.
    for (double y = 0; y <= top + step / 2; y += step) {
      double py = TOP + plotH - y / top * plotH;
      svg.append("  <line x1=\"").append(LEFT).append("\" y1=\"").append(f(py)).append("\" x2=\"")
          .append(f(LEFT + plotW)).append("\" y2=\"").append(f(py)).append("\" stroke=\"#dddddd\"/>\n");
      svg.append("  <text x=\"").append(LEFT - 8).append("\" y=\"").append(f(py + 4))
          .append("\" text-anchor=\"end\">").append(Format.num("%,.0f", y)).append("</text>\n");
    }
    for (int x : xs) {
      double px = xPos(x, xMin, xMax, plotW);
      svg.append("  <line x1=\"").append(f(px)).append("\" y1=\"").append(TOP).append("\" x2=\"").append(f(px))
          .append("\" y2=\"").append(f(TOP + plotH)).append("\" stroke=\"#eeeeee\"/>\n");
      svg.append("  <text x=\"").append(f(px)).append("\" y=\"").append(f(TOP + plotH + 18))
          .append("\" text-anchor=\"middle\">").append(x).append("</text>\n");
    }
    svg.append("  <rect x=\"").append(LEFT).append("\" y=\"").append(TOP).append("\" width=\"").append(f(plotW))
        .append("\" height=\"").append(f(plotH)).append("\" fill=\"none\" stroke=\"#333333\"/>\n");
    svg.append("  <text x=\"").append(f(LEFT + plotW / 2)).append("\" y=\"").append(HEIGHT - 16)
        .append("\" text-anchor=\"middle\">concurrent senders (log scale)</text>\n");
    svg.append("  <text transform=\"translate(18 ").append(f(TOP + plotH / 2))
        .append(") rotate(-90)\" text-anchor=\"middle\">").append(escape(yLabel)).append("</text>\n");

    int i = 0;
    for (Map.Entry<String, List<Point>> e : series.entrySet()) {
      String colour = COLOURS[i % COLOURS.length];
      // Each series a few pixels to one side, so that whiskers at the same concurrency do not hide each other.
      double shift = (i - (series.size() - 1) / 2.0) * 5;
      StringBuilder line = new StringBuilder();
      for (Point p : e.getValue()) {
        double px = xPos(p.concurrency(), xMin, xMax, plotW) + shift;
        double py = TOP + plotH - p.median() / top * plotH;
        line.append(line.length() == 0 ? "" : " ").append(f(px)).append(',').append(f(py));
        svg.append("  <line x1=\"").append(f(px)).append("\" y1=\"").append(f(TOP + plotH - p.min() / top * plotH))
            .append("\" x2=\"").append(f(px)).append("\" y2=\"").append(f(TOP + plotH - p.max() / top * plotH))
            .append("\" stroke=\"").append(colour).append("\" stroke-width=\"2\"/>\n");
        svg.append("  <circle cx=\"").append(f(px)).append("\" cy=\"").append(f(py))
            .append("\" r=\"4\" fill=\"").append(colour).append("\"><title>").append(escape(e.getKey()))
            .append(" at ").append(p.concurrency()).append(": ").append(Format.num("%,.0f", p.median()))
            .append("</title></circle>\n");
      }
      svg.append("  <polyline fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\" points=\"")
          .append(line).append("\"/>\n");
      double ly = TOP + 10 + i * 22;
      double lx = LEFT + plotW + 16;
      svg.append("  <line x1=\"").append(f(lx)).append("\" y1=\"").append(f(ly)).append("\" x2=\"").append(f(lx + 22))
          .append("\" y2=\"").append(f(ly)).append("\" stroke=\"").append(colour).append("\" stroke-width=\"3\"/>\n");
      svg.append("  <text x=\"").append(f(lx + 28)).append("\" y=\"").append(f(ly + 4)).append("\">")
          .append(escape(e.getKey())).append("</text>\n");
      i++;
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static double xPos(int concurrency, double xMin, double xMax, double plotW) {
    if (xMax == xMin) {
      return LEFT + plotW / 2;
    }
    double inset = 30;
    return LEFT + inset + (log2(concurrency) - xMin) / (xMax - xMin) * (plotW - 2 * inset);
  }

  private static double log2(int x) {
    return Math.log(Math.max(1, x)) / Math.log(2);
  }

  /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
  static double niceStep(double rough) {
    double power = Math.pow(10, Math.floor(Math.log10(rough)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * power >= rough) {
        return m * power;
      }
    }
    return 10 * power;
  }

  private static String f(double v) {
    return Format.num("%.1f", v);
  }

  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
