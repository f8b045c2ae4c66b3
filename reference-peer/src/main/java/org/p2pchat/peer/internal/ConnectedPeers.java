package org.p2pchat.peer.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.p2pchat.protocol.HostPort;

/** The peers this one chats with, name to address, in the order they connected. Thread-safe. */
public final class ConnectedPeers {
  private final Map<String, HostPort> peers = new LinkedHashMap<>();

  /** Records a peer; a later peer of the same name replaces the earlier one, as in 2018. */
  public synchronized void put(String name, HostPort address) {
    peers.remove(name);
    peers.put(name, address);
  }

  public synchronized HostPort get(String name) {
    return peers.get(name);
  }

  public synchronized boolean contains(String name) {
    return peers.containsKey(name);
  }

  /** Removes and returns the peer's address, or null if it was not connected. */
  public synchronized HostPort remove(String name) {
    return peers.remove(name);
  }

  /** Removes the peer only if it is still recorded at {@code address}. */
  public synchronized boolean remove(String name, HostPort address) {
    return peers.remove(name, address);
  }

  public synchronized Map<String, HostPort> snapshot() {
    return new LinkedHashMap<>(peers);
  }

  /** Removes and returns everyone. */
  public synchronized Map<String, HostPort> takeAll() {
    Map<String, HostPort> all = new LinkedHashMap<>(peers);
    peers.clear();
    return all;
  }
}
