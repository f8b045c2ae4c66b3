package org.p2pchat.filetransfer;

/**
 * The sender's flow control: at most {@code window} chunks sent and not yet acknowledged. Starts at the chunk the
 * receiver asked for (0, or where a resume picks up). Not thread-safe.
 */
public final class SendWindow {
  private final int count;
  private final int window;
  private int nextToSend;
  private int acked;

  /** A window over chunks {@code start} to {@code count-1}. */
  public SendWindow(int count, int start, int window) {
    if (start < 0 || start > count || window < 1) {
      throw new IllegalArgumentException("start " + start + " of " + count + ", window " + window);
    }
    this.count = count;
    this.window = window;
    this.nextToSend = start;
    this.acked = start;
  }

  /** True when another chunk may be sent now. */
  public boolean canSend() {
    return nextToSend < count && nextToSend < acked + window;
  }

  /** The index of the chunk to send now; call only when {@link #canSend()}. */
  public int take() {
    if (!canSend()) {
      throw new IllegalStateException("window full or all sent");
    }
    return nextToSend++;
  }

  /** What a FILE_ACK did to the window. */
  public enum Ack {
    /** The window moved: more chunks may be sent. */
    ADVANCED,
    /**
     * Nothing new: an ack at or below what an earlier ack already said. Acks are cumulative and each travels on
     * its own connection, so an older one may arrive after a newer one; it carries no information and is ignored.
     */
    STALE,
    /** Beyond the chunks sent: the receiver cannot hold them. The transfer fails as a protocol error. */
    IMPOSSIBLE
  }

  /**
   * Takes a FILE_ACK's {@code next}: the receiver holds every chunk below it. An ack beyond what was sent is
   * {@link Ack#IMPOSSIBLE}; one that does not move the window (an earlier ack overtaken by a later one on
   * another connection) is {@link Ack#STALE} and changes nothing.
   */
  public Ack onAck(long next) {
    if (next > nextToSend) {
      return Ack.IMPOSSIBLE;
    }
    if (next <= acked) {
      return Ack.STALE;
    }
    acked = (int) next;
    return Ack.ADVANCED;
  }

  /** Chunks the receiver has confirmed. */
  public int acked() {
    return acked;
  }

  /** True when the receiver confirmed every chunk. */
  public boolean allAcked() {
    return acked == count;
  }
}
