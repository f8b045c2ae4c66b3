package org.p2pchat.conformance.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import org.p2pchat.protocol.MessageType;

/**
 * The rendezvous server as the protocol notes describe it: a map from name to the peer that registered
 * it, in registration order (a name registered again after EXIT_NETWORK goes to the end).
 */
final class ServerModel implements Model {
  private final LinkedHashMap<Integer, Integer> registry = new LinkedHashMap<>();

  @Override
  public Expected step(Action action) {
    if (action instanceof Action.Register r) {
      if (registry.containsKey(r.name())) {
        return Expected.reply(r.peer(), MessageType.REGISTER_ERROR);
      }
      registry.put(r.name(), r.peer());
      return Expected.reply(r.peer(), MessageType.REGISTER_SUCCESS);
    }
    if (action instanceof Action.Listpeer l) {
      Integer owner = registry.get(l.name());
      if (owner == null) {
        return Expected.SILENCE;
      }
      List<int[]> list = new ArrayList<>();
      registry.forEach((name, peer) -> list.add(new int[] {name, peer}));
      return new Expected(owner, MessageType.LISTPEER_REPLY, list);
    }
    if (action instanceof Action.Exit e) {
      registry.remove(e.name());
      return Expected.SILENCE;
    }
    if (action instanceof Action.BadInput) {
      return Expected.SILENCE;
    }
    throw new IllegalArgumentException("not a server step: " + action);
  }

  /** The names registered now, in order. */
  Set<Integer> registered() {
    return registry.keySet();
  }
}
