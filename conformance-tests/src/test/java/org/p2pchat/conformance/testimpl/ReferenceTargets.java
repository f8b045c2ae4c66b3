package org.p2pchat.conformance.testimpl;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.KnownPeers;
import org.p2pchat.peer.ChatPeer;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.RendezvousServer;

/**
 * The correct implementations the self-test holds the suite against: the real reference server and the
 * real reference peer (auto-accepting, as the suite's peer role requires), each on a free loopback port.
 * Only the tests depend on them; the suite itself knows no implementation.
 */
public final class ReferenceTargets {
  private ReferenceTargets() {}

  public static RunningTarget server() throws IOException {
    // The suite is one loopback source playing every peer, fast: held to no per-source rate or name limit.
    RendezvousServer server = RendezvousServer.builder().host("127.0.0.1").port(0)
        .exemptSources(java.util.Set.of(java.net.InetAddress.getLoopbackAddress())).build().start();
    return new RunningTarget() {
      @Override
      public HostPort address() {
        return server.address();
      }

      @Override
      public void close() {
        server.stop(Duration.ofSeconds(2));
      }
    };
  }

  /** The reference peer as a user runs it: with an identity (keys in memory), so it speaks identity-v1 and mesh. */
  public static RunningTarget peer() throws IOException {
    return peer(true);
  }

  /** The reference peer without an identity: it behaves as a 2018 peer and advertises nothing but eof. */
  public static RunningTarget peer2018() throws IOException {
    return peer(false);
  }

  /** {@code identity} false: the peer behaves as the 2018 program (no features but eof, no mesh). */
  public static RunningTarget peer(boolean identity) throws IOException {
    ChatPeer.Builder builder = ChatPeer.builder()
        .name("reference")
        .port(0)
        .server(new HostPort("127.0.0.1", 1))
        .autoAccept(true)
        .output(line -> { });
    if (identity) {
      builder.identity(org.p2pchat.identity.IdentityKeyPair.generate(new java.security.SecureRandom()),
          org.p2pchat.identity.KnownPeers.inMemory());
    }
    ChatPeer peer = builder.build().start();
    return new RunningTarget() {
      @Override
      public HostPort address() {
        return new HostPort("127.0.0.1", peer.address().port());
      }

      @Override
      public void close() {
        peer.close();
      }
    };
  }
}
