package org.p2pchat.peer.internal;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Protocol version 2 capabilities (docs/protocol.md#rule-v2-capabilities): the features this peer
 * advertises in its CHAT_REQUEST and CHAT_ACCEPT, and, per peer name, the features that peer advertised
 * in its own. A peer that advertised nothing is a 2018 program. Each feature this peer speaks is one
 * line in {@link #ADVERTISED}. Thread-safe.
 */
public final class Capabilities {
  /** Reads every message to end of stream and decodes raw UTF-8: long messages may be sent to it. */
  public static final String EOF = "eof";
  /** Understands file offers and chunks (docs/file-transfer.md). */
  public static final String FILES = "files";
  /** Speaks identity-v1 (docs/identity.md): signed handshake, sealed messages. Advertised only with a key pair. */
  public static final String IDENTITY = org.p2pchat.identity.Handshake.FEATURE;
  /** Relays and routes mesh traffic (docs/mesh.md); advertised only with identity-v1, which the mesh needs. */
  public static final String MESH = "mesh";
  /** What every peer advertises, in this order. */
  static final Set<String> ADVERTISED = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(java.util.List.of(EOF, FILES)));

  private final Map<String, Set<String>> byPeer = new HashMap<>();
  private final java.util.List<String> mine;

  /** A peer without an identity: advertises {@link #ADVERTISED}. */
  public Capabilities() {
    this(false);
  }

  /** {@code identity}: this peer has a key pair, so it also advertises {@link #IDENTITY}. */
  public Capabilities(boolean identity) {
    this(identity, false);
  }

  /** {@code mesh}: this peer (which must have an identity) also advertises {@link #MESH}. */
  public Capabilities(boolean identity, boolean mesh) {
    java.util.List<String> all = new java.util.ArrayList<>(ADVERTISED);
    if (identity) {
      all.add(IDENTITY);
    }
    if (identity && mesh) {
      all.add(MESH);
    }
    this.mine = java.util.List.copyOf(all);
  }

  /** A fresh set for an outgoing message (the generated classes keep what they are given). */
  public Set<String> advertised() {
    return new LinkedHashSet<>(mine);
  }

  /** The same, as the list the identity handshake signs. */
  public java.util.List<String> advertisedList() {
    return mine;
  }

  /**
   * Records what {@code peername} advertised in a CHAT_REQUEST or CHAT_ACCEPT; a message without
   * features withdraws earlier ones.
   */
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

  /** True if {@code peername} advertised {@code feature} in its last CHAT_REQUEST or CHAT_ACCEPT. */
  public synchronized boolean has(String peername, String feature) {
    return byPeer.getOrDefault(peername, Set.of()).contains(feature);
  }

  /** What {@code peername} advertised; empty for a 2018 program. */
  public synchronized Set<String> of(String peername) {
    return byPeer.getOrDefault(peername, Set.of());
  }

  /** Forgets a peer that left (its capabilities last as long as the chat). */
  public synchronized void forget(String peername) {
    byPeer.remove(peername);
  }
}
