package org.p2pchat.mesh;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.p2pchat.mesh.MeshAction.DropReason;
import org.p2pchat.mesh.MeshFrame.RouteReply;
import org.p2pchat.mesh.MeshFrame.RouteRequest;
import org.p2pchat.mesh.internal.TokenBucket;

/**
 * On-demand route discovery (after AODV, RFC 3561) for destinations beyond the proactive table, and the bounded
 * cache of the routes it found. Part of one {@link MeshNode}: same thread, same clock values, no I/O.
 *
 * <p>The asker sends {@code MESH_ROUTE_REQUEST} in widening rings (hop limits 2, 4, 8, then the node's hop
 * limit), one ring per {@code discoveryWaitMillis}. Every node handles a request (origin, reqid) once: it keeps
 * as reverse next hop the neighbour whose copy had the fewest hops, then forwards the first copy along its
 * proactive route to the destination if it has one (unicast), else floods it while the hop limit lasts. The
 * destination answers once, at its next tick (so it can pick the best copy), with {@code MESH_ROUTE_REPLY}
 * along the reverse pointers; each node on the way learns a route to both ends. See docs/mesh.md section 4a.
 */
final class Discovery {
  /** Request states remembered (for duplicate suppression and the reverse path), at most. */
  static final int MAX_REQUESTS = 4_096;
  /** How long a request state is kept: copies and the reply travel within a ring's wait. */
  static final long REQUEST_MILLIS = 5_000;
  private static final int MAX_ORIGIN_BUCKETS = 1_024;
  private static final long MAX_REQID = (1L << 52) - 1;

  private final MeshNode node;
  private final MeshConfig config;
  private final String self;
  private final int[] rings;
  /** (origin, reqid) to what this node did with that request; insertion (so age) order. */
  private final LinkedHashMap<String, Request> requests = new LinkedHashMap<>();
  /** Destination to the route discovery found; least recently used first. */
  private final LinkedHashMap<String, Found> found;
  /** Our own searches, by destination. */
  private final Map<String, Search> searches = new LinkedHashMap<>();
  private final Map<String, TokenBucket> originBuckets = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
      return size() > MAX_ORIGIN_BUCKETS;
    }
  };
  /** Requests for us, answered at the next tick. */
  private final List<String> toAnswer = new ArrayList<>();
  private TokenBucket own;
  private long lastReqid = -1;

  Discovery(MeshNode node, MeshConfig config, String self) {
    this.node = node;
    this.config = config;
    this.self = self;
    List<Integer> r = new ArrayList<>();
    for (int h = 2; h < config.hopLimit(); h *= 2) {
      r.add(h);
    }
    r.add(config.hopLimit());
    this.rings = r.stream().mapToInt(Integer::intValue).toArray();
    int max = config.discoveredRoutes();
    this.found = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Found> eldest) {
        return size() > max;
      }
    };
  }

  /** The longest a search can take before it gives up: every ring's wait. */
  long boundMillis() {
    long sum = 0;
    for (int h : rings) {
      sum += waitMillis(h);
    }
    return sum;
  }

  /**
   * How long the asker waits for a reply to a ring of {@code hops} before the next: as AODV's ring traversal
   * time, in proportion to the ring's radius plus a margin (the way on from the ring's edge along a route, the
   * destination's tick), capped at discoveryWaitMillis: half of it for 2 hops, three quarters for 4, all of it
   * from 6. The small rings are cheap, so asking again early costs little; the wide ones wait in full.
   */
  long waitMillis(int hops) {
    return config.discoveryWaitMillis() * Math.min(hops + 2, 8) / 8;
  }

  int[] rings() {
    return rings.clone();
  }

  // ---------------------------------------------------------------- our searches

  /** Looks for destination unless already looking; false if too many searches are open. */
  boolean start(long now, String destination) {
    if (searches.containsKey(destination)) {
      return true;
    }
    if (searches.size() >= config.maxPending()) {
      return false;
    }
    Search s = new Search(destination);
    searches.put(destination, s);
    ask(s, now);
    return true;
  }

  boolean searching(String destination) {
    return searches.containsKey(destination);
  }

  private void ask(Search s, long now) {
    if (own == null) {
      own = new TokenBucket(config.discoveryPerOriginPerSecond(), 2 * config.discoveryPerOriginPerSecond(), now);
    }
    if (!own.tryTake(now)) {
      s.nextAt = now; // our own rate, the one relays grant us: try again at the next tick
      return;
    }
    s.ring++;
    // Above every reqid used before, and above the clock: a restarted node does not reuse reqids that relays'
    // request states may still hold (the driver's clock is milliseconds; the simulator's starts at 0).
    lastReqid = Math.min(MAX_REQID, Math.max(lastReqid + 1, now));
    s.reqid = lastReqid;
    s.nextAt = now + waitMillis(rings[s.ring]);
    Request mine = new Request(self, s.reqid, s.destination, null, 0, now);
    remember(key(self, s.reqid), mine);
    node.countFrame(MeshCounter.DISCOVERIES);
    RouteRequest q = new RouteRequest(self, s.destination, s.reqid, rings[s.ring], 0, node.selfCard());
    for (String n : node.neighbourNames()) {
      node.sendFrame(n, q);
    }
  }

  // ---------------------------------------------------------------- tick

  void tick(long now) {
    purge(now);
    for (String k : toAnswer) {
      Request r = requests.get(k);
      if (r == null || r.reverse == null || !node.isNeighbour(r.reverse)) {
        continue;
      }
      r.replied = 0;
      learn(r.origin, r.reverse, r.hops, -1, r.card, now);
      node.sendFrame(r.reverse, new RouteReply(self, r.origin, r.reqid, config.hopLimit(), 0, node.seqno(),
          node.selfCard()));
    }
    toAnswer.clear();
    for (Iterator<Search> it = searches.values().iterator(); it.hasNext(); ) {
      Search s = it.next();
      if (now < s.nextAt) {
        continue;
      }
      if (s.ring + 1 >= rings.length) {
        it.remove(); // every ring asked, no answer: the caller falls back to the flood
        node.countFrame(MeshCounter.DISCOVERIES_FAILED);
      } else {
        ask(s, now);
      }
    }
  }

  // ---------------------------------------------------------------- frames

  void onRequest(long now, String from, RouteRequest q) {
    if (!MeshNode.validName(q.origin()) || !MeshNode.validName(q.destination()) || q.reqid() < 0
        || q.reqid() > MAX_REQID || q.hopLimit() < 1 || q.hopLimit() > 255 || q.hops() < 0 || q.hops() > 255
        || q.origin().equals(q.destination()) || q.card() != null && q.card().length > MeshFrame.Route.MAX_CARD) {
      node.dropFrame(from, DropReason.MALFORMED);
      return;
    }
    purge(now);
    String k = key(q.origin(), q.reqid());
    int dist = q.hops() + 1;
    Request r = requests.get(k);
    if (r != null || q.origin().equals(self)) {
      if (r == null || r.reverse == null || dist >= r.hops || r.replied != Integer.MAX_VALUE) {
        node.countDrop(DropReason.DUPLICATE);
        return;
      }
      // A copy with fewer hops than the first (links differ in latency, so the first is not always the
      // shortest): a shorter way back, and passed on again, since the first copy may have been stopped by
      // the hop limit. Each time with fewer hops, so at most hopLimit times per request; in practice once.
      r.reverse = from;
      r.hops = dist;
      if (q.destination().equals(self)) {
        return; // answered at the next tick along the best copy's way
      }
    } else {
      if (!originBucket(q.origin(), now).tryTake(now)) {
        node.dropFrame(from, DropReason.RATE_LIMITED);
        return;
      }
      Request mine = new Request(q.origin(), q.reqid(), q.destination(), from, dist, now);
      remember(k, mine);
      if (q.destination().equals(self)) {
        mine.card = q.card(); // the asker's: we can answer its messages without asking ourselves
        toAnswer.add(k);
        return;
      }
    }
    if (dist >= config.hopLimit()) {
      node.countDrop(DropReason.HOP_LIMIT);
      return;
    }
    String hop = node.proactiveNextHop(q.destination(), from);
    if (hop != null && dist + node.proactiveMetric(q.destination()) <= config.hopLimit()) {
      // We know the way: no need to flood further. Hop limit 1: from here it travels on routes only.
      node.sendFrame(hop, q.on(1, dist));
      return;
    }
    if (q.hopLimit() <= 1) {
      node.countDrop(DropReason.HOP_LIMIT);
      return;
    }
    RouteRequest on = q.on(q.hopLimit() - 1, dist);
    for (String n : node.neighbourNames()) {
      if (!n.equals(from)) {
        node.sendFrame(n, on);
      }
    }
  }

  void onReply(long now, String from, RouteReply p) {
    if (!MeshNode.validName(p.origin()) || !MeshNode.validName(p.destination()) || p.reqid() < 0
        || p.reqid() > MAX_REQID || p.hopLimit() < 1 || p.hopLimit() > 255 || p.hops() < 0 || p.hops() > 255
        || p.seqno() < -1 || p.seqno() > MAX_REQID
        || p.card() != null && p.card().length > MeshFrame.Route.MAX_CARD || p.origin().equals(p.destination())) {
      node.dropFrame(from, DropReason.MALFORMED);
      return;
    }
    purge(now);
    Request r = requests.get(key(p.destination(), p.reqid()));
    if (r == null || !r.destination.equals(p.origin())) {
      // Not a request we handled (or long gone): a reply cannot make anyone learn a route unasked.
      node.dropFrame(from, DropReason.UNSOLICITED);
      return;
    }
    int dist = p.hops() + 1;
    if (dist >= r.replied) {
      node.countDrop(DropReason.DUPLICATE); // no better than a reply already passed on
      return;
    }
    if (r.hops + dist > config.hopLimit()) {
      node.countDrop(DropReason.HOP_LIMIT);
      return;
    }
    r.replied = dist;
    learn(p.origin(), from, dist, p.seqno(), p.card(), now);
    if (p.destination().equals(self)) {
      if (searches.remove(p.origin()) != null) {
        node.countFrame(MeshCounter.ROUTES_DISCOVERED);
        node.routeFound(now, p.origin()); // what waited for it goes now, not at the next tick
      }
      return;
    }
    if (p.hopLimit() <= 1 || !node.isNeighbour(r.reverse)) {
      node.countDrop(DropReason.HOP_LIMIT);
      return;
    }
    learn(p.destination(), r.reverse, r.hops, -1, null, now);
    node.sendFrame(r.reverse, new RouteReply(p.origin(), p.destination(), p.reqid(), p.hopLimit() - 1, dist,
        p.seqno(), p.card()));
  }

  // ---------------------------------------------------------------- the found routes

  /** The next hop discovery found for destination, renewing it (a use); null if none or it is avoid. */
  String use(long now, String destination, String avoid) {
    Found f = valid(now, destination);
    if (f == null || f.nextHop.equals(avoid)) {
      return null;
    }
    f.expiresAt = now + config.discoveredRouteMillis();
    return f.nextHop;
  }

  boolean has(long now, String destination) {
    return valid(now, destination) != null;
  }

  Found peek(long now, String destination) {
    return valid(now, destination);
  }

  void forget(String destination) {
    found.remove(destination);
  }

  void neighbourGone(String neighbour) {
    found.values().removeIf(f -> f.nextHop.equals(neighbour));
  }

  int size() {
    return found.size();
  }

  private Found valid(long now, String destination) {
    Found f = found.get(destination);
    if (f == null) {
      return null;
    }
    if (now >= f.expiresAt || !node.isNeighbour(f.nextHop)) {
      found.remove(destination);
      return null;
    }
    return f;
  }

  /** The way back to destination that a routed data frame showed; kept only if we hold none. */
  void learnWayBack(String destination, String hop, int metric, long now) {
    if (valid(now, destination) == null && metric >= 1 && metric <= config.hopLimit()) {
      learn(destination, hop, metric, -1, null, now);
    }
  }

  /**
   * A reply just travelled this way, so the path is known to work now: the latest reply wins (a shorter
   * older route may be the broken one). Keeps a card we had if the reply brought none.
   */
  private void learn(String destination, String hop, int metric, long seqno, byte[] card, long now) {
    if (destination.equals(self)) {
      return;
    }
    Found old = found.get(destination);
    byte[] keep = card != null ? card : old == null ? null : old.card;
    found.put(destination, new Found(hop, metric, seqno >= 0 ? seqno : old == null ? -1 : old.seqno, keep,
        now + config.discoveredRouteMillis()));
  }

  // ---------------------------------------------------------------- helpers

  private void remember(String k, Request r) {
    requests.put(k, r);
    if (requests.size() > MAX_REQUESTS) {
      Iterator<String> oldest = requests.keySet().iterator();
      String gone = oldest.next();
      oldest.remove();
      toAnswer.remove(gone);
    }
  }

  private void purge(long now) {
    for (Iterator<Request> it = requests.values().iterator(); it.hasNext(); ) {
      if (now - it.next().at < REQUEST_MILLIS) {
        return;
      }
      it.remove();
    }
  }

  private TokenBucket originBucket(String origin, long now) {
    TokenBucket b = originBuckets.get(origin);
    if (b == null) {
      b = new TokenBucket(config.discoveryPerOriginPerSecond(), 2 * config.discoveryPerOriginPerSecond(), now);
      originBuckets.put(origin, b);
    }
    return b;
  }

  private static String key(String origin, long reqid) {
    return origin + "|" + reqid;
  }

  /** A route found by discovery: next hop, hops, the destination's seqno and card as its reply carried them. */
  static final class Found {
    final String nextHop;
    final int metric;
    final long seqno;
    final byte[] card;
    long expiresAt;

    Found(String nextHop, int metric, long seqno, byte[] card, long expiresAt) {
      this.nextHop = nextHop;
      this.metric = metric;
      this.seqno = seqno;
      this.card = card;
      this.expiresAt = expiresAt;
    }
  }

  private static final class Request {
    final String origin;
    final long reqid;
    final String destination;
    final long at;
    String reverse; // null at the asker
    int hops;
    int replied = Integer.MAX_VALUE; // hops of the best reply passed on
    byte[] card; // the asker's, kept by the destination only

    Request(String origin, long reqid, String destination, String reverse, int hops, long at) {
      this.origin = origin;
      this.reqid = reqid;
      this.destination = destination;
      this.reverse = reverse;
      this.hops = hops;
      this.at = at;
    }
  }

  private static final class Search {
    final String destination;
    int ring = -1;
    long reqid;
    long nextAt;

    Search(String destination) {
      this.destination = destination;
    }
  }
}
