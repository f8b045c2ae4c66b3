package org.p2pchat.protocol;

import java.util.Comparator;
import java.util.Objects;

/**
 * One reason a message is not valid: where (a JSON pointer), which rule (a keyword) and why.
 *
 * <p>Immutable. {@link #toString()} is the one-line form the CLI prints, for example
 * {@code /msgdata/port: maximum: must have a maximum value of 65535}.
 */
public final class Violation {
  /** What kind of problem this is; every kind but {@link #SCHEMA} ends validation before the schema. */
  public enum Kind {
    TOO_LARGE, NOT_UTF8, MALFORMED_JSON, TRAILING_DATA, UNKNOWN_TYPE, SCHEMA
  }

  /** The pointer of the whole document. Shown as {@code (root)}, never as an empty string. */
  public static final String ROOT = "";

  static final Comparator<Violation> ORDER = Comparator.comparing(Violation::pointer)
      .thenComparing(Violation::keyword)
      .thenComparing(Violation::message);

  private final Kind kind;
  private final String pointer;
  private final String keyword;
  private final String message;

  public Violation(Kind kind, String pointer, String keyword, String message) {
    this.kind = Objects.requireNonNull(kind);
    this.pointer = Objects.requireNonNull(pointer);
    this.keyword = Objects.requireNonNull(keyword);
    this.message = Objects.requireNonNull(message);
  }

  /** The violation for a message of {@code length} bytes over a cap of {@code maxBytes}. */
  public static Violation tooLarge(long length, long maxBytes) {
    return new Violation(Kind.TOO_LARGE, ROOT, "maxBytes",
        "message is " + length + " bytes, over the limit of " + maxBytes);
  }

  public Kind kind() {
    return kind;
  }

  /** A JSON pointer (RFC 6901) into the message; {@link #ROOT} for the whole message. */
  public String pointer() {
    return pointer;
  }

  /** The pointer as people read it: {@code (root)} for the whole message. */
  public String displayPointer() {
    return pointer.isEmpty() ? "(root)" : pointer;
  }

  /** The schema keyword that failed ({@code required}, {@code maximum}...), or the kind in lower case. */
  public String keyword() {
    return keyword;
  }

  /** A sentence in English, the same on every machine. */
  public String message() {
    return message;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Violation)) {
      return false;
    }
    Violation v = (Violation) o;
    return kind == v.kind && pointer.equals(v.pointer) && keyword.equals(v.keyword) && message.equals(v.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, pointer, keyword, message);
  }

  @Override
  public String toString() {
    return displayPointer() + ": " + keyword + ": " + message;
  }
}
