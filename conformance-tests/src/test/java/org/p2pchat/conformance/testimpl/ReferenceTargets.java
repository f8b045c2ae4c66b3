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
    RendezvousServer server = RendezvousServer.builder().host("127.0.0.1").port(0).build().start();
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

  /** The reference peer with an identity (identity-v1), as `p2pchat peer` always runs. */
  public static RunningTarget peer() throws IOException {
    return peer(ChatPeer.builder().identity(IdentityKeyPair.generate(new SecureRandom()), KnownPeers.inMemory()));
  }

  /** The reference peer without an identity: it behaves as a 2018 peer and advertises nothing. */
  public static RunningTarget peer2018() throws IOException {
    return peer(ChatPeer.builder());
  }

  private static RunningTarget peer(ChatPeer.Builder builder) throws IOException {
    ChatPeer peer = builder
        .name("reference")
        .port(0)
        .server(new HostPort("127.0.0.1", 1))
        .autoAccept(true)
        .output(line -> { })
        .build()
        .start();
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
