package org.p2pchat.conformance.testimpl;

import java.io.IOException;
import java.util.EnumSet;

/**
 * The correct implementations the self-test holds the suite against. For now the small in-test server and
 * peer of this package; once reference-server and reference-peer are test-scope dependencies of this module,
 * return them here instead (for example a started {@code org.p2pchat.server.RendezvousServer} on
 * 127.0.0.1:0 and an {@code org.p2pchat.peer.ChatPeer} with auto-accept on), and every self-test follows.
 */
public final class ReferenceTargets {
  private ReferenceTargets() {}

  public static RunningTarget server() throws IOException {
    return TestServer.start(EnumSet.noneOf(Flaw.class));
  }

  public static RunningTarget peer() throws IOException {
    return TestPeer.start("reference", EnumSet.noneOf(Flaw.class));
  }
}
