package org.p2pchat.demo;

import org.p2pchat.peer.ChatPeer;
import org.p2pchat.peer.Screen;

/** One peer and its screen, as a demo types into it. */
record Side(ChatPeer peer, Screen screen) {
  void type(String command) {
    screen.typed(command);
    peer.execute(command);
  }

  String name() {
    return peer.name();
  }

  String address() {
    return peer.advertisedAddress().toString();
  }
}
