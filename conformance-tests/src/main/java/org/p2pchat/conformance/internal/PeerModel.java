package org.p2pchat.conformance.internal;

import java.util.HashSet;
import java.util.Set;
import org.p2pchat.protocol.MessageType;

/**
 * An auto-accepting chat peer as the protocol notes describe it: every CHAT_REQUEST is accepted and its
 * sender becomes connected; chat lines and goodbyes have no reply on the wire.
 */
final class PeerModel implements Model {
  private final Set<Integer> connected = new HashSet<>();

  @Override
  public Expected step(Action action) {
    if (action instanceof Action.ChatRequest r) {
      connected.add(r.peer());
      return Expected.reply(r.peer(), MessageType.CHAT_ACCEPT);
    }
    if (action instanceof Action.Disconnect d) {
      connected.remove(d.peer());
      return Expected.SILENCE;
    }
    if (action instanceof Action.ChatMessage || action instanceof Action.BadInput) {
      return Expected.SILENCE;
    }
    throw new IllegalArgumentException("not a peer step: " + action);
  }

  Set<Integer> connected() {
    return connected;
  }
}
