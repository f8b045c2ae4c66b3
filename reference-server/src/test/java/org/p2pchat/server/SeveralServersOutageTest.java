package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.server.registry.EmbeddedPg;
import org.p2pchat.server.registry.RegistryOptions;
import org.p2pchat.testing.FakePeer;

/**
 * Two servers on one PostgreSQL that stops and comes back on the same data directory and port: while it
 * is down neither server answers (no REGISTER_SUCCESS, and no REGISTER_ERROR for a free name), and when it
 * is back both answer again by themselves, with every acknowledged registration still there.
 */
class SeveralServersOutageTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dataDir;

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Registers {@code name} at {@code server}; the reply type, or null if none came within {@code wait}. */
  private static MessageType register(FakePeer peer, RendezvousServer server, String name, Duration wait)
      throws Exception {
    peer.send(server.address(), new Register().withPeername(name).withHost(peer.address().host())
        .withPort(peer.address().port()));
    FakePeer.Received reply = peer.take(wait);
    return reply == null ? null : reply.type();
  }

  @Test
  void whileTheDatabaseIsDownNoServerAnswersAndAfterwardsBothRecoverWithNothingLost() throws Exception {
    int port = freePort();
    EmbeddedPg pg = EmbeddedPg.startKept(dataDir, port);
    String database = pg.createDatabase();
    List<RendezvousServer> servers = new ArrayList<>();
    List<String> acknowledged = new ArrayList<>();
    try (FakePeer peer = FakePeer.start()) {
      for (int i = 0; i < 2; i++) {
        servers.add(RendezvousServer.builder().host("127.0.0.1").port(0).registry(pg.parsed(database))
            .registryOptions(RegistryOptions.defaults().withPoolSize(2).withConnectTimeout(Duration.ofMillis(500)))
            .build().start());
      }
      for (int i = 0; i < 10; i++) {
        String name = "before" + i;
        assertEquals(MessageType.REGISTER_SUCCESS, register(peer, servers.get(i % 2), name, WAIT), name);
        acknowledged.add(name);
      }

      pg.close();
      for (int i = 0; i < 4; i++) {
        // The store gives up after its connect timeout (0.5 s); a reply would have come by 3 s.
        MessageType reply = register(peer, servers.get(i % 2), "during" + i, Duration.ofSeconds(3));
        assertEquals(null, reply, "a reply while the database is down");
      }

      pg = EmbeddedPg.startKept(dataDir, port);
      for (int i = 0; i < 2; i++) {
        RendezvousServer server = servers.get(i);
        String name = "after" + i;
        // The pool reconnects on a later call: ask again until the server answers, as a peer would.
        long deadline = System.nanoTime() + WAIT.toNanos();
        MessageType reply = null;
        while (reply == null && System.nanoTime() < deadline) {
          reply = register(peer, server, name, Duration.ofSeconds(2));
        }
        assertEquals(MessageType.REGISTER_SUCCESS, reply, "server " + i + " after the database came back");
        acknowledged.add(name);
      }
      for (String name : acknowledged) {
        assertTrue(servers.get(0).registry().contains(name) && servers.get(1).registry().contains(name),
            name + " lost");
      }
    } finally {
      servers.forEach(s -> s.stop(Duration.ofSeconds(5)));
      pg.close();
    }
  }
}
