package org.p2pchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.p2pchat.peer.Peers.QUIET;
import static org.p2pchat.peer.Peers.WAIT;
import static org.p2pchat.peer.Peers.assertShows;

import java.time.Duration;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatRefuse;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterError;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.testing.FakePeer;

class ServerCommandsTest {
  @Test
  void registerSendsOurAdvertisedAddressAndShowsRegisterSuccessful() throws Exception {
    Screen screen = new Screen("patchouli");
    try (FakePeer server = Peers.acceptingServer();
        ChatPeer peer = Peers.peer("patchouli", server.address(), screen).build().start()) {
      peer.execute("register");

      Register reg = server.expect(Register.class, WAIT);
      assertEquals("patchouli", reg.getPeername());
      assertEquals("localhost", reg.getHost());
      assertEquals(peer.address().port(), reg.getPort());
      assertShows(screen, "Register Successful.");
      assertTrue(peer.isRegistered());
    }
  }

  @Test
  void registerShowsRegisterErrorWhenTheNameIsTaken() throws Exception {
    Screen screen = new Screen("patchouli");
    try (FakePeer server = FakePeer.start();
        ChatPeer peer = Peers.peer("patchouli", server.address(), screen).build().start()) {
      server.on(Register.class, (reg, r) ->
          FakePeer.reply(new HostPort(reg.getHost(), reg.getPort()), new RegisterError()));
      peer.execute("register");

      assertShows(screen, "Register Error.");
      assertFalse(peer.isRegistered());
    }
  }

  @Test
  void listpeerShowsEveryPeerInTheServersOrder() throws Exception {
    Screen screen = new Screen("patchouli");
    try (FakePeer server = Peers.acceptingServer();
        ChatPeer peer = Peers.peer("patchouli", server.address(), screen).build().start()) {
      LinkedHashMap<String, HostPort> list = new LinkedHashMap<>();
      list.put("alice", new HostPort("localhost", 4000));
      list.put("patchouli", new HostPort("localhost", 40000));
      server.on(ListpeerRequest.class, (req, r) ->
          FakePeer.reply(peer.advertisedAddress(), new ListpeerReply().withPeerlist(list)));
      peer.execute("register");
      assertShows(screen, "Register Successful.");

      peer.execute("listpeer");

      assertEquals("patchouli", server.expect(Register.class, WAIT).getPeername());
      assertEquals("patchouli", server.expect(ListpeerRequest.class, WAIT).getPeername());
      assertShows(screen, "display all peers:");
      assertShows(screen, "peername: alice---localhost:4000");
      assertShows(screen, "peername: patchouli---localhost:40000");
      assertTrue(peer.knownPeerNames().contains("alice"));
    }
  }

  @Test
  void exitNetworkSendsExitNetworkOnlyWhileRegistered() throws Exception {
    Screen screen = new Screen("patchouli");
    try (FakePeer server = Peers.acceptingServer();
        ChatPeer peer = Peers.peer("patchouli", server.address(), screen).build().start()) {
      peer.execute("exit network");
      assertShows(screen, "not registered; nothing to leave");
      server.expectNothing(QUIET);

      peer.execute("register");
      assertShows(screen, "Register Successful.");
      server.expect(Register.class, WAIT);
      peer.execute("exit network");

      assertEquals("patchouli", server.expect(ExitNetwork.class, WAIT).getPeername());
      assertShows(screen, "left the network");
      assertFalse(peer.isRegistered());
      peer.execute("exit");
      server.expectNothing(QUIET);
    }
  }

  @Test
  void unreachableServerIsOneLineAndThePeerKeepsWorking() throws Exception {
    Screen screen = new Screen("patchouli");
    HostPort dead = Peers.deadAddress();
    try (ChatPeer peer = Peers.peer("patchouli", dead, screen).build().start()) {
      assertTrue(peer.execute("register"));
      assertTrue(peer.execute("listpeer"));

      assertShows(screen, "cannot send REGISTER to " + dead + ": connection refused (nothing is listening there)");
      assertShows(screen, "cannot send LISTPEER to " + dead + ": connection refused (nothing is listening there)");
      assertTrue(peer.execute("help"));
      assertShows(screen, "command list:");
      assertFalse(peer.isRegistered());
      assertFalse(peer.isClosed());
    }
  }

  @Test
  void aRegisterWithoutAnswerTimesOutAndALateSuccessStillCounts() throws Exception {
    Screen screen = new Screen("patchouli");
    try (FakePeer server = FakePeer.start();
        ChatPeer peer = Peers.peer("patchouli", server.address(), screen)
            .replyTimeout(Duration.ofMillis(200)).build().start()) {
      peer.execute("register");
      server.expect(Register.class, WAIT);
      assertShows(screen, "no answer from the server at " + server.address() + " to register within 200 ms");

      server.send(peer.address(), new RegisterSuccess());

      assertShows(screen, "Register Successful.");
      assertTrue(peer.isRegistered(), "a late success is still our registration, so exit must undo it");
    }
  }

  @Test
  void aRegisterSuccessNobodyAskedForIsIgnored() throws Exception {
    Screen screen = new Screen("patchouli");
    try (FakePeer server = Peers.acceptingServer();
        ChatPeer peer = Peers.peer("patchouli", server.address(), screen).build().start()) {
      server.send(peer.address(), new RegisterSuccess());
      // Handled after the stray success: messages are handled in the order they arrive.
      server.send(peer.address(), Peers.requestFrom("alice", server.address()));

      assertShows(screen, "chat_request: alice --- " + server.address());
      assertFalse(screen.lines().contains("Register Successful."), screen.lines().toString());
      assertFalse(peer.isRegistered());
      peer.execute("exit");
      // The request still waiting is refused (it named the fake's address); no EXIT_NETWORK follows.
      server.expect(ChatRefuse.class, WAIT);
      server.expectNothing(QUIET);
    }
  }
}
