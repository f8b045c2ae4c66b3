package org.p2pchat.filetransfer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Every transfer this peer knows, by id, with the per-peer concurrency limit: the model behind {@code list
 * transfers} and {@code cancel transfer ID}. Not thread-safe.
 */
public final class TransferTable {
  private final FileTransferLimits limits;
  private final Map<String, Transfer> byId = new LinkedHashMap<>();

  public TransferTable(FileTransferLimits limits) {
    this.limits = limits;
  }

  /** A fresh transfer id: 16 random hex digits from {@code random} (a SecureRandom in production). */
  public static String newId(RandomGenerator random) {
    return String.format("%016x", random.nextLong());
  }

  /**
   * Adds {@code t} if its peer has room: empty when admitted, {@link FailureReason#BUSY} when the peer already
   * has {@code maxTransfersPerPeer} transfers not yet ended, {@link FailureReason#PROTOCOL} when the id is taken.
   * Also BUSY for a download of a file (same SHA-256 and size) already being received: both would write the same
   * {@code .part} file.
   */
  public Optional<FailureReason> admit(Transfer t) {
    if (byId.containsKey(t.id())) {
      return Optional.of(FailureReason.PROTOCOL);
    }
    if (t.side() == Transfer.Side.RECEIVE) {
      for (Transfer other : byId.values()) {
        if (other.side() == Transfer.Side.RECEIVE && !other.state().isFinal()
            && other.offer().sha256().equals(t.offer().sha256()) && other.offer().size() == t.offer().size()) {
          return Optional.of(FailureReason.BUSY);
        }
      }
    }
    if (active(t.peer()) >= limits.maxTransfersPerPeer()) {
      return Optional.of(FailureReason.BUSY);
    }
    byId.put(t.id(), t);
    return Optional.empty();
  }

  public Optional<Transfer> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Transfers with {@code peer} that have not ended. */
  public int active(String peer) {
    int n = 0;
    for (Transfer t : byId.values()) {
      if (t.peer().equals(peer) && !t.state().isFinal()) {
        n++;
      }
    }
    return n;
  }

  /** All transfers, oldest first. */
  public List<Transfer> list() {
    return List.copyOf(new ArrayList<>(byId.values()));
  }

  /** Drops ended transfers, keeping the last {@code keep} of them for {@code list transfers}. */
  public void prune(int keep) {
    List<String> ended = new ArrayList<>();
    for (Transfer t : byId.values()) {
      if (t.state().isFinal()) {
        ended.add(t.id());
      }
    }
    for (int i = 0; i < ended.size() - keep; i++) {
      byId.remove(ended.get(i));
    }
  }
}
