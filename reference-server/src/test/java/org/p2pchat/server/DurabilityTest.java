package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.testing.FakePeer;

/** The registry survives a crash and a restart; an unusable state file is reported, never replaced. */
class DurabilityTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String HEADER = "{\"format\":\"p2pchat-server-state\",\"version\":1}\n";

  @TempDir
  Path dir;

  private static Register register(String name, HostPort at) {
    return new Register().withPeername(name).withHost(at.host()).withPort(at.port());
  }

  private RendezvousServer start(Path state) throws IOException {
    return RendezvousServer.builder().port(0).stateFile(state).build().start();
  }

  @Test
  void acknowledgedRegistrationsSurviveTheProcessBeingKilled() throws Exception {
    Path state = dir.resolve("state.jsonl");
    int count = 30;
    List<FakePeer> peers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int i = 0; i < count; i++) {
        peers.add(FakePeer.start());
      }
      Set<String> acknowledged = new HashSet<>();
      try (ServerProcess server = ServerProcess.start(dir, "--port", "0", "--state", state.toString())) {
        for (int i = 0; i < count; i++) {
          FakePeer peer = peers.get(i);
          String name = "peer-" + i;
          pool.submit(() -> {
            peer.send(server.address(), register(name, peer.address()));
            return null;
          });
        }
        // Kill while registrations are still in flight: once a third of them are acknowledged.
        Poll.until(Duration.ofSeconds(20), () -> collectAcknowledged(peers, acknowledged) >= count / 3,
            () -> "too few acknowledged: " + acknowledged);
        server.process().destroyForcibly();
        server.awaitExit(Duration.ofSeconds(10));
      }
      collectAcknowledged(peers, acknowledged);

      try (RendezvousServer restarted = start(state)) {
        Set<String> registered = restarted.registry().snapshot().keySet();
        assertTrue(registered.containsAll(acknowledged), "lost acknowledged registrations: acknowledged "
            + acknowledged + ", registered after restart " + registered);
        System.out.printf("durability: %d of %d registrations acknowledged before the kill; %d registered after "
            + "restart%n", acknowledged.size(), count, registered.size());
        assertTrue(acknowledged.size() >= count / 3, "acknowledged " + acknowledged);
        for (String name : acknowledged) {
          int i = Integer.parseInt(name.substring("peer-".length()));
          assertEquals(peers.get(i).address(), restarted.registry().addressOf(name).orElseThrow());
        }
      }
    } finally {
      pool.shutdownNow();
      peers.forEach(FakePeer::close);
    }
  }

  /** Adds the names whose REGISTER_SUCCESS has arrived (peer i registered peer-i); returns how many. */
  private static int collectAcknowledged(List<FakePeer> peers, Set<String> acknowledged) {
    for (int i = 0; i < peers.size(); i++) {
      for (FakePeer.Received reply : peers.get(i).drain()) {
        if (reply.type() == MessageType.REGISTER_SUCCESS) {
          acknowledged.add("peer-" + i);
        }
      }
    }
    return acknowledged.size();
  }

  @Test
  void registrationsAndExitsSurviveARestartInOrder() throws Exception {
    Path state = dir.resolve("state.jsonl");
    try (FakePeer peer = FakePeer.start()) {
      try (RendezvousServer server = start(state)) {
        for (String name : List.of("carol", "alice", "bob")) {
          peer.send(server.address(), register(name, peer.address()));
          peer.expect(RegisterSuccess.class, WAIT);
        }
        peer.send(server.address(), new ExitNetwork().withPeername("alice"));
        Poll.until(WAIT, () -> !server.registry().contains("alice"), () -> "alice still registered");
      }

      try (RendezvousServer restarted = start(state)) {
        assertEquals(List.of("carol", "bob"), List.copyOf(restarted.registry().snapshot().keySet()));
        peer.send(restarted.address(), new ListpeerRequest().withPeername("bob"));
        assertEquals(List.of("carol", "bob"),
            List.copyOf(peer.expect(ListpeerReply.class, WAIT).getPeerlist().keySet()));
      }
    }
  }

  @Test
  void corruptStateFileIsReportedAndLeftUntouched() throws Exception {
    Path state = dir.resolve("state.jsonl");
    byte[] corrupt = (HEADER + "{\"op\":\"register\",\"peername\":\"a\",\"host\":\"localhost\",\"port\":4000}\n"
        + "not json at all\n").getBytes(StandardCharsets.UTF_8);
    Files.write(state, corrupt);

    StateFileException e = assertThrows(StateFileException.class, () -> start(state));

    assertTrue(e.getMessage().contains(state.toString()) && e.getMessage().contains("line 3"), e.getMessage());
    assertArrayEquals(corrupt, Files.readAllBytes(state));
  }

  @Test
  void fileThatIsNotAStateFileIsRefusedAndLeftUntouched() throws Exception {
    Path state = dir.resolve("notes.json");
    byte[] other = "{\"hello\": \"world\"}\n".getBytes(StandardCharsets.UTF_8);
    Files.write(state, other);

    StateFileException e = assertThrows(StateFileException.class, () -> start(state));

    assertTrue(e.getMessage().contains("not a p2pchat server state file"), e.getMessage());
    assertArrayEquals(other, Files.readAllBytes(state));
  }

  @Test
  void unreadableStateFileIsReported() throws Exception {
    Path state = Files.createDirectory(dir.resolve("a-directory"));

    StateFileException e = assertThrows(StateFileException.class, () -> start(state));

    assertTrue(e.getMessage().contains("cannot read"), e.getMessage());
  }

  @Test
  void tornLastLineIsIgnoredAndCompactedAway() throws Exception {
    Path state = dir.resolve("state.jsonl");
    String complete = HEADER + "{\"op\":\"register\",\"peername\":\"a\",\"host\":\"localhost\",\"port\":4000}\n";
    Files.writeString(state, complete + "{\"op\":\"register\",\"peername\":\"b\",\"ho", StandardCharsets.UTF_8);

    try (RendezvousServer server = start(state)) {
      assertEquals(List.of("a"), List.copyOf(server.registry().snapshot().keySet()));
      assertEquals(complete, Files.readString(state, StandardCharsets.UTF_8));
    }
  }

  @Test
  void stateFileInUseByAnotherServerIsRefused() throws Exception {
    Path state = dir.resolve("state.jsonl");
    try (RendezvousServer first = start(state); FakePeer peer = FakePeer.start()) {
      StateFileException e = assertThrows(StateFileException.class, () -> start(state));

      assertTrue(e.getMessage().contains("in use"), e.getMessage());
      peer.send(first.address(), register("alice", peer.address()));
      peer.expect(RegisterSuccess.class, WAIT);
    }
  }

  @Test
  void serverOnFreePortWithoutStateFileUsesATemporaryOneAndDeletesIt() throws Exception {
    Path state;
    try (RendezvousServer server = RendezvousServer.builder().port(0).build().start()) {
      state = server.stateFile();
      assertTrue(server.temporaryState());
      assertTrue(Files.exists(state));
    }
    assertTrue(Files.notExists(state), state + " left behind");
  }
}
