package org.p2pchat.demo;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.RendezvousServer;

/** The demo's rendezvous server: the reference server on a free loopback port, its events on the screen. */
public final class ReferenceDemoServer implements DemoServer {
  private final RendezvousServer server;

  private ReferenceDemoServer(RendezvousServer server) {
    this.server = server;
  }

  /** Starts one on 127.0.0.1 at a free port, with a temporary state file deleted on close. */
  public static ReferenceDemoServer start(PeerOutput screen) throws IOException {
    RendezvousServer server = RendezvousServer.builder()
        .host("127.0.0.1")
        .port(0)
        .events(line -> screen.line(PeerOutput.printable(line)))
        .build()
        .start();
    screen.line("listening on " + server.address());
    return new ReferenceDemoServer(server);
  }

  @Override
  public HostPort address() {
    return server.address();
  }

  @Override
  public Set<String> registeredNames() {
    return server.registry().snapshot().keySet();
  }

  @Override
  public void close() {
    server.stop(Duration.ofSeconds(2));
  }
}
