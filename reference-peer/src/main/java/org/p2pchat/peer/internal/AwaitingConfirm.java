package org.p2pchat.peer.internal;

import java.util.HashMap;
import java.util.Map;
import org.p2pchat.identity.ResponderHandshake;
import org.p2pchat.protocol.HostPort;

/**
 * Chat requests this peer accepted from identity-v1 peers, waiting for CHAT_CONFIRM: until it verifies, the
 * initiator is not authenticated, nothing is sealed to it and nothing it sends is shown. Thread-safe.
 */
final class AwaitingConfirm {
  record Entry(ResponderHandshake handshake, HostPort address) {}

  private final Map<String, Entry> entries = new HashMap<>();

  synchronized void put(String name, ResponderHandshake handshake, HostPort address) {
    entries.put(name, new Entry(handshake, address));
  }

  synchronized Entry get(String name) {
    return entries.get(name);
  }

  synchronized boolean remove(String name, Entry entry) {
    return entries.remove(name, entry);
  }

  /** Holds a sealed message that overtook CHAT_CONFIRM; false when there is no handshake to hold it for. */
  synchronized boolean holdEarly(String name, String msgtype, long seq, byte[] box) {
    Entry e = entries.get(name);
    return e != null && e.handshake().holdEarly(msgtype, seq, box);
  }
}
