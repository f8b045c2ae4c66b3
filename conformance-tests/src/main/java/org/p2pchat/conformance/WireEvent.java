package org.p2pchat.conformance;

import java.time.Instant;
import java.util.Objects;

/**
 * One line of a case's wire log: bytes the suite sent to the target, bytes that arrived at one of the
 * suite's simulated peers, or a note from the suite. Immutable.
 */
public final class WireEvent {
  /** Which way the bytes went. */
  public enum Direction {
    /** The suite sent bytes to the target. */
    SENT("->"),
    /** Bytes arrived at one of the suite's listeners. */
    RECEIVED("<-"),
    /** What the suite did or saw that is not a message (a held connection, a timeout). */
    NOTE("--");

    private final String arrow;

    Direction(String arrow) {
      this.arrow = arrow;
    }

    public String arrow() {
      return arrow;
    }
  }

  private final Instant at;
  private final Direction direction;
  private final String endpoint;
  private final int length;
  private final String text;

  /**
   * @param endpoint who sent or received, for example {@code peer#0 127.0.0.1:40123}
   * @param length byte count of the message (0 for notes)
   * @param text the bytes as printable text (see {@link #text()})
   */
  public WireEvent(Instant at, Direction direction, String endpoint, int length, String text) {
    this.at = Objects.requireNonNull(at);
    this.direction = Objects.requireNonNull(direction);
    this.endpoint = Objects.requireNonNull(endpoint);
    this.length = length;
    this.text = Objects.requireNonNull(text);
  }

  public Instant at() {
    return at;
  }

  public Direction direction() {
    return direction;
  }

  public String endpoint() {
    return endpoint;
  }

  public int length() {
    return length;
  }

  /**
   * The message as text: UTF-8 decoded, control characters and invalid bytes escaped, long messages cut
   * in the middle with the number of bytes left out; for notes, the note.
   */
  public String text() {
    return text;
  }

  /** One line: time, arrow, endpoint, size and text. */
  public String format(Instant start) {
    long ms = java.time.Duration.between(start, at).toMillis();
    String size = direction == Direction.NOTE ? "" : " (" + length + " B)";
    return String.format("+%5d ms %s %s%s %s", ms, direction.arrow(), endpoint, size, text);
  }
}
