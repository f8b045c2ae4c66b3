package org.p2pchat.conformance.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Predicate;
import org.p2pchat.conformance.CaseInfo;
import org.p2pchat.conformance.Role;
import org.p2pchat.conformance.Verdict;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.HandshakeConfig;
import org.p2pchat.identity.HandshakeFields;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.InitiatorHandshake;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.model.ChatConfirm;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.protocol.model.MeshData;
import org.p2pchat.protocol.model.MeshHello;
import org.p2pchat.protocol.model.MeshRoute;
import org.p2pchat.protocol.model.MeshRouteReply;
import org.p2pchat.protocol.model.MeshRouteRequest;
import org.p2pchat.protocol.model.MeshRoutes;

/**
 * The mesh rules (docs/protocol.md#rule-mesh and following), for a peer target that advertises {@code mesh}: the
 * suite plays two mesh neighbours (each runs the identity-v1 handshake, then speaks MESH_*), and a 2018 requester.
 * A target that does not advertise {@code mesh} (with identity-v1) gets N/A, never FAIL.
 */
final class MeshCases {
  static final String MESH = "mesh";
  static final String IDENTITY = Handshake.FEATURE;
  private static final List<String> FEATURES = List.of("eof", IDENTITY, MESH);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** Longer than the target's first hello and its next tick (100 ms recommended, 500 ms at most). */
  private static final Duration MESH_WAIT = Duration.ofSeconds(3);
  /** A target says hello every interval (2 s by default): a 2018 peer must get nothing for longer than that. */
  private static final Duration HELLO_WINDOW = Duration.ofMillis(2_500);

  private MeshCases() {}

  static List<Case> all() {
    return List.of(
        Case.of(info("mesh.link-up.hello", "A mesh link (identity-v1 chat with the mesh feature) gets MESH_HELLO and "
            + "the whole table in MESH_ROUTES", Rules.MESH_ROUTES), MeshCases::linkUpHello),
        Case.of(info("mesh.routes.answered", "A route a neighbour advertises is advertised on to the other neighbour "
            + "with metric + 1", Rules.MESH_ROUTES), MeshCases::routesAnswered),
        Case.of(info("mesh.relay.once", "A MESH_DATA for the other neighbour is relayed to it exactly once, hop limit "
            + "- 1, payload unchanged, never back; the same frame again is dropped as a duplicate", Rules.MESH_RELAY),
            MeshCases::relayOnce),
        Case.of(info("mesh.relay.hop-limit", "A MESH_DATA whose hop limit would reach 0 is not relayed",
            Rules.MESH_RELAY), MeshCases::hopLimit),
        Case.of(info("mesh.discovery.relayed", "A MESH_ROUTE_REQUEST for the other neighbour is passed on to it once "
            + "(hops + 1), the same request again is not, and the MESH_ROUTE_REPLY coming back is passed to the asker "
            + "(hops + 1, hoplimit - 1)", Rules.MESH_DISCOVERY), MeshCases::discoveryRelayed),
        Case.of(info("mesh.discovery.answered", "A MESH_ROUTE_REQUEST for the target itself gets one MESH_ROUTE_REPLY "
            + "from it to the asking neighbour (same reqid, hops 0)", Rules.MESH_DISCOVERY),
            MeshCases::discoveryAnswered),
        Case.of(info("mesh.never-to-2018", "A 2018-style chat partner (no features) never receives a mesh type",
            Rules.MESH), MeshCases::neverTo2018));
  }

  private static CaseInfo info(String id, String description, Rules.Rule rule) {
    return new CaseInfo(id, description, rule.anchor(), rule.text(), EnumSet.of(Role.PEER));
  }

  /** A mesh neighbour played by the suite. */
  private record Neighbour(Endpoint endpoint, String name) {}

  /**
   * Links {@code name} at a fresh endpoint to the target as a mesh neighbour: identity-v1 handshake with the mesh
   * feature, then a hello (our own route). N/A when the target's CHAT_ACCEPT does not list mesh and identity-v1.
   */
  private static Neighbour link(CaseRun run, String label, List<Arrival> seen) throws Exception {
    Endpoint at = run.endpoint(label);
    String name = run.name(label.replace(' ', '-'));
    InitiatorHandshake h = InitiatorHandshake.start(IdentityKeyPair.generate(RANDOM),
        new org.p2pchat.identity.Endpoint(name, at.advertised().host(), at.advertised().port()), null,
        HandshakeConfig.DEFAULTS.withFeatures(FEATURES), RANDOM, Instant.now());
    HandshakeFields f = h.requestFields();
    run.send(new ChatRequest().withPeername(name).withHost(at.advertised().host()).withPort(at.advertised().port())
        .withFeatures(new LinkedHashSet<>(f.features())).withIdkey(f.idkey()).withEphkey(f.ephkey())
        .withNonce(f.nonce()));
    Arrival accept = await(run, seen, a -> a.isAt(at) && a.type() == MessageType.CHAT_ACCEPT,
        run.settings().replyTimeout());
    if (accept == null) {
      throw new CaseFailure(Verdict.NOT_APPLICABLE, "a CHAT_ACCEPT to a mesh chat request" + PeerCases.AUTO_ACCEPT_HINT,
          "none came: the mesh cannot be checked");
    }
    JsonNode d = accept.tree().get("msgdata");
    List<String> features = new ArrayList<>();
    d.path("features").forEach(n -> features.add(n.asText()));
    if (!features.contains(MESH) || !features.contains(IDENTITY)) {
      throw new CaseFailure(Verdict.NOT_APPLICABLE, "a target that advertises " + MESH + " and " + IDENTITY,
          "it advertises " + features);
    }
    Handshake.InitiatorResult result = h.onAccept(new org.p2pchat.identity.Endpoint(d.get("peername").asText(),
        d.get("host").asText(), d.get("port").asInt()), new HandshakeFields(features, text(d, "idkey"),
        text(d, "ephkey"), text(d, "nonce"), text(d, "sig")), Instant.now());
    run.send(new ChatConfirm().withPeername(name).withSig(result.confirmSig()));
    Arrival hello = await(run, seen, a -> a.isAt(at) && a.type() == MessageType.MESH_HELLO, MESH_WAIT);
    if (hello == null) {
      throw CaseFailure.fail("MESH_HELLO at " + label + " once the mesh link is up",
          "none within " + MESH_WAIT.toMillis() + " ms");
    }
    run.send(new MeshHello().withPeername(name).withSeqno(1L).withInterval(2_000));
    return new Neighbour(at, name);
  }

  private static String linkUpHello(CaseRun run) throws Exception {
    List<Arrival> seen = new ArrayList<>();
    Neighbour a = link(run, "mesh A", seen);
    boolean table = seen.stream().anyMatch(x -> x.isAt(a.endpoint()) && x.type() == MessageType.MESH_ROUTES
        && x.tree().get("msgdata").path("full").asBoolean(false))
        || await(run, seen, x -> x.isAt(a.endpoint()) && x.type() == MessageType.MESH_ROUTES
            && x.tree().get("msgdata").path("full").asBoolean(false), MESH_WAIT) != null;
    if (!table) {
      throw CaseFailure.fail("a full MESH_ROUTES at mesh A on link up", "none within " + MESH_WAIT.toMillis() + " ms");
    }
    return "MESH_HELLO and the full table arrived at " + a.name();
  }

  private static String routesAnswered(CaseRun run) throws Exception {
    List<Arrival> seen = new ArrayList<>();
    Neighbour a = link(run, "mesh A", seen);
    Neighbour b = link(run, "mesh B", seen);
    String far = run.name("far");
    List<MeshRoute> routes = List.of(new MeshRoute().withDestination(far).withSeqno(5L).withMetric(1));
    run.send(new MeshRoutes().withPeername(a.name()).withFull(false).withRoutes(routes));
    Arrival update = await(run, seen, x -> x.isAt(b.endpoint()) && x.type() == MessageType.MESH_ROUTES
        && metricOf(x, far) == 2, MESH_WAIT);
    if (update == null) {
      throw CaseFailure.fail("MESH_ROUTES at mesh B with " + far + " at metric 2 (1 + 1)",
          "none within " + MESH_WAIT.toMillis() + " ms");
    }
    return "the route to " + far + " went on to mesh B at metric 2";
  }

  private static String relayOnce(CaseRun run) throws Exception {
    List<Arrival> seen = new ArrayList<>();
    Neighbour a = link(run, "mesh A", seen);
    Neighbour b = link(run, "mesh B", seen);
    awaitRoute(run, seen, a, b);
    MeshData data = data(a.name(), a.name(), b.name(), 8);
    run.send(data);
    Arrival relayed = await(run, seen, x -> x.isAt(b.endpoint()) && x.type() == MessageType.MESH_DATA, MESH_WAIT);
    if (relayed == null) {
      throw CaseFailure.fail("the MESH_DATA relayed to mesh B", "none within " + MESH_WAIT.toMillis() + " ms");
    }
    MeshData got = relayed.as(MeshData.class);
    if (!got.getId().equals(data.getId()) || !got.getOrigin().equals(a.name()) || got.getHoplimit() != 7
        || !got.getPayload().equals(data.getPayload())) {
      throw CaseFailure.fail("id, origin and payload unchanged, hoplimit 7", "got " + relayed.describe());
    }
    run.send(data); // the very same frame again: a duplicate
    List<Arrival> after = collect(run, seen, MESH_WAIT);
    long copies = after.stream().filter(x -> x.type() == MessageType.MESH_DATA).count();
    if (copies > 0) {
      throw CaseFailure.fail("exactly one copy at mesh B and none back at mesh A",
          copies + " more MESH_DATA: " + after.stream().filter(x -> x.type() == MessageType.MESH_DATA).findFirst()
              .orElseThrow().describe());
    }
    return "relayed once to mesh B with hoplimit 7; the duplicate was dropped";
  }

  private static String hopLimit(CaseRun run) throws Exception {
    List<Arrival> seen = new ArrayList<>();
    Neighbour a = link(run, "mesh A", seen);
    Neighbour b = link(run, "mesh B", seen);
    awaitRoute(run, seen, a, b);
    run.send(data(a.name(), a.name(), b.name(), 1));
    List<Arrival> after = collect(run, seen, MESH_WAIT);
    if (after.stream().anyMatch(x -> x.type() == MessageType.MESH_DATA)) {
      throw CaseFailure.fail("no MESH_DATA relayed (hoplimit 1 would reach 0)", "it was relayed");
    }
    // The target still relays a frame that may travel.
    run.send(data(a.name(), a.name(), b.name(), 2));
    if (await(run, seen, x -> x.isAt(b.endpoint()) && x.type() == MessageType.MESH_DATA, MESH_WAIT) == null) {
      throw CaseFailure.fail("a MESH_DATA with hoplimit 2 relayed to mesh B", "none came");
    }
    return "hoplimit 1 was not relayed; hoplimit 2 was";
  }

  private static String discoveryRelayed(CaseRun run) throws Exception {
    List<Arrival> seen = new ArrayList<>();
    Neighbour a = link(run, "mesh A", seen);
    Neighbour b = link(run, "mesh B", seen);
    awaitRoute(run, seen, a, b);
    long reqid = Math.abs(RANDOM.nextLong() % (1L << 52));
    MeshRouteRequest request = new MeshRouteRequest().withPeername(a.name()).withOrigin(a.name())
        .withDestination(b.name()).withReqid(reqid).withHoplimit(2).withHops(0);
    run.send(request);
    Arrival passed = await(run, seen, x -> x.isAt(b.endpoint()) && x.type() == MessageType.MESH_ROUTE_REQUEST,
        MESH_WAIT);
    if (passed == null) {
      throw CaseFailure.fail("the MESH_ROUTE_REQUEST passed on to mesh B", "none within " + MESH_WAIT.toMillis()
          + " ms");
    }
    MeshRouteRequest got = passed.as(MeshRouteRequest.class);
    if (!got.getOrigin().equals(a.name()) || got.getReqid() != reqid || got.getHops() != 1
        || !got.getDestination().equals(b.name())) {
      throw CaseFailure.fail("origin, destination and reqid unchanged, hops 1", "got " + passed.describe());
    }
    run.send(request); // the very same request again: handled once
    List<Arrival> after = collect(run, seen, MESH_WAIT);
    if (after.stream().anyMatch(x -> x.type() == MessageType.MESH_ROUTE_REQUEST)) {
      throw CaseFailure.fail("the same request not passed on again", "got " + after.stream()
          .filter(x -> x.type() == MessageType.MESH_ROUTE_REQUEST).findFirst().orElseThrow().describe());
    }
    run.send(new MeshRouteReply().withPeername(b.name()).withOrigin(b.name()).withDestination(a.name())
        .withReqid(reqid).withHoplimit(16).withHops(0).withSeqno(1L));
    Arrival reply = await(run, seen, x -> x.isAt(a.endpoint()) && x.type() == MessageType.MESH_ROUTE_REPLY,
        MESH_WAIT);
    if (reply == null) {
      throw CaseFailure.fail("mesh B's MESH_ROUTE_REPLY passed on to mesh A", "none within " + MESH_WAIT.toMillis()
          + " ms");
    }
    MeshRouteReply r = reply.as(MeshRouteReply.class);
    if (!r.getOrigin().equals(b.name()) || r.getReqid() != reqid || r.getHops() != 1 || r.getHoplimit() != 15) {
      throw CaseFailure.fail("origin and reqid unchanged, hops 1, hoplimit 15", "got " + reply.describe());
    }
    return "the request went on to mesh B once (hops 1) and its reply back to mesh A (hops 1, hoplimit 15)";
  }

  private static String discoveryAnswered(CaseRun run) throws Exception {
    List<Arrival> seen = new ArrayList<>();
    Neighbour a = link(run, "mesh A", seen);
    String target = seen.stream().filter(x -> x.isAt(a.endpoint()) && x.type() == MessageType.MESH_HELLO)
        .map(x -> x.tree().get("msgdata").path("peername").asText()).findFirst().orElseThrow();
    long reqid = Math.abs(RANDOM.nextLong() % (1L << 52));
    run.send(new MeshRouteRequest().withPeername(a.name()).withOrigin(a.name()).withDestination(target)
        .withReqid(reqid).withHoplimit(2).withHops(0));
    Arrival reply = await(run, seen, x -> x.isAt(a.endpoint()) && x.type() == MessageType.MESH_ROUTE_REPLY,
        MESH_WAIT);
    if (reply == null) {
      throw CaseFailure.fail("a MESH_ROUTE_REPLY from " + target + " at mesh A", "none within "
          + MESH_WAIT.toMillis() + " ms");
    }
    MeshRouteReply r = reply.as(MeshRouteReply.class);
    if (!r.getOrigin().equals(target) || !r.getDestination().equals(a.name()) || r.getReqid() != reqid
        || r.getHops() != 0) {
      throw CaseFailure.fail("origin " + target + ", destination mesh A, the same reqid, hops 0",
          "got " + reply.describe());
    }
    List<Arrival> after = collect(run, seen, MESH_WAIT);
    if (after.stream().anyMatch(x -> x.type() == MessageType.MESH_ROUTE_REPLY)) {
      throw CaseFailure.fail("one reply", "a second came");
    }
    return target + " answered mesh A's request once (hops 0)";
  }

  private static String neverTo2018(CaseRun run) throws Exception {
    Endpoint old = run.endpoint("peer 2018");
    String name = run.name("old");
    run.send(Messages.chatRequest(name, old.advertised()));
    List<Arrival> seen = new ArrayList<>();
    Arrival accept = await(run, seen, a -> a.isAt(old) && a.type() == MessageType.CHAT_ACCEPT,
        run.settings().replyTimeout());
    if (accept == null) {
      throw new CaseFailure(Verdict.NOT_APPLICABLE, "a CHAT_ACCEPT" + PeerCases.AUTO_ACCEPT_HINT, "none came");
    }
    List<Arrival> after = collect(run, seen, HELLO_WINDOW);
    for (Arrival x : after) {
      if (x.isAt(old) && x.type() != null && x.type().wireName().startsWith("MESH_")) {
        throw CaseFailure.fail("no mesh message to a 2018 chat partner", "got " + x.describe());
      }
    }
    return "nothing of the mesh reached the 2018 partner in " + HELLO_WINDOW.toMillis() + " ms";
  }

  /** Waits until the target advertises b to a (it has b's route, so data for b can be relayed). */
  private static void awaitRoute(CaseRun run, List<Arrival> seen, Neighbour a, Neighbour b) throws Exception {
    Predicate<Arrival> advertised = x -> x.isAt(a.endpoint()) && x.type() == MessageType.MESH_ROUTES
        && metricOf(x, b.name()) == 1;
    if (seen.stream().noneMatch(advertised) && await(run, seen, advertised, MESH_WAIT) == null) {
      throw CaseFailure.fail("MESH_ROUTES at mesh A with mesh B at metric 1 (B's hello is its route)",
          "none within " + MESH_WAIT.toMillis() + " ms");
    }
  }

  private static MeshData data(String sender, String origin, String destination, int hoplimit) {
    byte[] payload = new byte[200];
    RANDOM.nextBytes(payload);
    byte[] id = new byte[16];
    RANDOM.nextBytes(id);
    return new MeshData().withPeername(sender).withOrigin(origin).withDestination(destination)
        .withId(Base64.getUrlEncoder().withoutPadding().encodeToString(id)).withAttempt(0).withHoplimit(hoplimit)
        .withMode(MeshData.Mode.ROUTED).withPayload(Base64.getUrlEncoder().withoutPadding().encodeToString(payload));
  }

  private static int metricOf(Arrival routes, String destination) {
    for (JsonNode r : routes.tree().get("msgdata").path("routes")) {
      if (destination.equals(r.path("destination").asText())) {
        return r.path("metric").asInt(-1);
      }
    }
    return -1;
  }

  /** The first arrival (from now) that {@code test} accepts within {@code window}; every arrival goes to seen. */
  private static Arrival await(CaseRun run, List<Arrival> seen, Predicate<Arrival> test, Duration window)
      throws InterruptedException {
    long deadline = System.nanoTime() + window.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      Arrival a = run.harness().next(Duration.ofNanos(left));
      if (a == null) {
        return null;
      }
      seen.add(a);
      if (a.isValid() && test.test(a)) {
        return a;
      }
    }
  }

  /** Everything arriving within window (also added to seen). */
  private static List<Arrival> collect(CaseRun run, List<Arrival> seen, Duration window) throws InterruptedException {
    List<Arrival> got = run.harness().collect(window);
    seen.addAll(got);
    return got;
  }

  private static String text(JsonNode d, String field) {
    return d.has(field) ? d.get(field).asText() : null;
  }
}
