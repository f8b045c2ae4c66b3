package org.p2pchat.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.p2pchat.mesh.MeshAction.DropReason;
import org.p2pchat.mesh.MeshAction.Reason;
import org.p2pchat.mesh.MeshFrame.Data;
import org.p2pchat.mesh.MeshFrame.Hello;
import org.p2pchat.mesh.MeshFrame.Mode;
import org.p2pchat.mesh.MeshFrame.Route;
import org.p2pchat.mesh.MeshFrame.Routes;

class MeshNodeTest {
  private static final MeshConfig CONFIG = MeshConfig.defaults();

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static TestNet chain(String... names) {
    TestNet net = new TestNet(CONFIG, names);
    for (int i = 0; i + 1 < names.length; i++) {
      net.link(names[i], names[i + 1]);
    }
    net.advance(1_000);
    return net;
  }

  @Test
  void linkUpSaysHelloAndSendsTheWholeTable() {
    MeshNode alice = new MeshNode("alice", CONFIG, EndToEnd.PLAIN);
    List<MeshAction> actions = alice.linkUp(0, "patchouli");
    assertEquals(2, actions.size());
    MeshAction.Send hello = assertInstanceOf(MeshAction.Send.class, actions.get(0));
    assertEquals("patchouli", hello.neighbour());
    assertEquals(new Hello(1, 2_000), hello.frame());
    MeshAction.Send table = assertInstanceOf(MeshAction.Send.class, actions.get(1));
    assertEquals(new Routes(true, List.of(new Route("alice", 1, 0))), table.frame());
  }

  @Test
  void keyCardsTravelWithRoutesAndFollowTheSelectedRoute() {
    TestNet net = chain("patchouli", "alice", "yuuka");
    assertEquals("card:yuuka", new String(net.node("patchouli").card("yuuka").orElseThrow(), StandardCharsets.UTF_8));
    assertEquals("card:patchouli", new String(net.node("yuuka").card("patchouli").orElseThrow(),
        StandardCharsets.UTF_8));
    net.unlink("alice", "yuuka");
    net.advance(1_000);
    assertTrue(net.node("patchouli").card("yuuka").isEmpty(), "no route, no card");
    MeshNode lone = new MeshNode("lone", CONFIG, EndToEnd.PLAIN);
    lone.linkUp(0, "x");
    List<MeshAction> oversized = lone.receive(1, "x",
        new Routes(false, List.of(new Route("y", 1, 1, new byte[Route.MAX_CARD + 1]))));
    assertEquals(new MeshAction.Dropped("x", DropReason.MALFORMED), oversized.get(0));
    assertTrue(lone.route("y").isEmpty());
  }

  @Test
  void helloFromANeighbourIsARouteAtOneHop() {
    MeshNode alice = new MeshNode("alice", CONFIG, EndToEnd.PLAIN);
    alice.linkUp(0, "yuuka");
    assertTrue(alice.route("yuuka").isEmpty());
    alice.receive(10, "yuuka", new Hello(7, 2_000));
    assertEquals(new RouteView("yuuka", "yuuka", 1, 7), alice.route("yuuka").orElseThrow());
  }

  @Test
  void seedChainDeliversBothWaysExactlyOnce() {
    TestNet net = chain("patchouli", "alice", "yuuka");
    assertEquals(new RouteView("yuuka", "alice", 2, 1), net.node("patchouli").route("yuuka").orElseThrow());
    net.send("patchouli", "yuuka", "Hello");
    net.send("yuuka", "patchouli", "Hi, patchouli");
    net.advance(15_000);
    assertEquals(List.of("Hello"), net.texts("yuuka"));
    assertEquals(List.of("Hi, patchouli"), net.texts("patchouli"));
    assertEquals("alice", net.deliveredAt.get("yuuka").get(0).lastHop());
    assertEquals(2, net.acked.size());
    assertTrue(net.failed.isEmpty());
    assertEquals(0, net.node("patchouli").count(MeshCounter.FLOOD_RETRIES));
    // routed: one data frame per hop, one ack frame per hop, in each direction
    assertEquals(4, net.count(Data.class));
    assertEquals(4, net.count(MeshFrame.Ack.class));
  }

  @Test
  void diamondRelayDyingSilentlyIsRoutedAroundWithinTheStatedBound() {
    TestNet net = new TestNet(CONFIG, "a", "b", "c", "d");
    net.link("a", "b");
    net.link("b", "d");
    net.link("a", "c");
    net.link("c", "d");
    net.advance(2_000);
    String relay = net.node("a").route("d").orElseThrow().nextHop();
    String other = relay.equals("b") ? "c" : "b";
    net.crash(relay);
    long crashedAt = net.now;
    while (net.node("a").route("d").orElseThrow().nextHop().equals(relay)) {
      net.advance(100);
      assertTrue(net.now - crashedAt <= CONFIG.deadDetectionBoundMillis(100), "not rerouted within the bound");
    }
    assertEquals(new RouteView("d", other, 2, 1), net.node("a").route("d").orElseThrow());
    net.send("a", "d", "after the crash");
    assertEquals(List.of("after the crash"), net.texts("d"));
    assertEquals(1, net.acked.size());
  }

  @Test
  void triangleWithAnUnknownDestinationMakesNoStormAndReportsNotDelivered() {
    TestNet net = new TestNet(CONFIG, "a", "b", "c");
    net.link("a", "b");
    net.link("b", "c");
    net.link("c", "a");
    net.advance(2_000);
    net.send("a", "nobody", "anyone there?");
    assertEquals(0, net.count(Data.class), "no route: first a short wait for one");
    net.advance(CONFIG.ackTimeoutMillis() / 3 + 100L);
    // then a bounded flood: every node forwards a given frame at most once, so at most 2 sends per link
    assertTrue(net.count(Data.class) <= 2 * 3, "data frames: " + net.count(Data.class));
    long afterFlood = net.count(Data.class);
    net.advance(CONFIG.deliveryDeadlineMillis() + 500L);
    assertEquals(afterFlood, net.count(Data.class), "no re-flood after the first one");
    assertEquals(1, net.failed.size());
    assertEquals(Reason.NO_ROUTE, net.failed.get(0).reason());
    assertTrue(net.delivered.isEmpty());
  }

  @Test
  void aDestinationThatDiesSilentlyIsReportedNotDeliveredAfterBoundedRetries() {
    TestNet net = chain("p", "a", "y");
    net.crash("y");
    long sentAt = net.now;
    net.send("p", "y", "are you there");
    while (net.failed.isEmpty()) {
      net.advance(100);
      assertTrue(net.now - sentAt <= CONFIG.deliveryDeadlineMillis() + 100L, "reported by the deadline");
    }
    assertEquals(Reason.NO_ACK, net.failed.get(0).reason());
    // at most three routed attempts and one flood, then nothing more
    assertTrue(net.count(Data.class, "p") <= 4, "attempts: " + net.count(Data.class, "p"));
    assertTrue(net.node("p").count(MeshCounter.FLOOD_RETRIES) <= 1);
    long frames = net.count(Data.class);
    net.advance(CONFIG.deliveryDeadlineMillis());
    assertEquals(frames, net.count(Data.class));
  }

  @Test
  void aDuplicateIsDroppedAndAcknowledgedAgain() {
    MeshNode y = new MeshNode("yuuka", CONFIG, EndToEnd.PLAIN);
    y.linkUp(0, "alice");
    Data data = new Data("patchouli", "yuuka", "m1", 0, 15, Mode.ROUTED, bytes("Hello"));
    List<MeshAction> first = y.receive(1, "alice", data);
    List<MeshAction> second = y.receive(2, "alice", new Data("patchouli", "yuuka", "m1", 0, 15, Mode.FLOOD,
        bytes("Hello")));
    List<MeshAction> third = y.receive(3, "alice", data);
    assertEquals(1, first.stream().filter(MeshAction.Deliver.class::isInstance).count());
    assertEquals(0, second.stream().filter(MeshAction.Deliver.class::isInstance).count());
    assertTrue(second.stream().anyMatch(a -> a instanceof MeshAction.Send s && s.frame() instanceof MeshFrame.Ack),
        "a repeated copy is acknowledged again (the first ack may be lost)");
    assertTrue(third.isEmpty(), "the very same frame twice is dropped at once");
    assertEquals(2, y.dropped(DropReason.DUPLICATE));
  }

  @Test
  void theHopLimitIsHonoured() {
    MeshNode relay = new MeshNode("alice", CONFIG, EndToEnd.PLAIN);
    relay.linkUp(0, "patchouli");
    relay.linkUp(0, "yuuka");
    relay.receive(1, "yuuka", new Hello(1, 2_000));
    List<MeshAction> last = relay.receive(2, "patchouli",
        new Data("patchouli", "yuuka", "m1", 0, 1, Mode.ROUTED, bytes("x")));
    assertTrue(last.isEmpty());
    assertEquals(1, relay.dropped(DropReason.HOP_LIMIT));
    List<MeshAction> forwarded = relay.receive(3, "patchouli",
        new Data("patchouli", "yuuka", "m2", 0, 2, Mode.ROUTED, bytes("x")));
    MeshAction.Send send = assertInstanceOf(MeshAction.Send.class, forwarded.get(0));
    assertEquals("yuuka", send.neighbour());
    assertEquals(1, ((Data) send.frame()).hopLimit());
  }

  @Test
  void aChainLongerThanTheHopLimitIsNeitherRoutedNorFloodedBeyondIt() {
    String[] names = new String[CONFIG.hopLimit() + 3];
    for (int i = 0; i < names.length; i++) {
      names[i] = "n" + i;
    }
    TestNet net = chain(names);
    net.advance(5_000);
    MeshNode first = net.node("n0");
    assertEquals(CONFIG.hopLimit(), first.route("n" + CONFIG.hopLimit()).orElseThrow().metric());
    assertTrue(first.route("n" + (CONFIG.hopLimit() + 1)).isEmpty(), "no route beyond the hop limit");
    net.send("n0", names[names.length - 1], "too far");
    net.advance(CONFIG.deliveryDeadlineMillis() + 500L);
    assertTrue(net.delivered.isEmpty());
    assertEquals(Reason.NO_ROUTE, net.failed.get(0).reason());
    assertTrue(net.count(Data.class) <= CONFIG.hopLimit(), "flood stopped at the hop limit");
  }

  @Test
  void aFloodingNeighbourIsRateLimitedWhileOthersGetThrough() {
    TestNet net = new TestNet(CONFIG, "flooder", "alice", "relay", "yuuka");
    net.link("flooder", "relay");
    net.link("alice", "relay");
    net.link("relay", "yuuka");
    net.advance(2_000);
    // one second of traffic: 2,000 distinct messages from the flooder, 20 from alice, interleaved
    for (int ms = 0; ms < 1_000; ms++) {
      net.now++;
      for (int k = 0; k < 2; k++) {
        net.inject("flooder", "relay", new Data("flooder", "yuuka", "f" + ms + "." + k, 0, 16, Mode.ROUTED, bytes("spam")));
      }
      if (ms % 50 == 0) {
        net.send("alice", "yuuka", "real " + ms);
      }
    }
    long spamRelayed = net.wires.stream().filter(w -> w.from().equals("relay") && w.frame() instanceof Data d
        && d.origin().equals("flooder")).count();
    int perSecond = CONFIG.relayPerOriginPerSecond();
    assertTrue(spamRelayed <= 3L * perSecond, "relayed for the flooder: " + spamRelayed);
    assertTrue(spamRelayed >= perSecond, "the flooder still gets its fair share: " + spamRelayed);
    assertEquals(20, net.texts("yuuka").stream().filter(t -> t.startsWith("real")).count());
    assertTrue(net.drops.stream().anyMatch(d -> d.neighbour().equals("flooder")
        && d.reason() == DropReason.RATE_LIMITED));
    assertTrue(net.drops.stream().noneMatch(d -> d.neighbour().equals("alice")));
  }

  @Test
  void aLyingNeighbourIsBoundedAndCannotStopDelivery() {
    MeshConfig small = MeshConfig.builder().maxRoutes(64).build();
    TestNet net = new TestNet(small, "a", "b", "d", "liar");
    net.link("a", "b");
    net.link("b", "d");
    net.link("a", "liar");
    // the liar's frames to a are scripted by the test; what a sends the liar is swallowed (a black hole)
    net.swallow = w -> w.to().equals("liar");
    net.advance(2_000);
    List<Route> lies = new ArrayList<>();
    lies.add(new Route("d", 1_000_000, 0)); // "d is right here, with a much newer seqno"
    for (int i = 0; i < 64; i++) {
      lies.add(new Route("ghost" + i, 1, 0));
    }
    for (int round = 0; round < 100; round++) {
      net.inject("liar", "a", new MeshFrame.Hello(1, 2_000));
      net.inject("liar", "a", new Routes(false, lies));
    }
    MeshNode a = net.node("a");
    assertTrue(a.tableSize() <= small.maxRoutes(), "table size " + a.tableSize());
    assertEquals("liar", a.route("d").orElseThrow().nextHop(), "the lie attracts routed traffic (no route signatures)");
    net.send("a", "d", "through the lie");
    net.advance(small.deliveryDeadlineMillis(), 100);
    assertEquals(List.of("through the lie"), net.texts("d"), "the flood retry goes around the black hole");
    assertEquals(1, net.acked.size());
    assertTrue(net.count(Data.class) <= 2L * 4 + 1, "bounded sends: " + net.count(Data.class));
    // rate limit: 200 frames injected in no time, only the control burst was processed
    assertTrue(a.dropped(DropReason.RATE_LIMITED) >= 200 - 2L * small.controlPerNeighbourPerSecond());
  }

  @Test
  void aRingRecoversFromStarvationWithASeqnoRequest() {
    TestNet net = new TestNet(CONFIG, "a", "b", "c", "d");
    net.link("a", "b");
    net.link("b", "c");
    net.link("c", "d");
    net.link("d", "a");
    net.advance(2_000);
    assertEquals("d", net.node("a").route("d").orElseThrow().nextHop());
    long seqBefore = net.node("d").seqno();
    net.unlink("a", "d");
    net.advance(3 * CONFIG.helloIntervalMillis());
    assertEquals(new RouteView("d", "b", 3, net.node("d").seqno()), net.node("a").route("d").orElseThrow());
    assertTrue(net.node("d").seqno() > seqBefore, "d raised its seqno on request");
    net.send("a", "d", "the long way");
    assertEquals(List.of("the long way"), net.texts("d"));
  }

  @Test
  void routedFramesNeverVisitANodeTwiceWhileLinksChange() {
    TestNet net = new TestNet(CONFIG, "a", "b", "c", "d", "e");
    String[][] edges = {{"a", "b"}, {"b", "c"}, {"c", "d"}, {"d", "e"}, {"e", "a"}, {"b", "d"}, {"a", "c"}};
    for (String[] e : edges) {
      net.link(e[0], e[1]);
    }
    net.advance(2_000);
    for (int i = 0; i < edges.length; i++) {
      String[] e = edges[i];
      net.unlink(e[0], e[1]);
      net.send("a", "d", "m" + i);
      net.send("e", "c", "n" + i);
      net.advance(300);
      net.link(e[0], e[1]);
      net.advance(300);
    }
    net.advance(CONFIG.deliveryDeadlineMillis());
    // per message id and attempt, the routed copy is received by any node at most once
    var visits = new java.util.HashMap<String, Integer>();
    for (TestNet.Wire w : net.wires) {
      if (w.frame() instanceof Data d && d.mode() == Mode.ROUTED) {
        visits.merge(d.id() + "#" + d.attempt() + "@" + w.to(), 1, Integer::sum);
      }
    }
    visits.forEach((k, v) -> assertEquals(1, v, "visited twice: " + k));
    assertEquals(2 * edges.length, net.delivered.size());
    assertEquals(2 * edges.length, net.delivered.stream().map(MeshAction.Deliver::messageId).distinct().count());
    assertTrue(net.failed.isEmpty());
  }

  @Test
  void aMalformedFrameIsDroppedAndTheNextOneServed() {
    MeshNode y = new MeshNode("yuuka", CONFIG, EndToEnd.PLAIN);
    y.linkUp(0, "alice");
    List<MeshAction> bad = y.receive(1, "alice", new Data("bad\u0000name", "yuuka", "m1", 0, 5, Mode.ROUTED, bytes("x")));
    assertEquals(List.of(new MeshAction.Dropped("alice", DropReason.MALFORMED)), bad);
    List<MeshAction> badRoutes = y.receive(1, "alice", new Routes(false, List.of(new Route("", 1, 1))));
    assertEquals(List.of(new MeshAction.Dropped("alice", DropReason.MALFORMED)), badRoutes);
    List<MeshAction> good = y.receive(2, "alice", new Data("patchouli", "yuuka", "m1", 0, 5, Mode.ROUTED, bytes("x")));
    assertTrue(good.stream().anyMatch(MeshAction.Deliver.class::isInstance));
  }

  @Test
  void aFrameFromAStrangerIsDropped() {
    MeshNode y = new MeshNode("yuuka", CONFIG, EndToEnd.PLAIN);
    assertEquals(List.of(new MeshAction.Dropped("mallory", DropReason.NOT_A_NEIGHBOUR)),
        y.receive(1, "mallory", new Hello(1, 2_000)));
    assertTrue(y.routes().isEmpty());
  }

  @Test
  void aForgedPayloadIsDroppedAtTheDestinationWithoutAnAck() {
    EndToEnd refusing = new EndToEnd() {
      @Override
      public byte[] seal(String destination, String messageId, byte[] plaintext) {
        return plaintext;
      }

      @Override
      public java.util.Optional<byte[]> open(String origin, String messageId, byte[] sealed) {
        return java.util.Optional.empty();
      }

      @Override
      public byte[] ackProof(String origin, String messageId) {
        return new byte[0];
      }

      @Override
      public boolean checkAck(String destination, String messageId, byte[] proof) {
        return false;
      }
    };
    MeshNode y = new MeshNode("yuuka", CONFIG, refusing);
    y.linkUp(0, "alice");
    List<MeshAction> actions = y.receive(1, "alice", new Data("patchouli", "yuuka", "m1", 0, 5, Mode.ROUTED, bytes("x")));
    assertEquals(List.of(new MeshAction.Dropped("alice", DropReason.FORGED)), actions);
  }

  @Test
  void sendingWithoutNeighboursOrToABadNameFailsAtOnce() {
    MeshNode p = new MeshNode("patchouli", CONFIG, EndToEnd.PLAIN);
    assertEquals(Reason.NO_ROUTE,
        ((MeshAction.NotDelivered) p.send(0, "yuuka", bytes("x")).get(0)).reason());
    assertEquals(Reason.BAD_DESTINATION,
        ((MeshAction.NotDelivered) p.send(0, "patchouli", bytes("x")).get(0)).reason());
    assertFalse(p.pendingCount() > 0);
  }

  @Test
  void pendingMessagesAreBounded() {
    MeshConfig small = MeshConfig.builder().maxPending(3).build();
    MeshNode p = new MeshNode("patchouli", small, EndToEnd.PLAIN);
    p.linkUp(0, "alice");
    for (int i = 0; i < 3; i++) {
      p.send(1, "yuuka", bytes("x"));
    }
    assertEquals(Reason.TOO_MANY_PENDING, ((MeshAction.NotDelivered) p.send(1, "yuuka", bytes("x")).get(0)).reason());
    assertEquals(3, p.pendingCount());
  }

  @Test
  void aFullTableKeepsTheNearestDestinations() {
    MeshConfig small = MeshConfig.builder().maxRoutes(4).build();
    MeshNode a = new MeshNode("alice", small, EndToEnd.PLAIN);
    a.linkUp(0, "b");
    a.receive(0, "b", new Routes(false, List.of(new Route("far5", 1, 5), new Route("far4", 1, 4),
        new Route("near1", 1, 1))));
    a.receive(0, "b", new Routes(false, List.of(new Route("far6", 1, 6), new Route("near2", 1, 2),
        new Route("b", 1, 0))));
    assertEquals(4, a.tableSize());
    assertEquals(List.of("b", "near1", "near2", "far4"), a.routes().stream().map(RouteView::destination).toList());
    // a destination farther than everything held is refused, a nearer one evicts the farthest
    a.receive(1, "b", new Routes(false, List.of(new Route("far9", 1, 9), new Route("near0", 1, 0))));
    assertEquals(List.of("b", "near0", "near1", "near2"), a.routes().stream().map(RouteView::destination).toList());
    assertEquals(1, a.dropped(DropReason.TABLE_FULL));
  }

  @Test
  void aRouteThatIsNoLongerAdvertisedExpires() {
    MeshNode a = new MeshNode("alice", CONFIG, EndToEnd.PLAIN);
    a.linkUp(0, "b");
    a.receive(0, "b", new Routes(false, List.of(new Route("far", 3, 2))));
    assertEquals(3, a.route("far").orElseThrow().metric());
    // b keeps saying hello (so it is alive) but stops advertising "far"
    long t = 0;
    while (t < CONFIG.routeExpiryMillis() + CONFIG.helloIntervalMillis()) {
      t += 1_000;
      a.receive(t, "b", new Hello(1, 2_000));
      a.tick(t);
    }
    assertTrue(a.route("far").isEmpty());
    assertTrue(a.route("b").isPresent());
  }
}
