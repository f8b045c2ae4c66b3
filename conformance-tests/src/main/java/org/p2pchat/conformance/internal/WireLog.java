package org.p2pchat.conformance.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.p2pchat.conformance.WireEvent;

/** The timestamped record of one case's traffic. Thread-safe: listener threads add to it as bytes arrive. */
public final class WireLog {
  /** Longer messages are shown as their head and tail. */
  private static final int HEAD = 480;
  private static final int TAIL = 160;

  private final List<WireEvent> events = new ArrayList<>();

  public void sent(String endpoint, byte[] bytes) {
    add(new WireEvent(Instant.now(), WireEvent.Direction.SENT, endpoint, bytes.length, printable(bytes)));
  }

  public void received(String endpoint, byte[] bytes, Instant at) {
    add(new WireEvent(at, WireEvent.Direction.RECEIVED, endpoint, bytes.length, printable(bytes)));
  }

  public void note(String text) {
    add(new WireEvent(Instant.now(), WireEvent.Direction.NOTE, "suite", 0, text));
  }

  /** Copies events recorded elsewhere (a scratch run) into this log. */
  public synchronized void addAll(List<WireEvent> more) {
    events.addAll(more);
  }

  private synchronized void add(WireEvent event) {
    events.add(event);
  }

  /** Everything so far, in time order. */
  public synchronized List<WireEvent> events() {
    List<WireEvent> copy = new ArrayList<>(events);
    copy.sort(Comparator.comparing(WireEvent::at));
    return copy;
  }

  public synchronized boolean hasSent() {
    return events.stream().anyMatch(e -> e.direction() == WireEvent.Direction.SENT);
  }

  /** Bytes as one line of text: UTF-8 where valid, escapes for control characters and bad bytes. */
  public static String printable(byte[] bytes) {
    if (bytes.length <= HEAD + TAIL + 64) {
      return escape(bytes);
    }
    byte[] head = Arrays.copyOfRange(bytes, 0, HEAD);
    byte[] tail = Arrays.copyOfRange(bytes, bytes.length - TAIL, bytes.length);
    return escape(head) + " ...[" + (bytes.length - HEAD - TAIL) + " bytes left out]... " + escape(tail);
  }

  private static String escape(byte[] bytes) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return escapeBytes(bytes);
    }
    StringBuilder sb = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c == '\t') {
        sb.append("\\t");
      } else if (c < 0x20 || c == 0x7f) {
        sb.append(String.format("\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Not UTF-8: printable ASCII as is, every other byte as {@code \xNN}. */
  private static String escapeBytes(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length);
    for (byte b : bytes) {
      int v = b & 0xff;
      if (v >= 0x20 && v < 0x7f) {
        sb.append((char) v);
      } else {
        sb.append(String.format("\\x%02x", v));
      }
    }
    return sb.toString();
  }
}
