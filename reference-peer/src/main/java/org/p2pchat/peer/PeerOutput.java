package org.p2pchat.peer;

import org.p2pchat.peer.internal.Lines;

/**
 * Where a {@link ChatPeer} shows what happens: one call per line of text, without the line break.
 *
 * <p>Called from the thread that runs commands and from the threads that receive messages, possibly at
 * once, so implementations must be thread-safe. A console prints the line above the one being typed;
 * the demo and tests record it.
 */
@FunctionalInterface
public interface PeerOutput {
  void line(String text);

  /** {@code text} made safe to show on one terminal line, as the peer shows names and messages. */
  static String printable(String text) {
    return Lines.printable(text);
  }
}
