package org.p2pchat.peer.internal;

import java.time.Instant;
import org.p2pchat.identity.ResponderHandshake;
import org.p2pchat.protocol.HostPort;

/** A chat request waiting for this user's answer: who asked, where to answer, and until when. Immutable. */
record IncomingRequest(long id, String peername, HostPort address, Instant deadline, ResponderHandshake handshake) {
  IncomingRequest(long id, String peername, HostPort address, Instant deadline) {
    this(id, peername, address, deadline, null);
  }

  String describe() {
    return Lines.named(peername, address);
  }
}
