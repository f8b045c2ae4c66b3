package org.p2pchat.conformance.internal;

import java.util.List;
import org.p2pchat.conformance.Role;
import org.p2pchat.protocol.MessageType;

/**
 * The reference model of a target: what the protocol says it answers to each step, given the steps before.
 * Kept beside the real target while a sequence runs; a difference is a failure.
 */
public interface Model {
  /** Predicts the target's answer to {@code action}, then updates the model as the target should update itself. */
  Expected step(Action action);

  static Model of(Role role) {
    return role == Role.SERVER ? new ServerModel() : new PeerModel();
  }

  /**
   * A prediction: silence, or one message of {@code type} at simulated peer {@code peer}. For a LISTPEER
   * reply, {@code list} holds the expected entries in order, each {@code {name index, peer index}}.
   */
  record Expected(int peer, MessageType type, List<int[]> list) {
    public static final Expected SILENCE = new Expected(-1, null, List.of());

    public static Expected reply(int peer, MessageType type) {
      return new Expected(peer, type, List.of());
    }

    public boolean silent() {
      return type == null;
    }
  }
}
