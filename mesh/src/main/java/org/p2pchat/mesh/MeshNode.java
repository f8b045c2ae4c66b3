package org.p2pchat.mesh;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.p2pchat.mesh.MeshAction.DropReason;
import org.p2pchat.mesh.MeshAction.Reason;
import org.p2pchat.mesh.MeshFrame.Ack;
import org.p2pchat.mesh.MeshFrame.Data;
import org.p2pchat.mesh.MeshFrame.Hello;
import org.p2pchat.mesh.MeshFrame.Mode;
import org.p2pchat.mesh.MeshFrame.Route;
import org.p2pchat.mesh.MeshFrame.RouteReply;
import org.p2pchat.mesh.MeshFrame.RouteRequest;
import org.p2pchat.mesh.MeshFrame.Routes;
import org.p2pchat.mesh.MeshFrame.SeqnoRequest;
import org.p2pchat.mesh.internal.SeenCache;
import org.p2pchat.mesh.internal.TokenBucket;

/**
 * One node's mesh routing state machine. Events go in (a link to a neighbour came up or went down, a frame
 * arrived from a neighbour, the timer ticked, the user sends a message), each with the driver's current time
 * as a value; the actions to perform come out as a list. No sockets, threads or clocks inside; not thread
 * safe (the driver serialises events).
 *
 * <p>Routing is a distance vector with sequence numbers and Babel's feasibility condition (RFC 8966 §2.4):
 * loop-free at every instant, one stored alternative next hop per destination, seqno requests to end route
 * starvation. Messages go along the selected route; if unacknowledged after {@code ackTimeoutMillis} they are
 * re-sent once by a bounded flood; after {@code deliveryDeadlineMillis} the sender is told. Relays check the
 * hop limit and a seen cache only; payloads are opaque (sealed by {@link EndToEnd}). The driver calls
 * {@link #tick} at least every {@code helloIntervalMillis / 4} (100 ms recommended); route changes are sent at
 * the next tick.
 *
 * <p>A node whose table is full (more destinations than {@code maxRoutes}) finds routes to the others on demand
 * ({@link Discovery}, after AODV): a message to such a destination waits for a route reply, and goes by the
 * bounded flood only if none comes.
 */
public final class MeshNode {
  private static final int MAX_NAME = 64;
  private static final int MAX_ID = 128;
  private static final long MAX_SEQNO = 1L << 52; // stays exact as a JSON number
  private static final int MAX_ORIGIN_BUCKETS = 1_024;
  private static final int SEQNO_REQUEST_TRIES = 3;
  private static final int ROUTED_ATTEMPTS = 3;
  private static final int MAX_ATTEMPT = 15;

  private final String self;
  private final MeshConfig config;
  private final EndToEnd endToEnd;
  /** Our own key card, advertised with our own route (null: none). */
  private final byte[] selfCard;
  private final Map<String, Neighbour> neighbours = new LinkedHashMap<>();
  private final Map<String, Entry> routes = new HashMap<>();
  private final Set<String> changed = new LinkedHashSet<>();
  private final SeenCache seen;
  private final SeenCache delivered;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private final Map<String, TokenBucket> originBuckets = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, TokenBucket> eldest) {
      return size() > MAX_ORIGIN_BUCKETS;
    }
  };
  private final EnumMap<MeshCounter, Long> counters = new EnumMap<>(MeshCounter.class);
  private final EnumMap<DropReason, Long> drops = new EnumMap<>(DropReason.class);
  private long seqno;
  private boolean selfChanged;
  private long lastSeqnoBump = Long.MIN_VALUE / 2;
  private long nextMessage = 1;
  private long nextHello = Long.MIN_VALUE;
  private long nextFullDump = Long.MIN_VALUE;
  private long nextExpiryScan = Long.MIN_VALUE;
  /** Routing-table entries per metric (the last bucket: unreachable), so the farthest is found without a scan. */
  private final int[] perMetric;
  private List<MeshAction> out = new ArrayList<>();
  private final Discovery discovery;
  /** When the table last refused or evicted a destination for lack of room (MIN_VALUE: never). */
  private long tableFullAt = Long.MIN_VALUE;

  public MeshNode(String self, MeshConfig config, EndToEnd endToEnd) {
    this(self, config, endToEnd, null);
  }

  /**
   * A node that advertises selfCard (opaque bytes, e.g. its signed keys) with its own route; every node copies
   * the card of the route it selected into its own advertisements, so origins learn destinations' cards.
   */
  public MeshNode(String self, MeshConfig config, EndToEnd endToEnd, byte[] selfCard) {
    if (selfCard != null && selfCard.length > Route.MAX_CARD) {
      throw new IllegalArgumentException("card over " + Route.MAX_CARD + " bytes");
    }
    this.selfCard = selfCard == null ? null : selfCard.clone();
    if (!validName(self)) {
      throw new IllegalArgumentException("not a valid peer name");
    }
    this.self = self;
    this.config = config;
    this.endToEnd = endToEnd;
    this.seqno = config.initialSeqno();
    this.perMetric = new int[config.hopLimit() + 2];
    this.seen = new SeenCache(config.seenCacheSize(), config.seenTtlMillis());
    this.delivered = new SeenCache(config.seenCacheSize(), config.seenTtlMillis());
    this.discovery = new Discovery(this, config, self);
  }

  public String name() {
    return self;
  }

  public long seqno() {
    return seqno;
  }

  // ---------------------------------------------------------------- events

  /** A mesh link to neighbour is up (it advertised the mesh feature and the chat link is established). */
  public List<MeshAction> linkUp(long now, String neighbour) {
    if (!validName(neighbour) || neighbour.equals(self)) {
      return List.of(new MeshAction.Dropped(neighbour == null ? "?" : neighbour, DropReason.MALFORMED));
    }
    if (!neighbours.containsKey(neighbour)) {
      if (neighbours.size() >= config.maxNeighbours()) {
        count(DropReason.TABLE_FULL);
        return List.of(new MeshAction.Dropped(neighbour, DropReason.TABLE_FULL));
      }
      neighbours.put(neighbour, new Neighbour(neighbour, now));
    }
    Neighbour nb = neighbours.get(neighbour);
    nb.lastHeard = now;
    send(neighbour, new Hello(seqno, config.helloIntervalMillis()));
    send(neighbour, fullTable());
    return drain();
  }

  /** The link to neighbour went away (DISCONNECT, exit, send failure): routes through it are withdrawn now. */
  public List<MeshAction> linkDown(long now, String neighbour) {
    if (neighbours.remove(neighbour) != null) {
      loseNeighbour(neighbour, now);
      discovery.neighbourGone(neighbour);
    }
    return drain();
  }

  /** A frame arrived from neighbour (the driver authenticated the link it came on). */
  public List<MeshAction> receive(long now, String from, MeshFrame frame) {
    Neighbour nb = neighbours.get(from);
    if (nb == null) {
      return dropped(from, DropReason.NOT_A_NEIGHBOUR);
    }
    nb.lastHeard = now;
    boolean control = frame instanceof Hello || frame instanceof Routes || frame instanceof SeqnoRequest;
    boolean discovering = frame instanceof RouteRequest || frame instanceof RouteReply;
    if (!(control ? nb.control : discovering ? nb.discovery : nb.relay).tryTake(now)) {
      return dropped(from, DropReason.RATE_LIMITED);
    }
    if (frame instanceof Data d && !originBucket(d.origin(), now).tryTake(now)
        || frame instanceof Ack a && !originBucket(a.origin(), now).tryTake(now)) {
      return dropped(from, DropReason.RATE_LIMITED);
    }
    if (frame instanceof Hello h) {
      onHello(now, from, h);
    } else if (frame instanceof Routes r) {
      onRoutes(now, from, r);
    } else if (frame instanceof SeqnoRequest q) {
      onSeqnoRequest(now, from, q);
    } else if (frame instanceof RouteRequest q) {
      discovery.onRequest(now, from, q);
    } else if (frame instanceof RouteReply p) {
      discovery.onReply(now, from, p);
    } else if (frame instanceof Data d) {
      onData(now, from, d);
    } else if (frame instanceof Ack a) {
      onAck(now, from, a);
    }
    return drain();
  }

  /** Time passes: hellos, pending route changes, periodic full tables, dead neighbours, expiries, deadlines. */
  public List<MeshAction> tick(long now) {
    detectDeadNeighbours(now);
    if (now >= nextExpiryScan) {
      expireRoutes(now);
      nextExpiryScan = now + config.helloIntervalMillis();
    }
    if (now >= nextHello) {
      Hello hello = new Hello(seqno, config.helloIntervalMillis());
      for (String n : neighbours.keySet()) {
        send(n, hello);
      }
      nextHello = now + config.helloIntervalMillis();
    }
    boolean full = false;
    if (nextFullDump == Long.MIN_VALUE) {
      // Spread nodes' periodic dumps over the interval, deterministically.
      nextFullDump = now + Math.floorMod(self.hashCode(), config.updateIntervalMillis());
    } else if (now >= nextFullDump) {
      full = true;
      nextFullDump = now + config.updateIntervalMillis();
    }
    if (full) {
      Routes table = fullTable();
      for (String n : neighbours.keySet()) {
        send(n, table);
      }
      changed.clear();
      selfChanged = false;
    } else if (!changed.isEmpty() || selfChanged) {
      Routes update = changes();
      for (String n : neighbours.keySet()) {
        send(n, update);
      }
    }
    discovery.tick(now);
    checkPending(now);
    return drain();
  }

  /**
   * Starts route discovery for destination if this node's table is full and it has no route to it or no key
   * card for it (the driver calls it before {@link #send} to learn the destination's card; see {@link #card}).
   */
  public List<MeshAction> discover(long now, String destination) {
    if (validName(destination) && !destination.equals(self)
        && (!hasAnyRoute(now, destination) || card(destination).isEmpty()) && discoveryUseful(now)) {
      discovery.start(now, destination);
    }
    return drain();
  }

  /** Whether a route discovery for destination is under way. */
  public boolean discovering(String destination) {
    return discovery.searching(destination);
  }

  /** The longest a route discovery takes before giving up (every ring's wait). */
  public long discoveryBoundMillis() {
    return discovery.boundMillis();
  }

  /** The user sends payload to destination; the message id is ours (a counter). */
  public List<MeshAction> send(long now, String destination, byte[] payload) {
    return send(now, destination, payload, self + "#" + seqnoStart() + "." + nextMessage++);
  }

  /**
   * The user sends payload to destination under messageId, which the driver makes unpredictable (e.g. 128
   * random bits) so nobody can squat it in the relays' seen caches.
   */
  public List<MeshAction> send(long now, String destination, byte[] payload, String messageId) {
    if (!validName(destination) || destination.equals(self) || messageId.isEmpty()
        || messageId.length() > MAX_ID) {
      return List.of(new MeshAction.NotDelivered(messageId, String.valueOf(destination), Reason.BAD_DESTINATION));
    }
    if (pending.size() >= config.maxPending()) {
      return List.of(new MeshAction.NotDelivered(messageId, destination, Reason.TOO_MANY_PENDING));
    }
    if (neighbours.isEmpty()) {
      return List.of(new MeshAction.NotDelivered(messageId, destination, Reason.NO_ROUTE));
    }
    byte[] sealed = endToEnd.seal(destination, messageId, payload);
    Pending p = new Pending(destination, messageId, sealed, now);
    pending.put(messageId, p);
    attempt(p, now);
    return drain();
  }

  // ---------------------------------------------------------------- views

  /** Every reachable destination, nearest first (what {@code list network} shows). */
  public List<RouteView> routes() {
    List<RouteView> views = new ArrayList<>();
    for (Entry e : routes.values()) {
      if (e.reachable()) {
        views.add(new RouteView(e.destination, e.nextHop, e.metric, e.seqno));
      }
    }
    views.sort((a, b) -> a.metric() != b.metric() ? Integer.compare(a.metric(), b.metric())
        : a.destination().compareTo(b.destination()));
    return views;
  }

  /** The selected route to destination, if reachable. */
  public Optional<RouteView> route(String destination) {
    Entry e = routes.get(destination);
    return e == null || !e.reachable() ? Optional.empty()
        : Optional.of(new RouteView(e.destination, e.nextHop, e.metric, e.seqno));
  }

  /**
   * The key card that came with the selected route to destination (as its next hop advertised it; unchecked:
   * the caller verifies it), if reachable and known.
   */
  public Optional<byte[]> card(String destination) {
    Entry e = routes.get(destination);
    if (e != null && e.reachable() && e.card != null) {
      return Optional.of(e.card.clone());
    }
    Discovery.Found f = discovery.peek(Long.MIN_VALUE, destination);
    return f == null || f.card == null ? Optional.empty() : Optional.of(f.card.clone());
  }

  /** The route discovery found to destination (not in the proactive table), if one is held. */
  public Optional<RouteView> discoveredRoute(String destination) {
    Discovery.Found f = discovery.peek(Long.MIN_VALUE, destination);
    return f == null ? Optional.empty() : Optional.of(new RouteView(destination, f.nextHop, f.metric, f.seqno));
  }

  /** Routes found by discovery held (bounded by discoveredRoutes). */
  public int discoveredSize() {
    return discovery.size();
  }

  /** Routing-table entries held, reachable or being retracted (bounded by maxRoutes). */
  public int tableSize() {
    return routes.size();
  }

  public Set<String> neighbours() {
    return Collections.unmodifiableSet(neighbours.keySet());
  }

  public int pendingCount() {
    return pending.size();
  }

  public int seenCacheSize() {
    return seen.size();
  }

  public long count(MeshCounter counter) {
    return counters.getOrDefault(counter, 0L);
  }

  public long dropped(DropReason reason) {
    return drops.getOrDefault(reason, 0L);
  }

  // ---------------------------------------------------------------- control plane

  private void onHello(long now, String from, Hello h) {
    if (h.seqno() < 0 || h.seqno() > MAX_SEQNO) {
      drop(from, DropReason.MALFORMED);
      return;
    }
    // A hello is the neighbour's own route at metric 0.
    update(now, from, from, h.seqno(), 0, null);
  }

  private void onRoutes(long now, String from, Routes r) {
    if (r.routes().size() > config.maxRoutes() + 1) {
      drop(from, DropReason.MALFORMED);
      return;
    }
    boolean malformed = false;
    for (Route route : r.routes()) {
      if (!validName(route.destination()) || route.seqno() < 0 || route.seqno() > MAX_SEQNO
          || route.metric() < 0 || route.card() != null && route.card().length > Route.MAX_CARD) {
        malformed = true;
        continue;
      }
      update(now, from, route.destination(), route.seqno(), route.metric(), route.card());
    }
    if (malformed) {
      drop(from, DropReason.MALFORMED);
    }
  }

  private void update(long now, String from, String dest, long s, int m, byte[] card) {
    if (dest.equals(self)) {
      if (s > seqno) {
        // Someone holds a newer seqno for us (we restarted, or a liar): jump above it, at most once a second.
        bumpSeqno(s + 1, now);
      }
      return;
    }
    Entry e = routes.get(dest);
    if (m >= MeshFrame.INFINITY || m + 1 > config.hopLimit()) {
      if (e != null) {
        if (from.equals(e.nextHop)) {
          routeLost(e, now);
        } else if (from.equals(e.alt)) {
          e.alt = null;
        }
      }
      return;
    }
    int via = m + 1;
    if (e == null) {
      if (routes.size() >= config.maxRoutes()) {
        tableFullAt = now; // there are destinations beyond the table: discovery is worth its cost
        if (!evictFartherThan(via)) {
          count(DropReason.TABLE_FULL);
          return;
        }
      }
      e = new Entry(dest);
      routes.put(dest, e);
      perMetric[bucket(e.metric)]++;
      select(e, from, s, via, now + config.routeExpiryMillis());
      e.takeCard(card);
      e.fdSeqno = s;
      e.fdMetric = via;
      markChanged(e);
      return;
    }
    boolean feasible = e.feasible(s, m);
    if (from.equals(e.nextHop)) {
      if (!feasible) {
        count(DropReason.UNFEASIBLE);
        routeLost(e, now);
        starving(e, from, now);
        return;
      }
      boolean newCard = e.takeCard(card); // before the test below, which would skip it
      boolean differs = newCard || e.seqno != s || e.metric != via;
      e.seqno = s;
      setMetric(e, via);
      e.expiresAt = now + config.routeExpiryMillis();
      e.updateFd();
      if (e.alt != null && e.altMetric + 1 < e.metric && e.feasible(e.altSeqno, e.altMetric)
          && neighbours.containsKey(e.alt)) {
        String oldHop = e.nextHop;
        long oldSeq = e.seqno;
        int oldAdv = e.metric - 1;
        select(e, e.alt, e.altSeqno, e.altMetric + 1, now + config.routeExpiryMillis());
        e.setAlt(oldHop, oldSeq, oldAdv);
        e.updateFd();
        differs = true;
      }
      if (differs) {
        markChanged(e);
      }
      return;
    }
    if (!feasible) {
      count(DropReason.UNFEASIBLE);
      if (from.equals(e.alt)) {
        e.alt = null;
      }
      starving(e, from, now);
      return;
    }
    if (!e.reachable()) {
      select(e, from, s, via, now + config.routeExpiryMillis());
      e.takeCard(card);
      e.updateFd();
      if (from.equals(e.alt)) {
        e.alt = null;
      }
      markChanged(e);
    } else if (via < e.metric) {
      e.setAlt(e.nextHop, e.seqno, e.metric - 1);
      select(e, from, s, via, now + config.routeExpiryMillis());
      e.takeCard(card);
      e.updateFd();
      markChanged(e);
    } else if (e.alt == null || e.alt.equals(from) || via < e.altMetric + 1) {
      e.setAlt(from, s, m);
    }
  }

  /** The selected next hop for e is gone or unfeasible: switch to the alternative or retract and ask. */
  private void routeLost(Entry e, long now) {
    if (e.alt != null && neighbours.containsKey(e.alt) && e.feasible(e.altSeqno, e.altMetric)) {
      select(e, e.alt, e.altSeqno, e.altMetric + 1, now + config.routeExpiryMillis());
      e.alt = null;
      e.updateFd();
      markChanged(e);
      return;
    }
    e.alt = null;
    e.nextHop = null;
    setMetric(e, MeshFrame.INFINITY);
    e.expiresAt = now + config.routeExpiryMillis(); // kept (with its feasibility distance) until then
    markChanged(e);
  }

  /**
   * A neighbour offers a route to e's destination that the feasibility condition refuses while we have none:
   * starvation (RFC 8966 §3.8). Ask that neighbour to get the destination to raise its seqno.
   */
  private void starving(Entry e, String offeredBy, long now) {
    if (!e.reachable()) {
      e.starvedBy = offeredBy;
      requestSeqno(e, now);
    }
  }

  private void requestSeqno(Entry e, long now) {
    if (now - e.seqnoRequestedAt < config.helloIntervalMillis() || e.seqnoRequests >= SEQNO_REQUEST_TRIES
        || e.starvedBy == null || !neighbours.containsKey(e.starvedBy)) {
      return;
    }
    e.seqnoRequestedAt = now;
    e.seqnoRequests++;
    send(e.starvedBy, new SeqnoRequest(e.destination, e.fdSeqno + 1, config.hopLimit()));
  }

  private void onSeqnoRequest(long now, String from, SeqnoRequest q) {
    if (!validName(q.destination()) || q.seqno() < 0 || q.seqno() > MAX_SEQNO || q.hopLimit() < 1) {
      drop(from, DropReason.MALFORMED);
      return;
    }
    if (q.destination().equals(self)) {
      if (q.seqno() > seqno) {
        bumpSeqno(q.seqno(), now);
      } else {
        selfChanged = true;
      }
      return;
    }
    // No seen cache here: a retry must pass again. Requests follow selected routes only (loop-free), never
    // go back to the sender, and are bounded by the hop limit and the control rate limit.
    Entry e = routes.get(q.destination());
    if (e == null || !e.reachable()) {
      count(DropReason.NO_ROUTE);
      return;
    }
    if (e.seqno >= q.seqno()) {
      markChanged(e); // we already have what was asked for: advertise it
      return;
    }
    if (q.hopLimit() > 1 && !from.equals(e.nextHop)) {
      send(e.nextHop, new SeqnoRequest(q.destination(), q.seqno(), q.hopLimit() - 1));
    }
  }

  private void bumpSeqno(long to, long now) {
    // Bumps re-advertise us network-wide, so nobody can make us do it more than once a second.
    if (now - lastSeqnoBump < 1_000) {
      return;
    }
    seqno = Math.min(Math.max(seqno + 1, to), MAX_SEQNO);
    lastSeqnoBump = now;
    selfChanged = true;
    increment(MeshCounter.SEQNO_BUMPS);
  }

  private boolean evictFartherThan(int metric) {
    int worst = perMetric.length - 1;
    while (worst > 0 && perMetric[worst] == 0) {
      worst--;
    }
    if (worst <= metric) {
      return false;
    }
    Entry victim = null;
    for (Entry e : routes.values()) {
      if (bucket(e.metric) == worst) {
        victim = e;
        break;
      }
    }
    routes.remove(victim.destination);
    perMetric[worst]--;
    if (victim.reachable()) {
      changed.add(victim.destination); // advertised as a retraction at the next tick
    } else {
      changed.remove(victim.destination);
    }
    return true;
  }

  private int bucket(int metric) {
    return metric >= MeshFrame.INFINITY ? perMetric.length - 1 : metric;
  }

  private void setMetric(Entry e, int metric) {
    if (routes.get(e.destination) == e) {
      perMetric[bucket(e.metric)]--;
      perMetric[bucket(metric)]++;
    }
    e.metric = metric;
  }

  private void select(Entry e, String hop, long s, int via, long expiry) {
    setMetric(e, via);
    e.select(hop, s, via, expiry);
  }

  private void loseNeighbour(String neighbour, long now) {
    for (Entry e : new ArrayList<>(routes.values())) {
      if (neighbour.equals(e.nextHop)) {
        routeLost(e, now);
      } else if (neighbour.equals(e.alt)) {
        e.alt = null;
      }
    }
  }

  private void detectDeadNeighbours(long now) {
    long deadAfter = (long) config.helloIntervalMillis() * config.deadAfterHellos();
    List<String> dead = new ArrayList<>();
    for (Neighbour nb : neighbours.values()) {
      if (now - nb.lastHeard > deadAfter) {
        dead.add(nb.name);
      }
    }
    for (String n : dead) {
      neighbours.remove(n);
      increment(MeshCounter.NEIGHBOURS_DECLARED_DEAD);
      out.add(new MeshAction.NeighbourDead(n));
      loseNeighbour(n, now);
      discovery.neighbourGone(n);
    }
  }

  private void expireRoutes(long now) {
    List<Entry> lost = new ArrayList<>();
    for (Iterator<Entry> it = routes.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.expiresAt > now) {
        if (!e.reachable()) {
          requestSeqno(e, now); // retry: the first request may have met a neighbour still routing through us
        }
        continue;
      }
      if (e.reachable()) {
        lost.add(e);
      } else {
        it.remove();
        perMetric[bucket(e.metric)]--;
        changed.remove(e.destination);
      }
    }
    for (Entry e : lost) {
      e.alt = null; // the alternative is as stale as the route
      routeLost(e, now);
    }
  }

  private Routes fullTable() {
    List<Route> all = new ArrayList<>(routes.size() + 1);
    all.add(new Route(self, seqno, 0, selfCard));
    for (Entry e : routes.values()) {
      all.add(new Route(e.destination, e.seqno, e.reachable() ? e.metric : MeshFrame.INFINITY,
          e.reachable() ? e.card : null));
    }
    return new Routes(true, all);
  }

  private Routes changes() {
    List<Route> list = new ArrayList<>(changed.size() + 1);
    if (selfChanged) {
      list.add(new Route(self, seqno, 0, selfCard));
    }
    for (String dest : changed) {
      Entry e = routes.get(dest);
      list.add(e == null ? new Route(dest, 0, MeshFrame.INFINITY)
          : new Route(dest, e.seqno, e.reachable() ? e.metric : MeshFrame.INFINITY, e.reachable() ? e.card : null));
    }
    changed.clear();
    selfChanged = false;
    return new Routes(false, list);
  }

  private void markChanged(Entry e) {
    changed.add(e.destination);
  }

  // ---------------------------------------------------------------- data plane

  private void onData(long now, String from, Data d) {
    if (!validName(d.origin()) || !validName(d.destination()) || d.id().isEmpty() || d.id().length() > MAX_ID
        || d.hopLimit() < 1 || d.hopLimit() > 255 || d.attempt() < 0 || d.attempt() > MAX_ATTEMPT
        || d.payloadLength() > config.maxPayloadBytes()) {
      drop(from, DropReason.MALFORMED);
      return;
    }
    if (d.origin().equals(self) || !seen.firstSighting(dataKey(d), now)) {
      count(DropReason.DUPLICATE);
      return;
    }
    if (d.mode() == Mode.ROUTED && !hasRoute(d.origin())) {
      // A routed copy came along a loop-free path: its last hop leads back to the origin, at the hops it
      // travelled. Without it an acknowledgement to an origin beyond our table (tables are not symmetric)
      // would have to flood.
      discovery.learnWayBack(d.origin(), from, config.hopLimit() - d.hopLimit() + 1, now);
    }
    if (d.destination().equals(self)) {
      Optional<byte[]> plain = endToEnd.open(d.origin(), d.id(), d.payload());
      if (plain.isEmpty()) {
        drop(from, DropReason.FORGED);
        return;
      }
      if (delivered.firstSighting(d.origin() + "|" + d.id(), now)) {
        increment(MeshCounter.DELIVERED_TO_USER);
        out.add(new MeshAction.Deliver(d.origin(), d.id(), plain.get(), from));
      } else {
        count(DropReason.DUPLICATE); // delivered before; acknowledge again, the first ack may be lost
      }
      Mode mode = d.mode() == Mode.ROUTED && hasAnyRoute(now, d.origin()) ? Mode.ROUTED : Mode.FLOOD;
      Ack ack = new Ack(self, d.origin(), d.id(), d.attempt(), config.hopLimit(), mode,
          endToEnd.ackProof(d.origin(), d.id()));
      seen.firstSighting(ackKey(ack), now);
      forward(now, ack, ack.mode(), ack.destination(), null);
      return;
    }
    if (d.hopLimit() <= 1) {
      count(DropReason.HOP_LIMIT);
      return;
    }
    if (forward(now, d.relayed(), d.mode(), d.destination(), from)) {
      increment(MeshCounter.RELAYED_DATA);
    }
  }

  private void onAck(long now, String from, Ack a) {
    if (!validName(a.origin()) || !validName(a.destination()) || a.id().isEmpty() || a.id().length() > MAX_ID
        || a.hopLimit() < 1 || a.hopLimit() > 255 || a.attempt() < 0 || a.attempt() > MAX_ATTEMPT
        || a.proof().length > config.maxPayloadBytes()) {
      drop(from, DropReason.MALFORMED);
      return;
    }
    if (a.origin().equals(self) || !seen.firstSighting(ackKey(a), now)) {
      count(DropReason.DUPLICATE);
      return;
    }
    if (a.destination().equals(self)) {
      Pending p = pending.get(a.id());
      if (p == null || !p.destination.equals(a.origin())) {
        count(DropReason.DUPLICATE); // late or repeated acknowledgement
        return;
      }
      if (!endToEnd.checkAck(a.origin(), a.id(), a.proof())) {
        drop(from, DropReason.FORGED);
        return;
      }
      pending.remove(a.id());
      out.add(new MeshAction.Delivered(a.id(), p.destination));
      return;
    }
    if (a.hopLimit() <= 1) {
      count(DropReason.HOP_LIMIT);
      return;
    }
    forward(now, a.relayed(), a.mode(), a.destination(), from);
  }

  /**
   * Sends frame on towards destination: along the proactive route, else the one discovery found, or by flood;
   * false if it went nowhere.
   */
  private boolean forward(long now, MeshFrame frame, Mode mode, String destination, String from) {
    if (mode == Mode.FLOOD) {
      return flood(frame, from) > 0;
    }
    String next = nextHop(now, destination, from);
    if (next == null) {
      count(DropReason.NO_ROUTE);
      return false;
    }
    send(next, frame);
    return true;
  }

  private int flood(MeshFrame frame, String except) {
    int sent = 0;
    for (String n : neighbours.keySet()) {
      if (!n.equals(except)) {
        send(n, frame);
        sent++;
      }
    }
    return sent;
  }

  private void checkPending(long now) {
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (now >= p.sentAt + config.deliveryDeadlineMillis()) {
        it.remove();
        out.add(new MeshAction.NotDelivered(p.id, p.destination, p.hadRoute ? Reason.NO_ACK : Reason.NO_ROUTE));
      } else if (p.flooded) {
        continue;
      } else if (p.awaiting) {
        if (hasAnyRoute(now, p.destination) || now >= p.nextAttemptAt
            || p.discovering && !discovery.searching(p.destination)) {
          p.awaiting = false;
          transmit(p, now);
        }
      } else if (now >= p.nextAttemptAt) {
        attempt(p, now);
      }
    }
  }

  /**
   * The time for p's next attempt has come. Without any route at first, it waits for one (a route discovery if
   * the table is full, else up to a third of ackTimeout: tables may be converging after a link came up or two
   * meshes merged); a retry over a route discovery found asks again first (the path may have broken: there
   * are no route errors in this version).
   */
  private void attempt(Pending p, long now) {
    if (!hasRoute(p.destination) && !p.routedDone) {
      boolean found = discovery.has(now, p.destination);
      if (p.attempts == 0 && !found && !p.waited) {
        p.waited = true;
        await(p, now);
        return;
      }
      if (p.attempts > 0 && found && !p.rediscovered && discoveryUseful(now)) {
        p.rediscovered = true;
        discovery.forget(p.destination);
        await(p, now);
        return;
      }
    }
    transmit(p, now);
  }

  private void await(Pending p, long now) {
    p.awaiting = true;
    p.discovering = discoveryUseful(now) && discovery.start(now, p.destination);
    long latest = p.sentAt + config.deliveryDeadlineMillis() - config.ackTimeoutMillis(); // room for the flood
    p.nextAttemptAt = Math.min(latest,
        now + (p.discovering ? discovery.boundMillis() : config.ackTimeoutMillis() / 3));
    checkAwaited(p, now);
  }

  /** A route discovery for destination was answered: what waited for it is sent now. */
  void routeFound(long now, String destination) {
    for (Pending p : pending.values()) {
      if (p.awaiting && p.destination.equals(destination)) {
        checkAwaited(p, now);
      }
    }
  }

  /** Sends an awaited p at once if a route is already there (a proactive one, or a discovery answered). */
  private void checkAwaited(Pending p, long now) {
    if (hasAnyRoute(now, p.destination)) {
      p.awaiting = false;
      transmit(p, now);
    }
  }

  /**
   * Sends p's next attempt: along the route held now (proactive, else discovered) for up to three attempts,
   * ackTimeout apart, so a relay found dead in the meantime is routed around; then, halfway from the last
   * routed attempt to the deadline, or at once without a route, a bounded flood. Nothing follows a flood.
   */
  private void transmit(Pending p, long now) {
    String next = nextHop(now, p.destination, null);
    boolean routed = next != null && !p.routedDone;
    int attempt = p.attempts++;
    Data data = new Data(self, p.destination, p.id, attempt, config.hopLimit(), routed ? Mode.ROUTED : Mode.FLOOD,
        p.sealed);
    seen.firstSighting(dataKey(data), now);
    if (routed) {
      p.hadRoute = true;
      long deadline = p.sentAt + config.deliveryDeadlineMillis();
      long nextRouted = now + config.ackTimeoutMillis();
      if (p.attempts >= ROUTED_ATTEMPTS || nextRouted > deadline - config.ackTimeoutMillis()) {
        // The flood comes halfway from the last routed attempt to the deadline (8 s at the defaults), so that
        // its acknowledgement has time to come back.
        p.routedDone = true;
        p.nextAttemptAt = now + (deadline - now) / 2;
      } else {
        p.nextAttemptAt = nextRouted;
      }
      send(next, data);
    } else {
      increment(attempt > 0 ? MeshCounter.FLOOD_RETRIES : MeshCounter.FLOODS_WITHOUT_ROUTE);
      p.flooded = true;
      flood(data, null);
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The next hop towards destination, never avoid: the proactive route (or its feasible alternative), else
   * the route discovery found (renewed by this use); null if neither.
   */
  private String nextHop(long now, String destination, String avoid) {
    String next = proactiveNextHop(destination, avoid);
    return next != null ? next : discovery.use(now, destination, avoid);
  }

  /** The proactive next hop towards destination other than avoid (the alternative if need be), or null. */
  String proactiveNextHop(String destination, String avoid) {
    Entry e = routes.get(destination);
    String next = e == null || !e.reachable() ? null : e.nextHop;
    if (next != null && next.equals(avoid)) {
      // Never hand a frame straight back: use the alternative if it is still feasible.
      next = e.alt != null && !e.alt.equals(avoid) && neighbours.containsKey(e.alt)
          && e.feasible(e.altSeqno, e.altMetric) ? e.alt : null;
    }
    return next;
  }

  int proactiveMetric(String destination) {
    Entry e = routes.get(destination);
    return e == null || !e.reachable() ? MeshFrame.INFINITY : e.metric;
  }

  private boolean hasAnyRoute(long now, String destination) {
    return hasRoute(destination) || discovery.has(now, destination);
  }

  /**
   * Discovery only pays when the table is full or recently had to leave destinations out: otherwise it holds
   * every reachable destination. (Full counts too: a neighbour whose own table is full advertises no farther.)
   */
  private boolean discoveryUseful(long now) {
    return routes.size() >= config.maxRoutes()
        || tableFullAt != Long.MIN_VALUE && now - tableFullAt <= config.routeExpiryMillis();
  }

  boolean isNeighbour(String name) {
    return name != null && neighbours.containsKey(name);
  }

  Set<String> neighbourNames() {
    return neighbours.keySet();
  }

  byte[] selfCard() {
    return selfCard == null ? null : selfCard.clone();
  }

  void sendFrame(String neighbour, MeshFrame frame) {
    send(neighbour, frame);
  }

  void dropFrame(String from, DropReason reason) {
    drop(from, reason);
  }

  void countDrop(DropReason reason) {
    count(reason);
  }

  void countFrame(MeshCounter counter) {
    increment(counter);
  }

  private boolean hasRoute(String destination) {
    Entry e = routes.get(destination);
    return e != null && e.reachable();
  }

  private void send(String neighbour, MeshFrame frame) {
    out.add(new MeshAction.Send(neighbour, frame));
    if (frame instanceof Hello) {
      increment(MeshCounter.SENT_HELLO);
    } else if (frame instanceof Routes r) {
      increment(MeshCounter.SENT_ROUTES);
      counters.merge(MeshCounter.SENT_ROUTE_ENTRIES, (long) r.routes().size(), Long::sum);
    } else if (frame instanceof SeqnoRequest) {
      increment(MeshCounter.SENT_SEQNO_REQUEST);
    } else if (frame instanceof RouteRequest) {
      increment(MeshCounter.SENT_ROUTE_REQUEST);
    } else if (frame instanceof RouteReply) {
      increment(MeshCounter.SENT_ROUTE_REPLY);
    } else if (frame instanceof Data) {
      increment(MeshCounter.SENT_DATA);
    } else if (frame instanceof Ack) {
      increment(MeshCounter.SENT_ACK);
    }
  }

  private List<MeshAction> dropped(String from, DropReason reason) {
    drop(from, reason);
    return drain();
  }

  private void drop(String from, DropReason reason) {
    count(reason);
    out.add(new MeshAction.Dropped(from, reason));
  }

  private List<MeshAction> drain() {
    if (out.isEmpty()) {
      return List.of();
    }
    List<MeshAction> result = out;
    out = new ArrayList<>();
    return result;
  }

  /**
   * The bucket of frames per origin (fairness behind a shared relay). Origins are unauthenticated at relays,
   * so the per-neighbour bucket stays the hard bound; the map is bounded, least recently used out.
   */
  private TokenBucket originBucket(String origin, long now) {
    TokenBucket b = originBuckets.get(origin);
    if (b == null) {
      b = new TokenBucket(config.relayPerOriginPerSecond(), 2 * config.relayPerOriginPerSecond(), now);
      originBuckets.put(origin, b);
    }
    return b;
  }

  private void count(DropReason reason) {
    drops.merge(reason, 1L, Long::sum);
  }

  private void increment(MeshCounter counter) {
    counters.merge(counter, 1L, Long::sum);
  }

  private long seqnoStart() {
    return config.initialSeqno();
  }

  private static String dataKey(Data d) {
    return "D|" + d.origin() + "|" + d.id() + "|" + d.attempt() + "|" + d.mode();
  }

  private static String ackKey(Ack a) {
    return "A|" + a.origin() + "|" + a.id() + "|" + a.attempt() + "|" + a.mode();
  }

  /** A peer name as the protocol allows it: 1 to 64 characters, no control characters. */
  public static boolean validName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7F) {
        return false;
      }
    }
    return true;
  }

  private final class Neighbour {
    final String name;
    final TokenBucket relay;
    final TokenBucket control;
    final TokenBucket discovery;
    long lastHeard;

    Neighbour(String name, long now) {
      this.name = name;
      this.lastHeard = now;
      this.relay = new TokenBucket(config.relayPerNeighbourPerSecond(), 2 * config.relayPerNeighbourPerSecond(), now);
      this.control = new TokenBucket(config.controlPerNeighbourPerSecond(), 2 * config.controlPerNeighbourPerSecond(),
          now);
      this.discovery = new TokenBucket(config.discoveryPerNeighbourPerSecond(),
          2 * config.discoveryPerNeighbourPerSecond(), now);
    }
  }

  /** One destination: the selected route, one alternative, and the feasibility distance (Babel's FD). */
  private static final class Entry {
    final String destination;
    String nextHop; // null when unreachable (being retracted)
    long seqno;
    int metric = MeshFrame.INFINITY;
    long expiresAt;
    long fdSeqno;
    int fdMetric = MeshFrame.INFINITY;
    String alt;
    long altSeqno;
    int altMetric; // as the alternative advertised it
    long seqnoRequestedAt = Long.MIN_VALUE / 2;
    int seqnoRequests;
    String starvedBy;
    byte[] card;

    Entry(String destination) {
      this.destination = destination;
    }

    boolean reachable() {
      return nextHop != null;
    }

    /** Keeps the card the selected next hop advertised (a missing one keeps ours); true if it changed. */
    boolean takeCard(byte[] offered) {
      if (offered == null || java.util.Arrays.equals(offered, card)) {
        return false;
      }
      card = offered.clone();
      return true;
    }

    /** Babel's feasibility condition: a newer seqno, or the same seqno and a metric below what we advertised. */
    boolean feasible(long s, int advertisedMetric) {
      return s > fdSeqno || (s == fdSeqno && advertisedMetric < fdMetric);
    }

    void select(String hop, long s, int via, long expiry) {
      seqnoRequests = 0;
      starvedBy = null;
      nextHop = hop;
      seqno = s;
      metric = via;
      expiresAt = expiry;
    }

    void setAlt(String hop, long s, int advertised) {
      alt = hop;
      altSeqno = s;
      altMetric = advertised;
    }

    void updateFd() {
      if (seqno > fdSeqno) {
        fdSeqno = seqno;
        fdMetric = metric;
      } else if (seqno == fdSeqno && metric < fdMetric) {
        fdMetric = metric;
      }
    }
  }

  private static final class Pending {
    final String destination;
    final String id;
    final byte[] sealed;
    final long sentAt;
    long nextAttemptAt;
    int attempts;
    boolean hadRoute;
    boolean flooded;
    boolean waited;
    /** Waiting for a route (until nextAttemptAt) before the next attempt. */
    boolean awaiting;
    /** ... and a route discovery was started for it. */
    boolean discovering;
    boolean rediscovered;
    /** The routed attempts are over: the next one is the flood. */
    boolean routedDone;

    Pending(String destination, String id, byte[] sealed, long sentAt) {
      this.destination = destination;
      this.id = id;
      this.sealed = sealed;
      this.sentAt = sentAt;
    }
  }
}
