package org.p2pchat.server;

import java.util.LinkedHashMap;
import java.util.Optional;
import org.p2pchat.protocol.HostPort;

/**
 * A read-only view of the server's registered peers: name to advertised address, in registration order.
 *
 * <p>Thread-safe; every call sees a consistent state. Names are compared exactly (case-sensitive).
 */
public interface Registry {
  /** The address {@code peername} registered with, if it is registered. */
  Optional<HostPort> addressOf(String peername);

  default boolean contains(String peername) {
    return addressOf(peername).isPresent();
  }

  /**
   * The identity key (unpadded base64url) {@code peername} is bound to, if it registered with one
   * (docs/identity.md 4.2); empty for a name registered without a key (2018) or not registered.
   */
  Optional<String> keyOf(String peername);

  int size();

  /** A copy of every registration, oldest first: what a LISTPEER reply carries. */
  LinkedHashMap<String, HostPort> snapshot();
}
