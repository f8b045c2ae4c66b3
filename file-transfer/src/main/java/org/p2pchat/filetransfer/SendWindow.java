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

  /**
   * Takes a FILE_ACK's {@code next}: the receiver holds every chunk below it. Returns false for an ack that
   * cannot be true (beyond what was sent, or going backwards), which fails the transfer as a protocol error.
   */
  public boolean onAck(long next) {
    if (next < acked || next > nextToSend) {
      return false;
    }
    acked = (int) next;
    return true;
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
