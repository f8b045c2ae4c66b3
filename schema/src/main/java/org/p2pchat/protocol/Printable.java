package org.p2pchat.protocol;

/**
 * The one escaping every string that came off the wire goes through before it reaches a terminal or a
 * log line. Control characters (C0, DEL, C1, so also ESC and every escape sequence it would start),
 * line and paragraph separators, format characters (bidi overrides and isolates U+202A-202E and
 * U+2066-2069, marks, zero-width characters U+200B-200D, U+2060, U+FEFF) and lone surrogates are written
 * as {@code \}{@code uXXXX}; newline, carriage return and tab as {@code \n}, {@code \r}, {@code \t}; a
 * backslash as two, so an escape in the output is never ambiguous. Everything else, including any
 * printable letter of any script, is kept.
 */
public final class Printable {
  private Printable() {}

  /** {@code text} safe to print on one line; "null" for null. */
  public static String of(String text) {
    if (text == null) {
      return "null";
    }
    if (!needsEscaping(text)) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\\') {
        out.append("\\\\");
      } else if (cp == '\n') {
        out.append("\\n");
      } else if (cp == '\r') {
        out.append("\\r");
      } else if (cp == '\t') {
        out.append("\\t");
      } else if (isUnsafe(cp)) {
        out.append(String.format("\\u%04x", cp));
      } else {
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }

  /** The object's {@code toString()} through {@link #of(String)}. */
  public static String of(Object value) {
    return of(value == null ? null : value.toString());
  }

  /**
   * True for a code point that must not reach a terminal raw: a control, format (bidi, zero-width),
   * line or paragraph separator, or surrogate code point.
   */
  public static boolean isUnsafe(int codePoint) {
    switch (Character.getType(codePoint)) {
      case Character.CONTROL:
      case Character.FORMAT:
      case Character.LINE_SEPARATOR:
      case Character.PARAGRAPH_SEPARATOR:
      case Character.SURROGATE:
        return true;
      default:
        return false;
    }
  }

  /** True if {@code text} holds any code point {@link #isUnsafe unsafe} to print. */
  public static boolean hasUnsafe(String text) {
    return text.codePoints().anyMatch(Printable::isUnsafe);
  }

  private static boolean needsEscaping(String text) {
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\\' || cp < 0x20 || (cp >= 0x7f && isUnsafe(cp))) {
        return true;
      }
    }
    return false;
  }
}
