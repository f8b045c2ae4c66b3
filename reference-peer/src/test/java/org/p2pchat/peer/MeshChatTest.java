package org.p2pchat.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.identity.Endpoint;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.HandshakeConfig;
import org.p2pchat.identity.HandshakeFields;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.InitiatorHandshake;
import org.p2pchat.identity.KnownPeers;
import org.p2pchat.mesh.MeshConfig;
import org.p2pchat.mesh.RouteView;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.ChatConfirm;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.protocol.model.MeshData;
import org.p2pchat.testing.FakePeer;

/**
 * The mesh between real peers on 127.0.0.1: relayed chat exactly once, a crashed relay, two meshes merging, a
 * 2018 neighbour that never sees a mesh type, a forged relayed message, a neighbour whose host is gone.
 */
class MeshChatTest {
  /** Longest wait for a route change or a delivery (the mesh's own bounds are 6.1 s and 10 s). */
  private static final Duration MESH_WAIT = Duration.ofSeconds(15);
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private ChatPeer peer(String name, Screen screen) throws Exception {
    return peer(name, screen, true);
  }

  private ChatPeer peer(String name, Screen screen, boolean mesh) throws Exception {
    ChatPeer p = ChatPeer.builder().name(name).noServer(true).autoAccept(true).output(screen).mesh(mesh)
        .identity(IdentityKeyPair.generate(RawIdentityPeer.RANDOM), KnownPeers.inMemory()).build().start();
    open.add(p);
    return p;
  }

  private ChatPeer peer(String name, Screen screen, MeshConfig config) throws Exception {
    ChatPeer p = ChatPeer.builder().name(name).noServer(true).autoAccept(true).output(screen).meshConfig(config)
        .identity(IdentityKeyPair.generate(RawIdentityPeer.RANDOM), KnownPeers.inMemory()).build().start();
    open.add(p);
    return p;
  }

  /** a asks b to chat (b accepts at once) and both see the verified chat. */
  private static void link(ChatPeer a, Screen aScreen, ChatPeer b, Screen bScreen) throws Exception {
    a.execute("chat request localhost " + b.address().port());
    assertNotNull(aScreen.awaitMatching(l -> l.startsWith("chat with " + b.name() + " --- ") && l.contains("verified"),
        Peers.WAIT), () -> aScreen.label() + ": no verified chat with " + b.name() + ": " + aScreen.lines());
  }

  /** The line shows on screen within the mesh's bounds (a busy machine may need more than a direct chat). */
  private static void shows(Screen screen, String line) throws InterruptedException {
    assertTrue(screen.await(line, MESH_WAIT), () -> screen.label() + " never showed \"" + line + "\"; it showed "
        + screen.lines());
  }

  private static void eventually(BooleanSupplier condition, Duration within, String what) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "not within " + within + ": " + what);
      LockSupport.parkNanos(20_000_000L);
    }
  }

  private static boolean reaches(ChatPeer from, String to, int hops, String via) {
    for (RouteView r : from.network()) {
      if (r.destination().equals(to)) {
        return r.metric() == hops && r.nextHop().equals(via);
      }
    }
    return false;
  }

  private static boolean reaches(ChatPeer from, String to) {
    return from.network().stream().anyMatch(r -> r.destination().equals(to));
  }

  private static long count(Screen screen, String line) {
    return screen.lines().stream().filter(line::equals).count();
  }

  @Test
  void aLineOfThreeRelaysBothWaysExactlyOnceAndListsTheNetwork() throws Exception {
    Screen ps = new Screen("patchouli");
    Screen as = new Screen("alice");
    Screen ys = new Screen("yuuka");
    ChatPeer patchouli = peer("patchouli", ps);
    ChatPeer alice = peer("alice", as);
    ChatPeer yuuka = peer("yuuka", ys);
    link(patchouli, ps, alice, as);
    link(yuuka, ys, alice, as);
    eventually(() -> reaches(patchouli, "yuuka", 2, "alice") && reaches(yuuka, "patchouli", 2, "alice"), MESH_WAIT,
        "routes over alice");

    patchouli.execute("list network");
    shows(ps, "peername: yuuka, 2 hops, via alice");
    patchouli.execute("chat message yuuka Hello");
    assertTrue(ys.await("patchouli: Hello (via alice)", MESH_WAIT), () -> "yuuka: " + ys.lines() + "\npatchouli: "
        + ps.lines() + "\nalice: " + as.lines());
    yuuka.execute("chat message patchouli Hi, Patchouli");
    shows(ps, "yuuka: Hi, Patchouli (via alice)");
    // A later message arriving proves the earlier ones had their chance to be shown twice.
    patchouli.execute("chat message yuuka Second");
    shows(ys, "patchouli: Second (via alice)");
    assertEquals(1, count(ys, "patchouli: Hello (via alice)"), ys.lines().toString());
    assertEquals(1, count(ps, "yuuka: Hi, Patchouli (via alice)"), ps.lines().toString());
    assertFalse(as.lines().stream().anyMatch(l -> l.contains("Hello") || l.contains("Second")),
        "the relay shows nothing: " + as.lines());
    assertFalse(ps.lines().stream().anyMatch(l -> l.startsWith("not delivered")), ps.lines().toString());

    patchouli.execute("chat message nobody Hello?");
    shows(ps, "not delivered to nobody: no route through the mesh (\"list network\" shows who is reachable)");

    // DISCONNECT: the route goes within seconds, and a message then gets one line back.
    yuuka.execute("disconnect alice");
    eventually(() -> !reaches(patchouli, "yuuka"), MESH_WAIT, "yuuka's route withdrawn after DISCONNECT");
    patchouli.execute("chat message yuuka Still there?");
    shows(ps, "not delivered to yuuka: no route through the mesh (\"list network\" shows who is reachable)");
  }

  @Test
  void aDestinationBeyondAFullTableIsFoundOnDemandWithItsKeyCard() throws Exception {
    // Two routes per peer: on a line of five, each end knows only its two nearest; the far end is found by a
    // route request, and its reply brings the key card the message is sealed for.
    MeshConfig two = MeshConfig.builder().maxRoutes(2).build();
    String[] names = {"patchouli", "alice", "marisa", "reimu", "yuuka"};
    Screen[] screens = new Screen[names.length];
    ChatPeer[] peers = new ChatPeer[names.length];
    for (int i = 0; i < names.length; i++) {
      screens[i] = new Screen(names[i]);
      peers[i] = peer(names[i], screens[i], two);
    }
    for (int i = 0; i + 1 < names.length; i++) {
      link(peers[i], screens[i], peers[i + 1], screens[i + 1]);
    }
    eventually(() -> reaches(peers[0], "marisa", 2, "alice") && reaches(peers[4], "marisa", 2, "reimu"), MESH_WAIT,
        "the nearest two at each end");
    assertFalse(reaches(peers[0], "yuuka"), "yuuka is beyond patchouli's table");
    peers[0].execute("chat message yuuka Hello from afar");
    shows(screens[4], "patchouli: Hello from afar (via reimu)");
    peers[4].execute("chat message patchouli And back");
    shows(screens[0], "yuuka: And back (via alice)");
    assertEquals(1, count(screens[4], "patchouli: Hello from afar (via reimu)"), screens[4].lines().toString());
    assertFalse(screens[0].lines().stream().anyMatch(l -> l.startsWith("not delivered") || l.startsWith("refused")),
        screens[0].lines().toString());
  }

  @Test
  void aCrashedRelayIsRoutedAroundOrReportedUndeliverable() throws Exception {
    Screen ps = new Screen("patchouli");
    Screen as = new Screen("alice");
    Screen bs = new Screen("bob");
    Screen ys = new Screen("yuuka");
    ChatPeer patchouli = peer("patchouli", ps);
    ChatPeer alice = peer("alice", as);
    ChatPeer bob = peer("bob", bs);
    ChatPeer yuuka = peer("yuuka", ys);
    link(patchouli, ps, alice, as);
    link(alice, as, yuuka, ys);
    link(patchouli, ps, bob, bs);
    link(bob, bs, yuuka, ys);
    eventually(() -> reaches(patchouli, "yuuka") && reaches(yuuka, "patchouli"), MESH_WAIT, "a route over the diamond");
    String relay = patchouli.network().stream().filter(r -> r.destination().equals("yuuka")).findFirst()
        .orElseThrow().nextHop();
    ChatPeer dead = relay.equals("alice") ? alice : bob;
    String other = relay.equals("alice") ? "bob" : "alice";
    dead.abort(); // no DISCONNECT: a crash
    patchouli.execute("chat message yuuka After the crash");
    shows(ys, "patchouli: After the crash (via " + other + ")");
    eventually(() -> reaches(patchouli, "yuuka", 2, other), MESH_WAIT, "the route moved to " + other);

    // Now the last relay crashes too: the sender is told in one line.
    (other.equals("alice") ? alice : bob).abort();
    patchouli.execute("chat message yuuka Anyone?");
    assertNotNull(ps.awaitMatching(l -> l.startsWith("not delivered to yuuka: "), MESH_WAIT), ps.lines().toString());
    eventually(() -> !reaches(patchouli, "yuuka"), MESH_WAIT, "yuuka unreachable");
    assertEquals(1, ys.lines().stream().filter(l -> l.startsWith("patchouli: ")).count(), ys.lines().toString());
  }

  @Test
  void twoMeshesMergeWhenOneLinkJoinsThem() throws Exception {
    Screen ps = new Screen("patchouli");
    Screen as = new Screen("alice");
    Screen ys = new Screen("yuuka");
    Screen ms = new Screen("marisa");
    ChatPeer patchouli = peer("patchouli", ps);
    ChatPeer alice = peer("alice", as);
    ChatPeer yuuka = peer("yuuka", ys);
    ChatPeer marisa = peer("marisa", ms);
    link(patchouli, ps, alice, as);
    link(marisa, ms, yuuka, ys);
    eventually(() -> reaches(patchouli, "alice") && reaches(marisa, "yuuka"), MESH_WAIT, "two meshes");
    assertFalse(reaches(patchouli, "yuuka") || reaches(patchouli, "marisa"));
    link(alice, as, yuuka, ys);
    eventually(() -> reaches(patchouli, "marisa", 3, "alice") && reaches(marisa, "patchouli", 3, "yuuka"), MESH_WAIT,
        "the merged mesh");
    patchouli.execute("chat message marisa Hello across");
    shows(ms, "patchouli: Hello across (via yuuka)");
  }

  @Test
  void a2018NeighbourAndAPeerWithoutMeshNeverReceiveAMeshType() throws Exception {
    Screen ps = new Screen("patchouli");
    Screen as = new Screen("alice");
    Screen ys = new Screen("yuuka");
    Screen ns = new Screen("nomesh");
    ChatPeer patchouli = peer("patchouli", ps);
    ChatPeer alice = peer("alice", as);
    ChatPeer yuuka = peer("yuuka", ys);
    ChatPeer nomesh = peer("nomesh", ns, false);
    try (FakePeer carol = Peers.acceptingPeer("carol")) {
      alice.execute("chat request localhost " + carol.address().port());
      carol.expect(ChatRequest.class, Peers.WAIT);
      assertNotNull(as.awaitMatching(l -> l.startsWith("chat accept: carol"), Peers.WAIT), as.lines().toString());
      link(patchouli, ps, alice, as);
      link(yuuka, ys, alice, as);
      link(nomesh, ns, alice, as);
      eventually(() -> reaches(patchouli, "yuuka"), MESH_WAIT, "routes over alice");
      patchouli.execute("chat message yuuka Hello");
      assertTrue(ys.await("patchouli: Hello (via alice)", MESH_WAIT), ys.lines().toString());
      alice.execute("chat message carol plain as in 2018");
      assertEquals("plain as in 2018", carol.expect(org.p2pchat.protocol.model.ChatMessage.class, Peers.WAIT)
          .getMessage());
      // A 2018 program may not be sent anything it would trip on: after its chat, not one mesh message.
      carol.expectNothing(Duration.ofMillis(2_500)); // more than a hello interval: hellos would have come
      assertFalse(alice.meshNeighbours().contains("carol"));
      assertFalse(alice.meshNeighbours().contains("nomesh"));
      assertTrue(alice.meshNeighbours().containsAll(List.of("patchouli", "yuuka")), alice.meshNeighbours().toString());
      assertFalse(reaches(patchouli, "carol") || reaches(patchouli, "nomesh"), patchouli.network().toString());
      nomesh.execute("list network");
      shows(ns, "no mesh: it needs an identity (this peer runs in 2018 mode or with the mesh off)");
    }
  }

  @Test
  void aForgedRelayedMessageIsRefusedAndTheNextGenuineOneShown() throws Exception {
    Screen ps = new Screen("patchouli");
    Screen as = new Screen("alice");
    Screen ys = new Screen("yuuka");
    ChatPeer patchouli = peer("patchouli", ps);
    ChatPeer alice = peer("alice", as);
    ChatPeer yuuka = peer("yuuka", ys);
    link(patchouli, ps, alice, as);
    link(yuuka, ys, alice, as);
    eventually(() -> reaches(patchouli, "yuuka"), MESH_WAIT, "routes over alice");
    patchouli.execute("chat message yuuka Hello");
    assertTrue(ys.await("patchouli: Hello (via alice)", MESH_WAIT), ys.lines().toString()); // yuuka now knows patchouli's key

    // A third socket speaks as relay alice and hands yuuka a message "from patchouli" it made up.
    try (FakePeer forger = FakePeer.start()) {
      byte[] fake = new byte[400];
      RawIdentityPeer.RANDOM.nextBytes(fake);
      fake[0] = 1;
      forger.send(new HostPort("localhost", yuuka.address().port()), new MeshData().withPeername("alice")
          .withOrigin("patchouli").withDestination("yuuka").withId("forged-1").withAttempt(0).withHoplimit(15)
          .withMode(MeshData.Mode.ROUTED)
          .withPayload(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(fake)));
    }
    assertNotNull(ys.awaitMatching(l -> l.startsWith("refused: relayed message in the name of patchouli"), Peers.WAIT),
        ys.lines().toString());
    patchouli.execute("chat message yuuka Genuine");
    shows(ys, "patchouli: Genuine (via alice)");
    assertEquals(2, ys.lines().stream().filter(l -> l.startsWith("patchouli: ")).count(), ys.lines().toString());
  }

  @Test
  void aNeighbourWhoseHostIsGoneDoesNotStallTheRelayForTheOthers() throws Exception {
    Screen ps = new Screen("patchouli");
    Screen as = new Screen("alice");
    Screen ys = new Screen("yuuka");
    ChatPeer patchouli = peer("patchouli", ps);
    ChatPeer alice = peer("alice", as);
    ChatPeer yuuka = peer("yuuka", ys);
    link(patchouli, ps, alice, as);
    link(yuuka, ys, alice, as);
    // ghost links to alice as a mesh neighbour, then its host goes away without a reset: connections to its port
    // hang until the connect timeout (5 s), as with a machine that crashed or left the network. Its port is never
    // closed on the way (a refused connection would tell alice at once).
    try (RawIdentityPeer ghost = new RawIdentityPeer("ghost"); BlackHole hole = new BlackHole()) {
      HostPort at = new HostPort("localhost", alice.address().port());
      InitiatorHandshake h = InitiatorHandshake.start(ghost.keys, new Endpoint("ghost", "localhost", hole.port()),
          null, HandshakeConfig.DEFAULTS.withFeatures(List.of("eof", Handshake.FEATURE, "mesh")),
          RawIdentityPeer.RANDOM, Instant.now());
      HandshakeFields f = h.requestFields();
      ghost.socket.send(at, new ChatRequest().withPeername("ghost").withHost("localhost").withPort(hole.port())
          .withFeatures(new LinkedHashSet<>(f.features())).withIdkey(f.idkey()).withEphkey(f.ephkey())
          .withNonce(f.nonce()));
      JsonNode accept = hole.take(MessageType.CHAT_ACCEPT).get("msgdata");
      Handshake.InitiatorResult result = h.onAccept(new Endpoint(accept.get("peername").asText(),
          accept.get("host").asText(), accept.get("port").asInt()), RawIdentityPeer.fields(accept), Instant.now());
      ghost.socket.send(at, new ChatConfirm().withPeername("ghost").withSig(result.confirmSig()));
      hole.take(MessageType.MESH_HELLO);
      hole.fill();
      eventually(() -> reaches(patchouli, "yuuka", 2, "alice"), MESH_WAIT, "routes over alice");
      patchouli.execute("chat message yuuka Hello");
      shows(ys, "patchouli: Hello (via alice)");
      // Until alice gives ghost up (its first frame to ghost timed out), patchouli's route must hold throughout.
      long deadline = System.nanoTime() + MESH_WAIT.toNanos();
      while (alice.meshNeighbours().contains("ghost")) {
        assertTrue(System.nanoTime() < deadline, "alice never gave ghost up");
        assertTrue(reaches(patchouli, "yuuka", 2, "alice"), "patchouli lost yuuka while alice waited for ghost: "
            + patchouli.network());
        LockSupport.parkNanos(50_000_000L);
      }
      long sent = System.nanoTime();
      patchouli.execute("chat message yuuka Still here");
      shows(ys, "patchouli: Still here (via alice)");
      long millis = (System.nanoTime() - sent) / 1_000_000;
      // Below the 5 s that one more frame to ghost costs: with one queue for all, it took 10 s.
      assertTrue(millis < 4_000, "a relayed message took " + millis + " ms: alice's frames to yuuka waited behind "
          + "those to ghost");
      assertTrue(reaches(patchouli, "yuuka", 2, "alice"), patchouli.network().toString());
      assertFalse(ps.lines().stream().anyMatch(l -> l.startsWith("not delivered")), ps.lines().toString());
    }
  }

  /**
   * A port read by the test until {@link #fill}: then its accept queue is full and never drained, and a connection to
   * it hangs (the kernel drops the SYNs).
   */
  private static final class BlackHole implements AutoCloseable {
    private final ServerSocket server = new ServerSocket();
    private final List<Socket> filling = new ArrayList<>();

    BlackHole() throws Exception {
      server.bind(new InetSocketAddress("127.0.0.1", 0), 1);
      server.setSoTimeout((int) Peers.WAIT.toMillis());
    }

    int port() {
      return server.getLocalPort();
    }

    /** The msgdata of the next message of {@code type} that arrives (others are skipped). */
    JsonNode take(MessageType type) throws Exception {
      while (true) {
        try (Socket s = server.accept()) {
          s.setSoTimeout((int) Peers.WAIT.toMillis());
          JsonNode message = RawIdentityPeer.JSON.readTree(s.getInputStream().readAllBytes());
          if (message.path("msgtype").asText().equals(type.wireName())) {
            return message;
          }
        }
      }
    }

    /** Fills the accept queue until a connection no longer completes. */
    void fill() throws Exception {
      for (int i = 0; i < 16; i++) {
        Socket s = new Socket();
        filling.add(s);
        try {
          s.connect(server.getLocalSocketAddress(), 300);
        } catch (SocketTimeoutException e) {
          return;
        }
      }
      throw new IllegalStateException("the accept queue never filled");
    }

    @Override
    public void close() throws Exception {
      for (Socket s : filling) {
        s.close();
      }
      server.close();
    }
  }
}
