package org.p2pchat.peer.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
  /** When each peer last sent us a message or we sent it one, for {@code who}. */
  private final Map<String, Instant> lastActive = new HashMap<>();
  private final Clock clock;
  /** Told of every change (the mesh's link events); called under this object's lock, so it must not block. */
  private volatile Listener listener = (name, address, session) -> { };

  /** A peer was recorded ({@code address} set, {@code session} null for plaintext) or removed (both null). */
  @FunctionalInterface
  public interface Listener {
    void changed(String name, HostPort address, Session session);
  }

  public ConnectedPeers() {
    this(Clock.systemUTC());
  }

  public ConnectedPeers(Clock clock) {
    this.clock = clock;
  }

  /** Sets the one listener (replacing the previous). */
  public void listen(Listener listener) {
    this.listener = listener;
  }

  /** Notes a message to or from {@code name}. */
  public synchronized void touch(String name) {
    if (peers.containsKey(name)) {
      lastActive.put(name, clock.instant());
    }
  }

  /** How long since the last message to or from {@code name} (or since it connected); null if not connected. */
  public synchronized Duration idle(String name) {
    Instant last = lastActive.get(name);
    return last == null ? null : Duration.between(last, clock.instant());
  }

  /** Records a peer; a later peer of the same name replaces the earlier one, as in 2018. */
  public synchronized void put(String name, HostPort address) {
    put(name, address, null);
  }

  /** Records a peer with its session (null: a plaintext, 2018-style chat). */
  public synchronized void put(String name, HostPort address, Session session) {
    peers.remove(name);
    peers.put(name, address);
    lastActive.put(name, clock.instant());
    if (session == null) {
      sessions.remove(name);
    } else {
      sessions.put(name, session);
    }
    listener.changed(name, address, session);
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
    lastActive.remove(name);
    HostPort was = peers.remove(name);
    if (was != null) {
      listener.changed(name, null, null);
    }
    return was;
  }

  /** Removes the peer only if it is still recorded at {@code address}. */
  public synchronized boolean remove(String name, HostPort address) {
    boolean removed = peers.remove(name, address);
    if (removed) {
      sessions.remove(name);
      lastActive.remove(name);
      listener.changed(name, null, null);
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
    lastActive.clear();
    all.keySet().forEach(name -> listener.changed(name, null, null));
    return all;
  }
}
