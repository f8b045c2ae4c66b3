package org.p2pchat.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.p2pchat.mesh.MeshAction.DropReason;
import org.p2pchat.mesh.MeshFrame.Data;
import org.p2pchat.mesh.MeshFrame.Mode;
import org.p2pchat.mesh.MeshFrame.RouteReply;
import org.p2pchat.mesh.MeshFrame.RouteRequest;

/** On-demand route discovery beyond the proactive table's cap (pure, simulated time, {@link TestNet}). */
class DiscoveryTest {
  /** Four routes per node: on a ring every node knows its two nearest on each side, nothing farther. */
  private static final MeshConfig SMALL = MeshConfig.builder().maxRoutes(4).build();

  private static String n(int i) {
    return "n" + i;
  }

  /** A ring of size nodes, converged. */
  private static TestNet ring(MeshConfig config, int size) {
    TestNet net = new TestNet(config);
    for (int i = 0; i < size; i++) {
      net.add(n(i));
    }
    for (int i = 0; i < size; i++) {
      net.link(n(i), n((i + 1) % size));
    }
    net.advance(3_000);
    return net;
  }

  private static long routed(TestNet net, String id) {
    return net.wires.stream().filter(w -> w.frame() instanceof Data d && d.id().equals(id) && d.mode() == Mode.ROUTED)
        .count();
  }

  @Test
  void discoveryBeyondTheTableCapFindsAShortestPath() {
    TestNet net = ring(SMALL, 16);
    MeshNode origin = net.node("n0");
    assertTrue(origin.route("n7").isEmpty(), "n7 (7 hops one way, 9 the other) is beyond the table's 4 routes");
    net.send("n0", "n7", "far away");
    net.advance(SMALL.discoveryWaitMillis() * 4L);
    assertEquals(List.of("far away"), net.texts("n7"));
    assertEquals(1, net.acked.size());
    RouteView found = origin.discoveredRoute("n7").orElseThrow();
    assertEquals(7, found.metric(), "the shorter side of the ring");
    assertEquals("n1", found.nextHop());
    String id = net.acked.get(0).messageId();
    assertEquals(7, routed(net, id), "the message went once along the shortest path, not by flood");
    assertEquals(0, origin.count(MeshCounter.FLOODS_WITHOUT_ROUTE));
    assertTrue(net.node("n7").discoveredRoute("n0").isPresent(), "the destination learnt the way back");
    assertEquals("card:n0", new String(net.node("n7").card("n0").orElseThrow(), StandardCharsets.UTF_8),
        "and the asker's card, from the request");
    // The key card comes with the reply, so a driver can seal for a destination it has no proactive route to.
    assertEquals("card:n7", new String(origin.card("n7").orElseThrow(), StandardCharsets.UTF_8));
    // a second message uses the cached route: no new request
    long requests = net.count(RouteRequest.class);
    net.send("n0", "n7", "again");
    net.advance(1_000);
    assertEquals(List.of("far away", "again"), net.texts("n7"));
    assertEquals(requests, net.count(RouteRequest.class));
  }

  @Test
  void aLineOfFiveWithTablesOfTwo() {
    TestNet net = new TestNet(MeshConfig.builder().maxRoutes(2).build(), "n0", "n1", "n2", "n3", "n4");
    for (int i = 0; i < 4; i++) {
      net.link(n(i), n(i + 1));
    }
    net.advance(3_000);
    assertTrue(net.node("n0").route("n4").isEmpty());
    net.apply("n0", net.node("n0").discover(net.now, "n4"));
    net.run();
    assertTrue(net.node("n0").discovering("n4"));
    net.advance(2_100);
    assertEquals("card:n4", new String(net.node("n0").card("n4").orElseThrow(), StandardCharsets.UTF_8));
    net.send("n0", "n4", "hello");
    net.send("n4", "n0", "back");
    net.advance(500);
    assertEquals(List.of("hello"), net.texts("n4"));
    assertEquals(List.of("back"), net.texts("n0"));
  }

  @Test
  void aNearDestinationNeedsOnlyTheFirstRing() {
    TestNet net = ring(SMALL, 16);
    net.send("n0", "n4", "four hops");
    net.advance(2_000);
    assertEquals(List.of("four hops"), net.texts("n4"));
    assertEquals(1, net.node("n0").count(MeshCounter.DISCOVERIES), "one ring of 2 hops: n2 knows n4");
    // The 2-hop ring reached n14, n15, n1, n2: only they (and the unicast leg n2 -> n3 -> n4) carried it.
    Set<String> carriers = new HashSet<>();
    net.wires.stream().filter(w -> w.frame() instanceof RouteRequest).forEach(w -> carriers.add(w.from()));
    assertEquals(Set.of("n0", "n1", "n2", "n3", "n15"), carriers);
  }

  @Test
  void duplicateRequestsAreSuppressed() {
    TestNet net = ring(SMALL, 16);
    net.send("n0", "n8", "opposite");
    net.advance(SMALL.discoveryWaitMillis() * 4L);
    assertEquals(List.of("opposite"), net.texts("n8"));
    // every node sends each request (origin, reqid) at most once per neighbour it has
    Map<String, Integer> copies = new HashMap<>();
    for (TestNet.Wire w : net.wires) {
      if (w.frame() instanceof RouteRequest q) {
        copies.merge(w.from() + ">" + w.to() + "|" + q.origin() + "|" + q.reqid(), 1, Integer::sum);
      }
    }
    copies.forEach((k, v) -> assertEquals(1, v, "sent twice: " + k));
    // the same request arriving again is dropped without a frame
    RouteRequest last = net.wires.stream().filter(w -> w.frame() instanceof RouteRequest)
        .map(w -> (RouteRequest) w.frame()).reduce((a, b) -> b).orElseThrow();
    int before = net.wires.size();
    long dups = net.node("n4").dropped(DropReason.DUPLICATE);
    net.inject("n3", "n4", last);
    assertEquals(before, net.wires.size());
    assertEquals(dups + 1, net.node("n4").dropped(DropReason.DUPLICATE));
  }

  @Test
  void replyPathsAndDataPathsAreLoopFree() {
    MeshConfig config = MeshConfig.builder().maxRoutes(8).build();
    TestNet net = new TestNet(config);
    Random random = new Random(7);
    int size = 60;
    for (int i = 0; i < size; i++) {
      net.add(n(i));
    }
    for (int i = 1; i < size; i++) {
      net.link(n(i), n(random.nextInt(i)));
    }
    for (int k = 0; k < 30; k++) {
      int a = random.nextInt(size);
      int b = random.nextInt(size);
      if (a != b && !net.links.contains(TestNet.key(n(a), n(b)))) {
        net.link(n(a), n(b));
      }
    }
    net.advance(5_000);
    int sent = 0;
    for (int m = 0; m < 40; m++) {
      int a = random.nextInt(size);
      int b = random.nextInt(size);
      if (a != b) {
        net.send(n(a), n(b), "m" + m);
        sent++;
        net.advance(200);
      }
    }
    net.advance(config.deliveryDeadlineMillis());
    assertEquals(sent, net.delivered.size(), "every message shown once");
    assertEquals(sent, net.acked.size());
    assertTrue(net.nodes.values().stream().anyMatch(x -> x.count(MeshCounter.ROUTES_DISCOVERED) > 0),
        "discovery was used");
    // a reply never visits a node twice; a routed data copy never reaches a node twice
    Map<String, Integer> visits = new HashMap<>();
    for (TestNet.Wire w : net.wires) {
      if (w.frame() instanceof RouteReply p) {
        visits.merge("reply-node " + p.destination() + "|" + p.reqid() + "@" + w.to(), 1, Integer::sum);
      } else if (w.frame() instanceof Data d && d.mode() == Mode.ROUTED) {
        visits.merge("data " + d.id() + "#" + d.attempt() + "@" + w.to(), 1, Integer::sum);
      }
    }
    visits.forEach((k, v) -> assertEquals(1, v, "visited twice: " + k));
    // and following the next hops (proactive first, then discovered) from anywhere ends at the destination
    for (MeshNode from : net.nodes.values()) {
      for (String dest : net.nodes.keySet()) {
        var first = from.route(dest).or(() -> from.discoveredRoute(dest));
        if (dest.equals(from.name()) || first.isEmpty()) {
          continue;
        }
        Set<String> path = new HashSet<>(Set.of(from.name()));
        String at = first.get().nextHop();
        while (!at.equals(dest)) {
          assertTrue(path.add(at), "loop towards " + dest + " from " + from.name() + " at " + at);
          MeshNode x = net.node(at);
          var next = x.route(dest).or(() -> x.discoveredRoute(dest));
          if (next.isEmpty()) {
            break; // a dead end (the frame is dropped there), not a loop
          }
          at = next.get().nextHop();
        }
      }
    }
  }

  @Test
  void aLostReplyFallsBackToTheFloodAndTheSenderIsTold() {
    TestNet net = ring(SMALL, 16);
    net.swallow = w -> w.frame() instanceof RouteReply;
    net.send("n0", "n7", "no answer comes");
    MeshNode origin = net.node("n0");
    net.advance(origin.discoveryBoundMillis() - 200);
    assertTrue(net.texts("n7").isEmpty(), "waiting for a reply, no flood yet");
    net.advance(SMALL.deliveryDeadlineMillis());
    assertEquals(List.of("no answer comes"), net.texts("n7"), "the bounded flood after every ring");
    assertEquals(4, origin.count(MeshCounter.DISCOVERIES), "rings of 2, 4, 8 and 16 hops");
    assertEquals(1, origin.count(MeshCounter.DISCOVERIES_FAILED));
    assertEquals(1, origin.count(MeshCounter.FLOODS_WITHOUT_ROUTE));
    assertEquals(1, net.acked.size());

    // and with nothing reachable at all, one "not delivered" line, never silence
    TestNet cut = ring(SMALL, 16);
    cut.unlink("n6", "n7");
    cut.unlink("n7", "n8");
    cut.advance(1_000);
    cut.send("n0", "n7", "nobody there");
    cut.advance(SMALL.deliveryDeadlineMillis() + 1_000);
    assertEquals(1, cut.failed.size());
    assertEquals(MeshAction.Reason.NO_ROUTE, cut.failed.get(0).reason());
    assertTrue(cut.node("n0").count(MeshCounter.SENT_ROUTE_REQUEST) <= 4 * 2, "one request per ring and neighbour");
  }

  @Test
  void ringsWaitInProportionToTheirRadiusThenTheSearchGivesUp() {
    TestNet net = ring(SMALL, 16);
    net.swallow = w -> w.frame() instanceof RouteReply;
    MeshNode origin = net.node("n0");
    long start = net.now;
    net.send("n0", "n7", "no answer comes");
    List<Long> asked = new ArrayList<>(List.of(0L));
    long failedAt = -1;
    while (net.now - start < 5_000 && failedAt < 0) {
      net.advance(10, 10);
      if (origin.count(MeshCounter.DISCOVERIES) > asked.size()) {
        asked.add(net.now - start);
      }
      if (origin.count(MeshCounter.DISCOVERIES_FAILED) > 0) {
        failedAt = net.now - start;
      }
    }
    // 2 hops wait half the 1 s, 4 hops three quarters, 8 and 16 hops all of it
    assertEquals(List.of(0L, 500L, 1_250L, 2_250L), asked);
    assertEquals(3_250L, failedAt);
    assertEquals(3_250L, origin.discoveryBoundMillis());
  }

  @Test
  void anAnsweredSearchSendsWhatWaitedAtOnce() {
    TestNet net = ring(SMALL, 16);
    MeshNode origin = net.node("n0");
    net.send("n0", "n7", "far away");
    while (origin.discoveredRoute("n7").isEmpty() && net.now < 10_000) {
      net.advance(10, 10);
      // the step in which the reply reached n0 also carried the message, not n0's next tick
      assertEquals(origin.discoveredRoute("n7").isPresent(), !net.texts("n7").isEmpty());
    }
    assertEquals(List.of("far away"), net.texts("n7"));
  }

  @Test
  void smallMeshesNeverDiscover() {
    TestNet net = ring(MeshConfig.defaults(), 8);
    net.send("n0", "ghost", "to nobody");
    net.advance(MeshConfig.defaults().deliveryDeadlineMillis() + 1_000);
    assertEquals(0, net.count(RouteRequest.class), "a table that is not full holds every reachable destination");
    assertEquals(1, net.failed.size());
  }

  @Test
  void aRequestFloodingNeighbourIsRateLimitedPerNeighbourAndPerOrigin() {
    TestNet net = ring(SMALL, 12);
    net.add("flooder");
    net.link("flooder", "n0");
    net.advance(2_000);
    int before = net.wires.size();
    // one second: 2,000 requests, half from one origin (new reqids), half from 1,000 made-up origins
    for (int ms = 0; ms < 1_000; ms++) {
      net.now++;
      net.inject("flooder", "n0", new RouteRequest("flooder", "nobody", 1_000 + ms, 16, 0));
      net.inject("flooder", "n0", new RouteRequest("fake" + ms, "nobody", 1, 16, 0));
    }
    MeshNode n0 = net.node("n0");
    long handled = net.wires.subList(before, net.wires.size()).stream()
        .filter(w -> w.from().equals("n0") && w.frame() instanceof RouteRequest).map(w -> (RouteRequest) w.frame())
        .map(q -> q.origin() + "|" + q.reqid()).distinct().count();
    long fromOne = net.wires.subList(before, net.wires.size()).stream()
        .filter(w -> w.from().equals("n0") && w.frame() instanceof RouteRequest q && q.origin().equals("flooder"))
        .map(w -> ((RouteRequest) w.frame()).reqid()).distinct().count();
    int perNeighbour = SMALL.discoveryPerNeighbourPerSecond();
    assertTrue(handled <= 3L * perNeighbour, "requests n0 passed on: " + handled);
    assertTrue(fromOne <= 3L * SMALL.discoveryPerOriginPerSecond(), "one origin's requests passed on: " + fromOne);
    assertTrue(n0.dropped(DropReason.RATE_LIMITED) >= 2_000 - 3L * perNeighbour);
    // the mesh still works: a message across the ring (beyond n6's table) is discovered and delivered
    net.now += 2_000;
    net.send("n6", "n0", "still fine");
    net.advance(SMALL.deliveryDeadlineMillis());
    assertEquals(List.of("still fine"), net.texts("n0"));
  }

  @Test
  void aLyingReplyIsBoundedAndCannotStopDelivery() {
    TestNet net = ring(SMALL, 16);
    net.add("liar");
    net.link("liar", "n0");
    net.advance(2_000);
    // unsolicited replies teach nothing
    for (int i = 0; i < 50; i++) {
      net.inject("liar", "n0", new RouteReply("n8", "n0", 99 + i, 16, 0, 1, null));
    }
    assertTrue(net.node("n0").discoveredRoute("n8").isEmpty());
    assertTrue(net.node("n0").dropped(DropReason.UNSOLICITED) > 0);
    // the liar answers every request for n8 at once as if it were n8, and swallows what it is sent
    net.swallow = w -> {
      if (w.to().equals("liar") && w.frame() instanceof RouteRequest q && q.destination().equals("n8")) {
        net.inject("liar", w.from(), new RouteReply("n8", q.origin(), q.reqid(), 16, 0, 1, null));
      }
      return w.to().equals("liar");
    };
    net.send("n0", "n8", "through the lie");
    net.advance(SMALL.deliveryDeadlineMillis() + 1_000);
    assertEquals(List.of("through the lie"), net.texts("n8"), "the flood after the routed attempts goes around it");
    assertEquals(1, net.acked.size());
    assertTrue(net.failed.isEmpty());
  }
}
