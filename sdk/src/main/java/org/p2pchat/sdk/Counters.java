package org.p2pchat.sdk;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live counts of what a node received, rejected, handled and sent. Thread-safe; cheap to update.
 * {@link #snapshot()} gives an immutable copy to print or expose.
 */
public final class Counters {
  private final LongAdder received = new LongAdder();
  private final LongAdder dispatched = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private final LongAdder sendFailures = new LongAdder();
  private final Map<RejectReason, LongAdder> rejected = new EnumMap<>(RejectReason.class);

  public Counters() {
    for (RejectReason reason : RejectReason.values()) {
      rejected.put(reason, new LongAdder());
    }
  }

  void received() {
    received.increment();
  }

  void dispatched() {
    dispatched.increment();
  }

  void sent() {
    sent.increment();
  }

  void sendFailed() {
    sendFailures.increment();
  }

  void rejected(RejectReason reason) {
    rejected.get(reason).increment();
  }

  public Snapshot snapshot() {
    Map<RejectReason, Long> copy = new EnumMap<>(RejectReason.class);
    rejected.forEach((reason, count) -> copy.put(reason, count.sum()));
    return new Snapshot(received.sum(), dispatched.sum(), sent.sum(), sendFailures.sum(), copy);
  }

  /** Counts at one moment. Immutable. */
  public static final class Snapshot {
    private final long received;
    private final long dispatched;
    private final long sent;
    private final long sendFailures;
    private final Map<RejectReason, Long> rejected;

    Snapshot(long received, long dispatched, long sent, long sendFailures, Map<RejectReason, Long> rejected) {
      this.received = received;
      this.dispatched = dispatched;
      this.sent = sent;
      this.sendFailures = sendFailures;
      this.rejected = Collections.unmodifiableMap(rejected);
    }

    /** Connections that delivered a complete read (valid or not). */
    public long received() {
      return received;
    }

    /** Messages a handler ran for without throwing. */
    public long dispatched() {
      return dispatched;
    }

    public long sent() {
      return sent;
    }

    public long sendFailures() {
      return sendFailures;
    }

    public long rejected(RejectReason reason) {
      return rejected.get(reason);
    }

    /** Handlers that threw. */
    public long handlerErrors() {
      return rejected.get(RejectReason.HANDLER_ERROR);
    }

    public long rejectedTotal() {
      long total = 0;
      for (long n : rejected.values()) {
        total += n;
      }
      return total;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("received=" + received + " dispatched=" + dispatched
          + " sent=" + sent + " sendFailures=" + sendFailures);
      rejected.forEach((reason, n) -> {
        if (n > 0) {
          sb.append(" rejected.").append(reason.name().toLowerCase()).append('=').append(n);
        }
      });
      return sb.toString();
    }
  }
}
