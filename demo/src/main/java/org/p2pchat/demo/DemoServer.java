package org.p2pchat.demo;

import java.io.IOException;
import java.util.Set;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;

/** The rendezvous server the demo runs its peers against, whichever implementation it is. */
public interface DemoServer extends AutoCloseable {
  /** Starts a server on a free loopback port, showing what it does on {@code screen}. */
  @FunctionalInterface
  interface Factory {
    DemoServer start(PeerOutput screen) throws IOException;
  }

  /** Where peers reach it. */
  HostPort address();

  /** The names registered right now. */
  Set<String> registeredNames();

  @Override
  void close();
}
