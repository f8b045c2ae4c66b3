package org.p2pchat.peer.internal;

import org.p2pchat.peer.ChatPeer;
import org.p2pchat.peer.PeerOutput;

/** Where a person (or a script) types commands and reads what the peer shows. */
public interface Console extends PeerOutput, AutoCloseable {
  /** Shows {@code prompt} and reads one line; null at end of input. */
  String ask(String prompt);

  /** Reads and runs commands until {@code exit}, end of input or an interrupt, then closes the peer. */
  void run(ChatPeer peer);

  @Override
  void close();
}
