package org.p2pchat.bench.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A titled table of already formatted cells, rendered as aligned text for the console or as Markdown for
 * the doc. Immutable.
 *
 * @param key a stable identifier, e.g. {@code throughput}
 * @param title shown above the table
 * @param headers column names
 * @param rows cells, one list a row, each as long as {@code headers}
 * @param note a line shown under the table; empty for none
 */
public record Table(String key, String title, List<String> headers, List<List<String>> rows, String note) {

  public Table {
    headers = List.copyOf(headers);
    List<List<String>> copy = new ArrayList<>();
    for (List<String> row : rows) {
      if (row.size() != headers.size()) {
        throw new IllegalArgumentException("row " + row + " has " + row.size() + " cells, expected " + headers.size());
      }
      copy.add(List.copyOf(row));
    }
    rows = List.copyOf(copy);
  }

  /** Columns padded to their widest cell; the first column left-aligned, the others right-aligned. */
  public String toText() {
    int[] widths = new int[headers.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = headers.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder sb = new StringBuilder();
    sb.append("== ").append(title).append(" ==\n");
    appendTextRow(sb, headers, widths);
    for (List<String> row : rows) {
      appendTextRow(sb, row, widths);
    }
    if (!note.isEmpty()) {
      sb.append(note).append('\n');
    }
    return sb.toString();
  }

  private static void appendTextRow(StringBuilder sb, List<String> cells, int[] widths) {
    for (int i = 0; i < cells.size(); i++) {
      String cell = cells.get(i);
      String pad = " ".repeat(widths[i] - cell.length());
      if (i > 0) {
        sb.append("  ").append(pad).append(cell);
      } else {
        sb.append(cell).append(pad);
      }
    }
    sb.append('\n');
  }

  /** A GitHub-flavoured Markdown table, numbers right-aligned, with the note in italics below it. */
  public String toMarkdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("| ").append(String.join(" | ", escape(headers))).append(" |\n|");
    for (int i = 0; i < headers.size(); i++) {
      sb.append(i == 0 ? " --- |" : " ---: |");
    }
    sb.append('\n');
    for (List<String> row : rows) {
      sb.append("| ").append(String.join(" | ", escape(row))).append(" |\n");
    }
    if (!note.isEmpty()) {
      sb.append("\n_").append(note).append("_\n");
    }
    return sb.toString();
  }

  private static List<String> escape(List<String> cells) {
    List<String> out = new ArrayList<>();
    for (String cell : cells) {
      out.add(cell.replace("|", "\\|"));
    }
    return out;
  }
}
