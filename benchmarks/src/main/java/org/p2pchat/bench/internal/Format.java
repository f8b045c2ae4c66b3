package org.p2pchat.bench.internal;

import java.util.Locale;

/** Number formats shared by the console, the CSV and the doc, so they always agree. */
public final class Format {
  private Format() {}

  /** A figure as {@code median (min–max)} with the given number format, or just the median for one run. */
  public static String range(Measurement m, String format) {
    String median = num(format, m.median());
    if (m.runs() == 1) {
      return median;
    }
    return median + " (" + num(format, m.min()) + "–" + num(format, m.max()) + ")";
  }

  /** Formats with the root locale, so the decimal separator is always a point. */
  public static String num(String format, double value) {
    return String.format(Locale.ROOT, format, value);
  }

  /** Plain number for CSV and JSON: up to 4 decimals, no grouping. */
  public static String plain(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.4f", value);
  }

  public static String megabytes(double kilobytes) {
    return num("%,.1f MiB", kilobytes / 1024);
  }
}
