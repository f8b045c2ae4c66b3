package org.p2pchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.p2pchat.peer.Peers.QUIET;
import static org.p2pchat.peer.Peers.assertShows;

import org.junit.jupiter.api.Test;
import org.p2pchat.peer.internal.ServerSession;
import org.p2pchat.testing.FakePeer;

/** {@code --no-server}: the server commands say so in one line each and nothing reaches any server. */
class NoServerTest {
  @Test
  void serverCommandsSayThereIsNoServerAndSendNothing() throws Exception {
    Screen screen = new Screen("patchouli");
    try (FakePeer server = Peers.acceptingServer();
        ChatPeer patchouli = Peers.peer("patchouli", server.address(), screen).noServer(true).build().start()) {
      patchouli.execute("register");
      assertShows(screen, ServerSession.NO_SERVER_LINE);
      patchouli.execute("listpeer");
      assertShows(screen, ServerSession.NO_SERVER_LINE);
      patchouli.execute("exit network");
      assertShows(screen, ServerSession.NO_SERVER_LINE);

      server.expectNothing(QUIET);
      assertFalse(patchouli.isRegistered());
      assertEquals(3, screen.lines().stream().filter(ServerSession.NO_SERVER_LINE::equals).count(),
          screen.lines()::toString);
    }
  }

  @Test
  void chatStillWorksWithNoServer() throws Exception {
    Screen alice = new Screen("alice");
    Screen yuuka = new Screen("yuuka");
    try (ChatPeer a = Peers.peer("alice", Peers.deadAddress(), alice).noServer(true).build().start();
        ChatPeer y = Peers.peer("yuuka", Peers.deadAddress(), yuuka).noServer(true).autoAccept(true).build()
            .start()) {
      a.execute("chat request localhost " + y.address().port());
      assertNotNull(alice.awaitMatching(l -> l.startsWith("chat accept: yuuka"), Peers.WAIT),
          alice.lines()::toString);
      a.execute("chat message yuuka hello from the library");
      assertShows(yuuka, "alice: hello from the library");
    }
  }
}
