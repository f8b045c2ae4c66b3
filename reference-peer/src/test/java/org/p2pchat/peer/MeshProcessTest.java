package org.p2pchat.peer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.HandshakeConfig;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.InitiatorHandshake;
import org.p2pchat.mesh.MeshConfig;
import org.p2pchat.peer.internal.MeshSeals;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.Printable;
import org.p2pchat.protocol.model.ChatConfirm;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.protocol.model.MeshAck;
import org.p2pchat.protocol.model.MeshData;
import org.p2pchat.protocol.model.MeshHello;
import org.p2pchat.protocol.model.MeshRoute;
import org.p2pchat.protocol.model.MeshRoutes;
import org.p2pchat.sdk.Codec;
import org.p2pchat.testing.FakePeer;
import org.p2pchat.testing.Receiver2018;

/**
 * The mesh as a user runs it: each peer is its own process ({@code p2pchat peer --no-server}, the peer's main class
 * in a child JVM), typed at on standard input and read on standard output. A line of three, a diamond whose relay is
 * killed (SIGKILL) or frozen (SIGSTOP), a triangle asked for an unknown name, a neighbour that floods, a 2018 program
 * chatting with a relay, and a relay (played by the test) that forges and tampers with what it carries.
 */
class MeshProcessTest {
  private static final MeshConfig DEFAULTS = MeshConfig.defaults();
  /** A JVM start on a loaded machine can take seconds. */
  private static final Duration START = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(10);
  /** docs/mesh.md section 7: a relay that crashed silently is noticed within 3 hellos + 1 tick (6.1 s). */
  private static final Duration DEAD_RELAY = Duration.ofMillis(DEFAULTS.deadDetectionBoundMillis(100));
  /** For a slow machine: scheduling, a JVM busy elsewhere. */
  private static final Duration MARGIN = Duration.ofSeconds(3);
  private static final String NO_ROUTE = "no route through the mesh (\"list network\" shows who is reachable)";
  /** The msgdata fields the 2018 program knows in what a peer sends it (CHAT_ACCEPT, CHAT_MESSAGE, DISCONNECT). */
  private static final Set<String> FIELDS_2018 = Set.of("peername", "host", "port", "message");
  private static final Pattern ROUTE = Pattern.compile("peername: (\\S+), (\\d+) hops?, (direct|via (\\S+))");

  @TempDir
  Path tmp;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void stopAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  // ---------------------------------------------------------------- the tests

  @Test
  @Timeout(60)
  void aLineOfThreeProcessesRelaysBothWaysExactlyOnceAndATriangleSaysNotDeliveredForAnUnknownName()
      throws Exception {
    List<PeerProcess> started = start("patchouli", "alice", "yuuka");
    PeerProcess patchouli = started.get(0);
    PeerProcess alice = started.get(1);
    PeerProcess yuuka = started.get(2);
    link(patchouli, alice);
    link(yuuka, alice);
    awaitRoute(patchouli, "yuuka", 2, "alice", WAIT);
    awaitRoute(yuuka, "patchouli", 2, "alice", WAIT);

    patchouli.type("chat message yuuka Hello");
    yuuka.await("patchouli: Hello (via alice)", WAIT);
    yuuka.type("chat message patchouli Hi, Patchouli");
    patchouli.await("yuuka: Hi, Patchouli (via alice)", WAIT);
    // A later message arriving gives the earlier ones their chance to be shown twice.
    patchouli.type("chat message yuuka Second");
    yuuka.await("patchouli: Second (via alice)", WAIT);
    yuuka.type("chat message patchouli Second too");
    patchouli.await("yuuka: Second too (via alice)", WAIT);
    assertEquals(1, yuuka.count("patchouli: Hello (via alice)"), yuuka.lines().toString());
    assertEquals(1, patchouli.count("yuuka: Hi, Patchouli (via alice)"), patchouli.lines().toString());
    assertTrue(alice.lines().stream().noneMatch(l -> l.contains("Hello") || l.contains("Second")),
        "the relay shows nothing: " + alice.lines());
    for (PeerProcess p : started) {
      assertTrue(p.lines().stream().noneMatch(l -> l.startsWith("not delivered")), p + ": " + p.lines());
    }

    // Close the loop (a triangle) and ask for a name nobody has: one line, and nothing goes round the loop.
    try (RawNeighbour watcher = new RawNeighbour("watcher")) {
      watcher.linkTo(alice);
      link(yuuka, patchouli);
      awaitRoute(patchouli, "yuuka", 1, null, WAIT);
      watcher.drain();
      watcher.hello(alice); // keeps the link alive while it watches
      patchouli.type("chat message nobody Anyone?");
      patchouli.await("not delivered to nobody: " + NO_ROUTE, WAIT);
      // Whatever the sender sent for it went out before that line and crosses alice in milliseconds.
      List<FakePeer.Received> seen = watcher.untilQuiet(Duration.ofMillis(1_000), WAIT);
      long forNobody = seen.stream().filter(r -> r.type() == MessageType.MESH_DATA).count();
      assertEquals(0, forNobody, "frames for an unknown name came round the triangle: " + seen);
      assertEquals(1, patchouli.lines().stream().filter(l -> l.startsWith("not delivered to nobody")).count());
      assertTrue(alice.process.isAlive() && yuuka.process.isAlive());
    }
  }

  @Test
  @Timeout(60)
  void aDiamondWhoseRelayIsKilledDeliversThroughTheOtherWithinTheStatedBound() throws Exception {
    diamond("killed", relay -> {
      relay.process.destroyForcibly(); // kill -9: no DISCONNECT, no goodbye; its port now refuses connections
      assertTrue(relay.process.waitFor(10, TimeUnit.SECONDS), "the relay did not die");
    });
  }

  @Test
  @Timeout(60)
  void aDiamondWhoseRelayFreezesIsRoutedAroundWithinTheStatedBound() throws Exception {
    // kill -STOP: the relay's port still takes connections (the kernel queues them) and nothing answers, as with a
    // host that crashed. Only the silence tells.
    diamond("frozen", relay -> {
      Process stop = new ProcessBuilder("kill", "-STOP", Long.toString(relay.process.pid())).start();
      assertTrue(stop.waitFor(10, TimeUnit.SECONDS) && stop.exitValue() == 0, "kill -STOP failed");
    });
  }

  private interface Failure {
    void apply(PeerProcess relay) throws Exception;
  }

  /**
   * patchouli and yuuka linked through alice and marisa; the relay carrying patchouli's route to yuuka fails, and
   * a message sent right after reaches yuuka through the other relay, once.
   */
  private void diamond(String how, Failure failure) throws Exception {
    List<PeerProcess> started = start("patchouli", "alice", "marisa", "yuuka");
    PeerProcess patchouli = started.get(0);
    PeerProcess yuuka = started.get(3);
    for (PeerProcess relay : List.of(started.get(1), started.get(2))) {
      link(patchouli, relay);
      link(yuuka, relay);
    }
    String via = awaitRoute(patchouli, "yuuka", 2, null, WAIT);
    patchouli.type("chat message yuuka Before");
    yuuka.await("patchouli: Before (via ", WAIT);

    PeerProcess dead = via.equals("alice") ? started.get(1) : started.get(2);
    String other = via.equals("alice") ? "marisa" : "alice";
    long failed = System.nanoTime();
    failure.apply(dead);
    patchouli.type("chat message yuuka After the crash");

    // The route moves to the other relay within the bound for noticing a dead relay, and the message reaches yuuka
    // through it before the sender's deadline.
    awaitRoute(patchouli, "yuuka", 2, other, DEAD_RELAY.plus(MARGIN).minusNanos(System.nanoTime() - failed));
    long reroutedMillis = (System.nanoTime() - failed) / 1_000_000;
    yuuka.await("patchouli: After the crash (via " + other + ")",
        Duration.ofMillis(DEFAULTS.deliveryDeadlineMillis()).plus(MARGIN).minusNanos(System.nanoTime() - failed));
    long deliveredMillis = (System.nanoTime() - failed) / 1_000_000;
    assertTrue(network(patchouli).stream().noneMatch(l -> l.startsWith("peername: " + dead.name + ",")),
        "the dead relay is no longer listed");
    patchouli.type("chat message yuuka Later");
    yuuka.await("patchouli: Later (via " + other + ")", WAIT);
    assertEquals(1, yuuka.count("patchouli: After the crash (via " + other + ")"), yuuka.lines().toString());
    assertTrue(patchouli.lines().stream().noneMatch(l -> l.startsWith("not delivered")), patchouli.lines().toString());
    System.out.println("diamond, relay " + how + ": route moved " + reroutedMillis + " ms, message shown "
        + deliveredMillis + " ms after (bounds " + DEAD_RELAY.toMillis() + " and " + DEFAULTS.deliveryDeadlineMillis()
        + " ms)");
  }

  @Test
  @Timeout(60)
  void aFloodingNeighbourIsRateLimitedAndGenuineMessagesStillGetThrough() throws Exception {
    List<PeerProcess> started = start("patchouli", "alice", "yuuka");
    PeerProcess patchouli = started.get(0);
    PeerProcess alice = started.get(1);
    PeerProcess yuuka = started.get(2);
    link(patchouli, alice);
    link(yuuka, alice);
    RawNeighbour mallory = new RawNeighbour("mallory");
    RawNeighbour sink = new RawNeighbour("sink");
    mallory.linkTo(alice);
    sink.linkTo(alice);
    awaitRoute(patchouli, "yuuka", 2, "alice", WAIT);
    patchouli.type("chat message yuuka Before");
    yuuka.await("patchouli: Before (via alice)", WAIT);
    sink.drain();

    // Mallory floods alice with MESH_DATA for sink from three threads: every other frame in its own name, the rest
    // each in the name of one of 1,000 made-up origins (only the per-neighbour limit holds those).
    Flood flood = new Flood(alice.address.port(), "mallory", "sink", () -> {
      mallory.hello(alice); // neither neighbour may fall silent for 6 s meanwhile
      sink.hello(alice);
    });
    List<Thread> flooders = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      flooders.add(new Thread(flood, "flooder-" + i));
    }
    open.add(() -> {
      flood.stop.set(true);
      for (Thread t : flooders) {
        t.join(5_000);
      }
    });
    long floodStart = System.nanoTime();
    flooders.forEach(Thread::start);
    flood.awaitSent(1_000, WAIT);
    List<String> genuine = List.of("Genuine 1", "Genuine 2", "Genuine 3");
    long typed = System.nanoTime();
    for (String text : genuine) {
      patchouli.type("chat message yuuka " + text);
    }
    // Each arrives before the sender's deadline, while the flood goes on.
    Duration deadline = Duration.ofMillis(DEFAULTS.deliveryDeadlineMillis()).plus(MARGIN);
    for (String text : genuine) {
      yuuka.await("patchouli: " + text + " (via alice)", deadline.minusNanos(System.nanoTime() - typed));
    }
    long genuineMillis = (System.nanoTime() - typed) / 1_000_000;
    // The flood goes on until alice has said in its log that it held the flooder back (the per-origin limit, 100
    // frames a second, is below what a peer handles even on a loaded machine).
    String limited = "mesh: dropped a frame from mallory (RATE_LIMITED)";
    awaitLogLine(alice, limited, Duration.ofSeconds(20).minusNanos(System.nanoTime() - floodStart));
    assertTrue(flood.running(), "the flooder stopped: " + flood.failure);
    flood.stop.set(true);
    for (Thread t : flooders) {
      t.join(10_000);
    }

    // What alice relayed for the flooder has reached the sink once the sink has been quiet for a second.
    List<FakePeer.Received> relayed = sink.untilQuiet(Duration.ofMillis(1_000), WAIT).stream()
        .filter(r -> r.type() == MessageType.MESH_DATA).toList();
    long seconds = (sink.lastArrival - floodStart + 999_999_999L) / 1_000_000_000L;
    long own = relayed.stream().filter(r -> "mallory".equals(r.tree().get("msgdata").path("origin").asText())).count();
    // docs/mesh.md section 9: per origin 100 frames a second (burst 200), per neighbour 400 (burst 800).
    long ownCap = 2L * DEFAULTS.relayPerOriginPerSecond() + DEFAULTS.relayPerOriginPerSecond() * seconds;
    long allCap = 2L * DEFAULTS.relayPerNeighbourPerSecond() + DEFAULTS.relayPerNeighbourPerSecond() * seconds;
    System.out.println("flood: " + flood.sent.get() + " frames sent, " + relayed.size() + " relayed (" + own
        + " in mallory's name) in " + seconds + " s; caps " + allCap + " and " + ownCap + "; genuine ones shown after "
        + genuineMillis + " ms");
    assertTrue(own <= ownCap, own + " frames relayed in mallory's name in " + seconds + " s; cap " + ownCap);
    assertTrue(relayed.size() <= allCap, relayed.size() + " frames relayed for mallory in " + seconds + " s; cap "
        + allCap);
    assertTrue(own > 0, "the flooder's own messages still get their share");

    // Alice is alive and serving; each genuine message was shown once.
    assertTrue(alice.process.isAlive(), "alice died");
    patchouli.type("chat message yuuka After");
    yuuka.await("patchouli: After (via alice)", WAIT);
    for (String text : genuine) {
      assertEquals(1, yuuka.count("patchouli: " + text + " (via alice)"), yuuka.lines().toString());
    }
    assertTrue(patchouli.lines().stream().noneMatch(l -> l.startsWith("not delivered")), patchouli.lines().toString());
    assertTrue(network(alice).stream().anyMatch(l -> l.startsWith("peername: yuuka, 1 hop")));

    // Not a log line per frame: at most 20 a second.
    Map<String, Integer> perSecond = new TreeMap<>();
    for (String line : Files.readAllLines(alice.log, UTF_8)) {
      if (line.contains("mesh: dropped a frame")) {
        perSecond.merge(line.substring(0, Math.min(8, line.length())), 1, Integer::sum); // HH:mm:ss
      }
    }
    assertTrue(perSecond.values().stream().allMatch(n -> n <= 20), "log lines per second: " + perSecond);
  }

  @Test
  @Timeout(60)
  void a2018PeerChattingWithARelayStaysAliveAndIsNeverSentAMeshType() throws Exception {
    List<PeerProcess> started = start("patchouli", "alice", "yuuka");
    PeerProcess patchouli = started.get(0);
    PeerProcess alice = started.get(1);
    PeerProcess yuuka = started.get(2);
    // carol is a 2018 program: one recv(1024) per connection, and its receiver dies on what it cannot decode.
    Receiver2018 carol = new Receiver2018("carol");
    open.add(carol);
    HostPort aliceAt = new HostPort("127.0.0.1", alice.address.port());

    // carol asks alice to chat as 2018 does (no features): a plain chat link, never a mesh link.
    int from = alice.size();
    Receiver2018.send(aliceAt, "CHAT_REQUEST", "{\"peername\": \"carol\", \"host\": \"127.0.0.1\", \"port\": "
        + carol.address().port() + "}");
    alice.await(alice.await(from, l -> l.startsWith("chat_request: carol --- "), "the request of carol", WAIT),
        l -> l.startsWith("Please enter"), "the question", WAIT);
    alice.type("yes carol");
    carol.expect("CHAT_ACCEPT", WAIT);
    link(patchouli, alice);
    link(yuuka, alice);
    long meshUp = System.nanoTime();
    awaitRoute(patchouli, "yuuka", 2, "alice", WAIT);
    awaitRoute(yuuka, "patchouli", 2, "alice", WAIT);

    // Relayed both ways through alice, and the direct 2018 chat both ways, interleaved.
    patchouli.type("chat message yuuka Hello");
    yuuka.await("patchouli: Hello (via alice)", WAIT);
    Receiver2018.send(aliceAt, "CHAT_MESSAGE", "{\"peername\": \"carol\", \"message\": \"hi alice\"}");
    alice.await("carol: hi alice", WAIT);
    yuuka.type("chat message patchouli Hi, Patchouli");
    patchouli.await("yuuka: Hi, Patchouli (via alice)", WAIT);
    alice.type("chat message carol hi carol");
    assertEquals("hi carol", carol.expect("CHAT_MESSAGE", WAIT).get("msgdata").get("message").asText());
    // A later message arriving gives the earlier ones their chance to be shown twice.
    patchouli.type("chat message yuuka Second");
    yuuka.await("patchouli: Second (via alice)", WAIT);
    yuuka.type("chat message patchouli Second too");
    patchouli.await("yuuka: Second too (via alice)", WAIT);

    // alice says hello to each mesh link every 2 s and sends route changes at once: carol has had two hello
    // intervals since the mesh came up to be sent one by mistake.
    long twoHellos = 2L * DEFAULTS.helloIntervalMillis() + 500 - (System.nanoTime() - meshUp) / 1_000_000;
    carol.expectNothing(Duration.ofMillis(Math.max(1, twoHellos)));

    // carol is still alive and answering: one more message each way.
    alice.type("chat message carol still there?");
    assertEquals("still there?", carol.expect("CHAT_MESSAGE", WAIT).get("msgdata").get("message").asText());
    Receiver2018.send(aliceAt, "CHAT_MESSAGE", "{\"peername\": \"carol\", \"message\": \"yes, still here\"}");
    alice.await("carol: yes, still here", WAIT);
    assertNull(carol.died, () -> "2018 carol's receiver died: " + carol.died);
    assertEquals(List.of("CHAT_ACCEPT", "CHAT_MESSAGE", "CHAT_MESSAGE"), carol.types,
        "what carol received: " + carol.raw);
    for (String text : carol.raw) {
      assertTrue(text.getBytes(UTF_8).length < 1024, "a single recv(1024) would cut: " + text);
      JsonNode msgdata = RawIdentityPeer.JSON.readTree(text).get("msgdata");
      msgdata.fieldNames().forEachRemaining(field -> assertTrue(FIELDS_2018.contains(field)
          || field.equals("features"), "a field the 2018 program does not know (only features may go to anyone): "
          + field + " in " + text));
    }

    assertEquals(1, yuuka.count("patchouli: Hello (via alice)"), yuuka.lines().toString());
    assertEquals(1, yuuka.count("patchouli: Second (via alice)"), yuuka.lines().toString());
    assertEquals(1, patchouli.count("yuuka: Hi, Patchouli (via alice)"), patchouli.lines().toString());
    assertEquals(1, patchouli.count("yuuka: Second too (via alice)"), patchouli.lines().toString());
    assertEquals(1, alice.lines().stream().filter(l -> l.startsWith("carol: hi alice")).count(),
        alice.lines().toString());
    for (PeerProcess p : started) {
      assertTrue(p.lines().stream().noneMatch(l -> l.startsWith("not delivered")), p + ": " + p.lines());
    }
    // carol is alice's chat partner, not a mesh destination.
    assertTrue(network(alice).stream().noneMatch(l -> l.startsWith("peername: carol,")));
    assertTrue(network(patchouli).stream().noneMatch(l -> l.startsWith("peername: carol,")));
    assertTrue(alice.process.isAlive());
  }

  @Test
  @Timeout(60)
  void aForgedAndATamperedRelayedMessageAreDroppedAtTheDestinationProcessAndTheNextGenuineOneIsShown()
      throws Exception {
    List<PeerProcess> started = start("patchouli", "yuuka");
    PeerProcess patchouli = started.get(0);
    PeerProcess yuuka = started.get(1);
    HostPort yuukaAt = new HostPort("localhost", yuuka.address.port());
    // The test is the relay between them, mallory: a mesh link to each (the real handshake, its own identity), it
    // passes on their own routes with their key cards and carries their frames, or does worse.
    RawNeighbour mallory = new RawNeighbour("mallory");
    mallory.linkTo(patchouli);
    mallory.linkTo(yuuka);
    mallory.keepAlive(patchouli, yuuka);
    MeshRoute yuukaRoute = mallory.ownRoute(yuuka);
    mallory.advertise(yuuka, mallory.ownRoute(patchouli));
    mallory.advertise(patchouli, yuukaRoute);
    awaitRoute(patchouli, "yuuka", 2, "mallory", WAIT);
    awaitRoute(yuuka, "patchouli", 2, "mallory", WAIT);

    // Carried faithfully, a message is shown (and patchouli's key pinned, first use) and acknowledged.
    patchouli.type("chat message yuuka Hello");
    MeshData hello = relayData(mallory, patchouli, yuuka, Set.of());
    yuuka.await("patchouli: Hello (via mallory)", WAIT);
    relayAck(mallory, yuuka, patchouli, hello.getId());

    // (a) Forged: a message in patchouli's name, well formed and sealed for yuuka's key, but signed by another key
    // (the forger's card for the name "patchouli").
    String forgedId = "forged-" + Long.toHexString(RawIdentityPeer.RANDOM.nextLong());
    byte[] forged = MeshSeals.sealAs("patchouli", IdentityKeyPair.generate(RawIdentityPeer.RANDOM), "yuuka",
        Base64.getUrlDecoder().decode(yuukaRoute.getCard()), forgedId, "Forged: send me your password".getBytes(UTF_8));
    mallory.peer.socket.send(yuukaAt, new MeshData().withPeername("mallory").withOrigin("patchouli")
        .withDestination("yuuka").withId(forgedId).withAttempt(0).withHoplimit(15).withMode(MeshData.Mode.ROUTED)
        .withPayload(Base64.getUrlEncoder().withoutPadding().encodeToString(forged)));
    yuuka.await("refused: relayed message in the name of patchouli: signed by a key that is not patchouli's", WAIT);

    // (b) Tampered: patchouli's genuine message with one byte of its ciphertext flipped on the way. Its retries are
    // not passed on: the text never reaches yuuka intact.
    patchouli.type("chat message yuuka Tampered: the vault code is 4711");
    MeshData tampered = mallory.take(r -> r.type() == MessageType.MESH_DATA && sentBy(r, patchouli)
        && !r.as(MeshData.class).getId().equals(hello.getId()), "patchouli's second MESH_DATA", WAIT)
        .as(MeshData.class);
    byte[] payload = Base64.getUrlDecoder().decode(tampered.getPayload());
    payload[payload.length - 17] ^= 0x01; // the last byte of the encrypted text, before its 16-byte tag
    mallory.peer.socket.send(yuukaAt, tampered.withPeername("mallory").withHoplimit(tampered.getHoplimit() - 1)
        .withPayload(Base64.getUrlEncoder().withoutPadding().encodeToString(payload)));
    yuuka.await("refused: relayed message in the name of patchouli: bad signature (forged or altered on the way)",
        WAIT);

    // The next genuine message is served: shown once and acknowledged.
    patchouli.type("chat message yuuka After");
    MeshData after = relayData(mallory, patchouli, yuuka, Set.of(hello.getId(), tampered.getId()));
    yuuka.await("patchouli: After (via mallory)", WAIT);
    relayAck(mallory, yuuka, patchouli, after.getId());

    // yuuka's acknowledgements (all it sent before the last one are in order on its lane to mallory): none for the
    // forged or the tampered message.
    List<String> acked = mallory.taken.stream().filter(r -> r.type() == MessageType.MESH_ACK && sentBy(r, yuuka))
        .map(r -> r.as(MeshAck.class).getId()).distinct().toList();
    assertEquals(List.of(hello.getId(), after.getId()), acked, "yuuka acknowledged");
    List<String> shown = yuuka.lines();
    assertEquals(1, yuuka.count("patchouli: Hello (via mallory)"), shown.toString());
    assertEquals(1, yuuka.count("patchouli: After (via mallory)"), shown.toString());
    assertEquals(2, shown.stream().filter(l -> l.startsWith("patchouli: ")).count(), shown.toString());
    assertTrue(shown.stream().noneMatch(l -> l.contains("password") || l.contains("4711")),
        "a forged or tampered text was shown: " + shown);
    assertEquals(2, shown.stream().filter(l -> l.startsWith("refused: ")).count(), "one line each: " + shown);
    // Its log says why, sanitised: the refusals and the core's drops.
    awaitLogLine(yuuka, "mesh: dropped a frame from mallory (FORGED)", WAIT);
    List<String> log = Files.readAllLines(yuuka.log, UTF_8);
    assertEquals(2, log.stream().filter(l -> l.contains("mesh: dropped a frame from mallory (FORGED)")).count(),
        log.toString());
    assertTrue(log.stream().anyMatch(l -> l.contains("signed by a key that is not patchouli's"))
        && log.stream().anyMatch(l -> l.contains("bad signature (forged or altered on the way)")), log.toString());
    assertTrue(log.stream().noneMatch(l -> l.contains("password") || l.contains("4711")), log.toString());
    for (String line : log) {
      assertTrue(line.codePoints().noneMatch(Printable::isUnsafe), "a raw control character: " + Printable.of(line));
    }
    assertTrue(yuuka.process.isAlive() && patchouli.process.isAlive());
  }

  /**
   * mallory takes the next MESH_DATA that {@code from} sends for {@code to} (skipping the ids in {@code skip}: the
   * retries of a message it does not pass on) and passes it on unchanged but for its own name and the hop limit.
   */
  private static MeshData relayData(RawNeighbour mallory, PeerProcess from, PeerProcess to, Set<String> skip)
      throws Exception {
    MeshData data = mallory.take(r -> r.type() == MessageType.MESH_DATA && sentBy(r, from)
        && r.as(MeshData.class).getDestination().equals(to.name) && !skip.contains(r.as(MeshData.class).getId()),
        "a MESH_DATA from " + from + " for " + to, WAIT).as(MeshData.class);
    mallory.peer.socket.send(new HostPort("localhost", to.address.port()),
        data.withPeername(mallory.peer.name).withHoplimit(data.getHoplimit() - 1));
    return data;
  }

  /** mallory takes {@code from}'s MESH_ACK for message {@code id} and passes it on to {@code to}. */
  private static void relayAck(RawNeighbour mallory, PeerProcess from, PeerProcess to, String id) throws Exception {
    MeshAck ack = mallory.take(r -> r.type() == MessageType.MESH_ACK && sentBy(r, from)
        && r.as(MeshAck.class).getId().equals(id), "the MESH_ACK of " + from + " for " + id, WAIT).as(MeshAck.class);
    mallory.peer.socket.send(new HostPort("localhost", to.address.port()),
        ack.withPeername(mallory.peer.name).withHoplimit(ack.getHoplimit() - 1));
  }

  /** Waits for a line of {@code p}'s log file that contains {@code part}. */
  private static void awaitLogLine(PeerProcess p, String part, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (Files.readAllLines(p.log, UTF_8).stream().noneMatch(l -> l.contains(part))) {
      assertTrue(System.nanoTime() < deadline, p + " logged no \"" + part + "\" within " + within.toMillis()
          + " ms: " + Files.readAllLines(p.log, UTF_8));
      p.awaitNewLine(Duration.ofMillis(100)); // the log is a file: read it again shortly
    }
  }

  // ---------------------------------------------------------------- peers as processes

  /** Starts the named peers as processes at once (JVM starts overlap) and waits for each to listen. */
  private List<PeerProcess> start(String... names) throws Exception {
    List<PeerProcess> started = new ArrayList<>();
    for (String name : names) {
      PeerProcess p = new PeerProcess(name, tmp.resolve(name));
      open.add(p);
      started.add(p);
    }
    for (PeerProcess p : started) {
      p.address = HostPort.parse(p.await("listening on ", START).substring("listening on ".length()));
    }
    return started;
  }

  /** {@code a} types {@code chat request}, {@code b} answers yes, and both see the verified chat. */
  private static void link(PeerProcess a, PeerProcess b) throws Exception {
    int aFrom = a.size();
    int bFrom = b.size();
    a.type("chat request localhost " + b.address.port());
    b.await(b.await(bFrom, l -> l.startsWith("chat_request: " + a.name + " --- "), "the request of " + a.name, WAIT),
        l -> l.startsWith("Please enter"), "the question", WAIT);
    b.type("yes " + a.name);
    a.await(aFrom, l -> l.startsWith("chat with " + b.name + " --- ") && l.contains(" is verified"),
        "a verified chat with " + b.name, WAIT);
    b.await(bFrom, l -> l.startsWith("chat with " + a.name + " --- ") && l.contains(" is verified"),
        "a verified chat with " + a.name, WAIT);
  }

  /** {@code list network} on {@code p}: its route lines. */
  private static List<String> network(PeerProcess p) throws InterruptedException {
    int from = p.size();
    p.type("list network");
    int at = p.await(from, l -> l.startsWith("network (") || l.startsWith("no peers reachable"), "list network",
        WAIT);
    String header = p.line(at);
    if (header.startsWith("no peers")) {
      return List.of();
    }
    int n = Integer.parseInt(header.substring("network (".length(), header.indexOf(' ', "network (".length())));
    List<String> routes = new ArrayList<>();
    int next = at + 1;
    while (routes.size() < n) {
      next = p.await(next, l -> l.startsWith("peername: "), "route lines", WAIT);
      routes.add(p.line(next++));
    }
    return routes;
  }

  /**
   * Asks {@code list network} until it shows {@code to} at {@code hops} (via {@code via}, or any next hop if null);
   * returns the next hop.
   */
  private static String awaitRoute(PeerProcess p, String to, int hops, String via, Duration within)
      throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    List<String> last = List.of();
    do {
      last = network(p);
      for (String line : last) {
        Matcher m = ROUTE.matcher(line);
        if (m.matches() && m.group(1).equals(to) && Integer.parseInt(m.group(2)) == hops) {
          String next = m.group(4) == null ? to : m.group(4);
          if (via == null || via.equals(next)) {
            return next;
          }
        }
      }
      p.awaitNewLine(Duration.ofMillis(100)); // not a storm of commands while the routes settle
    } while (System.nanoTime() < deadline);
    throw new AssertionError(p + ": no route to " + to + " at " + hops + " hops" + (via == null ? "" : " via " + via)
        + " within " + within.toMillis() + " ms; last list: " + last);
  }

  /** A peer run as {@code p2pchat peer --plain --no-server} in a child JVM. */
  private static final class PeerProcess implements AutoCloseable {
    final String name;
    final Process process;
    final Path log;
    final OutputStream stdin;
    final List<String> lines = new ArrayList<>();
    HostPort address;

    PeerProcess(String name, Path dir) throws IOException {
      this.name = name;
      Files.createDirectories(dir);
      this.log = dir.resolve("peer.log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      // Quick starts (a dozen JVMs on a small machine): the client compiler only, a small serial heap.
      this.process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m", "-Duser.home=" + dir, // never ~/.p2pchat
          "org.p2pchat.peer.PeerMain", "peer", "--plain", "--no-server", "--name", name, "--port", "0",
          "--identity", dir.resolve("identity").toString(), "--log", log.toString(),
          "--downloads", dir.resolve("downloads").toString())
          .redirectError(dir.resolve("stderr").toFile())
          .start();
      this.stdin = process.getOutputStream();
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
          for (String line; (line = r.readLine()) != null; ) {
            add(line);
          }
        } catch (IOException e) {
          add("(stdout failed: " + e + ")");
        }
      }, name + "-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    private synchronized void add(String line) {
      lines.add(line);
      notifyAll();
    }

    synchronized int size() {
      return lines.size();
    }

    synchronized String line(int i) {
      return lines.get(i);
    }

    synchronized List<String> lines() {
      return List.copyOf(lines);
    }

    long count(String line) {
      return lines().stream().filter(line::equals).count();
    }

    void type(String command) {
      try {
        stdin.write((command + "\n").getBytes(UTF_8));
        stdin.flush();
      } catch (IOException e) {
        fail(name + " no longer reads its input: " + e);
      }
    }

    /** Returns when a line is shown or {@code timeout} has passed. */
    synchronized void awaitNewLine(Duration timeout) throws InterruptedException {
      int n = lines.size();
      long deadline = System.nanoTime() + timeout.toNanos();
      for (long left = timeout.toNanos(); lines.size() == n && left > 0; left = deadline - System.nanoTime()) {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    /** The first line (any so far) that starts with {@code prefix}. */
    String await(String prefix, Duration timeout) throws InterruptedException {
      return line(await(0, l -> l.startsWith(prefix), "starting with \"" + prefix + "\"", timeout));
    }

    String await(Predicate<String> match, String what, Duration timeout) throws InterruptedException {
      return line(await(0, match, what, timeout));
    }

    /** The index of the first line at or after {@code from} that matches; fails after {@code timeout}. */
    synchronized int await(int from, Predicate<String> match, String what, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      for (int i = from; ; i++) {
        while (i >= lines.size()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            fail(name + " showed no line " + what + " within " + timeout.toMillis() + " ms; it showed "
                + lines.subList(Math.min(from, lines.size()), lines.size()));
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (match.test(lines.get(i))) {
          return i;
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  // ---------------------------------------------------------------- neighbours played by the test

  /** A mesh neighbour played from a raw socket: identity-v1 handshake with the mesh feature, then MESH_* by hand. */
  private final class RawNeighbour implements AutoCloseable {
    final RawIdentityPeer peer;
    /** Everything {@link #take} has taken, in order of arrival. */
    final List<FakePeer.Received> taken = new ArrayList<>();
    long lastArrival;
    private ScheduledExecutorService beat;

    RawNeighbour(String name) throws IOException {
      this.peer = new RawIdentityPeer(name);
      open.add(this);
    }

    void linkTo(PeerProcess target) throws Exception {
      HostPort at = new HostPort("localhost", target.address.port());
      int from = target.size();
      InitiatorHandshake h = peer.request(at, new ArrayList<ChatRequest>(),
          HandshakeConfig.DEFAULTS.withFeatures(List.of("eof", Handshake.FEATURE, "mesh")));
      target.await(target.await(from, l -> l.startsWith("chat_request: " + peer.name + " --- "),
          "the request of " + peer.name, WAIT), l -> l.startsWith("Please enter"), "the question", WAIT);
      target.type("yes " + peer.name);
      Handshake.InitiatorResult result = RawIdentityPeer.onAccept(h,
          take(r -> r.type() == MessageType.CHAT_ACCEPT && sentBy(r, target), "the CHAT_ACCEPT of " + target, WAIT));
      peer.socket.send(at, new ChatConfirm().withPeername(peer.name).withSig(result.confirmSig()));
      take(r -> r.type() == MessageType.MESH_HELLO && sentBy(r, target), "the first MESH_HELLO of " + target, WAIT);
      hello(target);
    }

    /**
     * The next message that matches, within {@code timeout}; those before it are kept in {@link #taken} too (a
     * relay played by the test looks back at them: key cards, acknowledgements).
     */
    FakePeer.Received take(Predicate<FakePeer.Received> match, String what, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        FakePeer.Received r = left > 0 ? peer.socket.take(Duration.ofNanos(left)) : null;
        if (r == null) {
          throw new AssertionError(peer.name + " received no " + what + " within " + timeout.toMillis()
              + " ms; it received " + taken.stream().map(FakePeer.Received::text).toList());
        }
        taken.add(r);
        if (match.test(r)) {
          return r;
        }
      }
    }

    /**
     * {@code target}'s own route as it advertised it to us (metric 0, with its key card, in the full table it sends
     * on link up): its seqno and card.
     */
    MeshRoute ownRoute(PeerProcess target) throws InterruptedException {
      Predicate<FakePeer.Received> own = r -> r.type() == MessageType.MESH_ROUTES && sentBy(r, target)
          && selfRoute(r, target.name) != null;
      FakePeer.Received routes = taken.stream().filter(own).findFirst()
          .orElse(null);
      if (routes == null) {
        routes = take(own, "MESH_ROUTES with the own route and key card of " + target, WAIT);
      }
      return selfRoute(routes, target.name);
    }

    private MeshRoute selfRoute(FakePeer.Received routes, String name) {
      for (MeshRoute r : routes.as(MeshRoutes.class).getRoutes()) {
        if (r.getDestination().equals(name) && r.getMetric() == 0 && r.getCard() != null) {
          return r;
        }
      }
      return null;
    }

    /** Advertises {@code route} (another peer's own route) to {@code target} as one hop from us, card included. */
    void advertise(PeerProcess target, MeshRoute route) throws Exception {
      peer.socket.send(new HostPort("localhost", target.address.port()), new MeshRoutes().withPeername(peer.name)
          .withFull(false).withRoutes(List.of(new MeshRoute().withDestination(route.getDestination())
              .withSeqno(route.getSeqno()).withMetric(1).withCard(route.getCard()))));
    }

    /** Says hello to each target every second until closed (a neighbour silent for 6 s is dead). */
    void keepAlive(PeerProcess... targets) {
      beat = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, peer.name + "-hello");
        t.setDaemon(true);
        return t;
      });
      beat.scheduleAtFixedRate(() -> {
        for (PeerProcess t : targets) {
          try {
            hello(t);
          } catch (Exception e) {
            // the target is gone: the test finds out by itself
          }
        }
      }, 1, 1, TimeUnit.SECONDS);
    }

    /** Our own route, and proof of life (a neighbour silent for 6 s is dead). */
    void hello(PeerProcess target) throws Exception {
      peer.socket.send(new HostPort("localhost", target.address.port()),
          new MeshHello().withPeername(peer.name).withSeqno(1L).withInterval(2_000));
    }

    List<FakePeer.Received> drain() {
      return peer.socket.drain();
    }

    /** What arrives until a message matches (included); fails after {@code timeout}. */
    List<FakePeer.Received> until(Predicate<FakePeer.Received> match, Duration timeout) throws InterruptedException {
      List<FakePeer.Received> all = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        FakePeer.Received r = peer.socket.take(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        if (r == null) {
          throw new AssertionError(peer.name + ": nothing matching within " + timeout.toMillis() + " ms; got " + all);
        }
        all.add(r);
        if (match.test(r)) {
          return all;
        }
      }
    }

    /** What arrives until nothing has for {@code quiet}; fails if that takes longer than {@code timeout}. */
    List<FakePeer.Received> untilQuiet(Duration quiet, Duration timeout) throws InterruptedException {
      List<FakePeer.Received> all = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      lastArrival = System.nanoTime();
      for (FakePeer.Received r; (r = peer.socket.take(quiet)) != null; ) {
        all.add(r);
        lastArrival = System.nanoTime();
        assertTrue(System.nanoTime() < deadline, peer.name + " never went quiet");
      }
      return all;
    }

    @Override
    public void close() {
      if (beat != null) {
        beat.shutdownNow();
        try {
          beat.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      peer.close();
    }
  }

  /** Whether {@code r} was sent by {@code p} (its {@code peername}). */
  private static boolean sentBy(FakePeer.Received r, PeerProcess p) {
    return r.tree() != null && p.name.equals(r.tree().path("msgdata").path("peername").asText());
  }

  /** Something the flooder does every second; may throw. */
  private interface Beat {
    void run() throws Exception;
  }

  /**
   * Sends MESH_DATA frames as fast as its threads can, each on its own connection from 127.0.0.2: on a real network
   * the flooder has its own address, so the listener's per-address shares (tested in the SDK) leave the mesh's own
   * limits to be tested here.
   */
  private static final class Flood implements Runnable {
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong sent = new AtomicLong();
    final AtomicLong next = new AtomicLong();
    final AtomicLong lastBeat = new AtomicLong(System.nanoTime());
    final int port;
    final String from;
    final String to;
    final Beat beat;
    volatile Throwable failure;

    Flood(int port, String from, String to, Beat beat) {
      this.port = port;
      this.from = from;
      this.to = to;
      this.beat = beat;
    }

    String frame(long i) {
      String origin = i % 2 == 0 ? from : "ghost" + (i / 2 % 1000);
      return "{\"msgtype\":\"MESH_DATA\",\"msgdata\":{\"peername\":\"" + from + "\",\"origin\":\"" + origin
          + "\",\"destination\":\"" + to + "\",\"id\":\"flood-" + i + "\",\"attempt\":0,\"hoplimit\":16,"
          + "\"mode\":\"routed\",\"payload\":\"c3BhbQ\"}}";
    }

    @Override
    public void run() {
      try {
        assertTrue(Codec.standard().decode(frame(0).getBytes(UTF_8)).message() instanceof MeshData);
        for (long i = next.getAndIncrement(); !stop.get(); i = next.getAndIncrement()) {
          try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress("127.0.0.2", 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            s.getOutputStream().write(frame(i).getBytes(UTF_8));
          }
          synchronized (this) {
            sent.incrementAndGet();
            notifyAll();
          }
          long now = System.nanoTime();
          long last = lastBeat.get();
          if (now - last > 1_000_000_000L && lastBeat.compareAndSet(last, now)) {
            beat.run();
          }
        }
      } catch (Exception | AssertionError e) {
        failure = e;
        stop.set(true);
        synchronized (this) {
          notifyAll();
        }
      }
    }

    boolean running() {
      return !stop.get() && failure == null;
    }

    synchronized void awaitSent(long n, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (sent.get() < n && failure == null) {
        long left = deadline - System.nanoTime();
        assertTrue(left > 0, "the flooder sent only " + sent.get() + " frames in " + timeout.toMillis() + " ms");
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      assertTrue(failure == null, "the flooder failed: " + failure);
    }
  }
}
