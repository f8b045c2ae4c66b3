package org.p2pchat.peer.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The version 2 capabilities each peer advertised in its last CHAT_REQUEST or CHAT_ACCEPT
 * (docs/protocol.md#rule-v2-capabilities). A message without {@code features} withdraws them all: that peer is
 * then treated as a 2018 program. Thread-safe.
 */
public final class PeerFeatures {
  /** The capability that promises file offers and chunks are understood (docs/file-transfer.md). */
  public static final String FILES = "files";
  /** What this peer advertises. */
  public static final Set<String> OURS = Set.of(FILES);

  private final Map<String, Set<String>> byPeer = new HashMap<>();

  /** Records what {@code peername} advertised; null or empty means nothing. */
  public synchronized void record(String peername, Collection<String> features) {
    if (peername == null) {
      return;
    }
    if (features == null || features.isEmpty()) {
      byPeer.remove(peername);
    } else {
      byPeer.put(peername, Set.copyOf(features));
    }
  }

  public synchronized boolean has(String peername, String feature) {
    Set<String> features = byPeer.get(peername);
    return features != null && features.contains(feature);
  }
}
