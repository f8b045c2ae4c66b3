package org.p2pchat.peer.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import org.p2pchat.identity.Session;
import org.p2pchat.protocol.HostPort;

/**
 * The peers this one chats with, name to address, in the order they connected, and for an identity-v1 peer its
 * session (verified and sealed). Thread-safe.
 */
public final class ConnectedPeers {
  private final Map<String, HostPort> peers = new LinkedHashMap<>();
  private final Map<String, Session> sessions = new LinkedHashMap<>();

  /** Records a peer; a later peer of the same name replaces the earlier one, as in 2018. */
  public synchronized void put(String name, HostPort address) {
    put(name, address, null);
  }

  /** Records a peer with its session (null: a plaintext, 2018-style chat). */
  public synchronized void put(String name, HostPort address, Session session) {
    peers.remove(name);
    peers.put(name, address);
    if (session == null) {
      sessions.remove(name);
    } else {
      sessions.put(name, session);
    }
  }

  /** The verified session with {@code name}, or null for a plaintext chat or no chat. */
  public synchronized Session session(String name) {
    return sessions.get(name);
  }

  public synchronized HostPort get(String name) {
    return peers.get(name);
  }

  public synchronized boolean contains(String name) {
    return peers.containsKey(name);
  }

  /** Removes and returns the peer's address, or null if it was not connected. */
  public synchronized HostPort remove(String name) {
    sessions.remove(name);
    return peers.remove(name);
  }

  /** Removes the peer only if it is still recorded at {@code address}. */
  public synchronized boolean remove(String name, HostPort address) {
    boolean removed = peers.remove(name, address);
    if (removed) {
      sessions.remove(name);
    }
    return removed;
  }

  public synchronized Map<String, HostPort> snapshot() {
    return new LinkedHashMap<>(peers);
  }

  public synchronized Map<String, Session> sessions() {
    return new LinkedHashMap<>(sessions);
  }

  /** Removes and returns everyone. */
  public synchronized Map<String, HostPort> takeAll() {
    Map<String, HostPort> all = new LinkedHashMap<>(peers);
    peers.clear();
    sessions.clear();
    return all;
  }
}
