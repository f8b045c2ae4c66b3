package org.p2pchat.mesh.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import org.p2pchat.mesh.EndToEnd;
import org.p2pchat.mesh.MeshAction;
import org.p2pchat.mesh.MeshConfig;
import org.p2pchat.mesh.MeshFrame;
import org.p2pchat.mesh.MeshNode;

/**
 * A seeded, deterministic discrete-event simulation of one {@link Scenario}: the real {@link MeshNode} on every
 * simulated node, frames delivered after each link's latency, a global timer tick every {@link #TICK_MILLIS}.
 * Single-threaded; the same scenario and seed always give the same {@link Result}.
 */
public final class Simulation {
  public static final long TICK_MILLIS = 100;
  private static final int FRAME = 0;
  private static final int TICK = 1;
  private static final int SEND = 2;
  private static final int LEAVE = 3;
  private static final int JOIN = 4;
  private static final int HEAL = 5;

  private final Scenario scenario;
  private final long seed;
  private final Random random;
  private final MeshConfig config;
  private final int n;
  private final String[] names;
  private final Map<String, Integer> index = new HashMap<>();
  private final MeshNode[] nodes;
  private final boolean[] alive;
  private final int[] incarnation;
  private final List<List<Link>> adjacency = new ArrayList<>();
  private final PriorityQueue<Event> queue = new PriorityQueue<>();
  private final List<Message> messages = new ArrayList<>();
  private final Map<String, Message> byId = new HashMap<>();
  private long sequence;
  private long now;
  private long controlFrames;
  private long routeEntries;
  private long discoveryFrames;
  private long ackSends;
  private int duplicates;
  private int routedLoops;
  private Link bridge;
  private long healAt = -1;
  private long mergedAt = -1;
  private int[][] crossSample;

  public Simulation(Scenario scenario, long seed) {
    this.scenario = scenario;
    this.seed = seed;
    this.random = new Random(seed);
    this.config = scenario.config();
    this.n = scenario.nodes();
    this.names = new String[n];
    this.nodes = new MeshNode[n];
    this.alive = new boolean[n];
    this.incarnation = new int[n];
    for (int i = 0; i < n; i++) {
      names[i] = nameOf(i);
      index.put(names[i], i);
      adjacency.add(new ArrayList<>(6));
    }
  }

  private String nameOf(int i) {
    if (scenario.topology() == Scenario.Topology.CHAIN && n == 3) {
      return new String[] {"patchouli", "alice", "yuuka"}[i];
    }
    return "n" + i;
  }

  /** Runs the scenario to the end and measures it. */
  public Result run() {
    long wallStart = System.nanoTime();
    buildTopology();
    for (int i = 0; i < n; i++) {
      nodes[i] = new MeshNode(names[i], config, EndToEnd.PLAIN);
      alive[i] = true;
    }
    for (int i = 0; i < n; i++) {
      for (Link l : adjacency.get(i)) {
        if (l.a == i && l.up) {
          apply(l.a, nodes[l.a].linkUp(0, names[l.b]), null);
          apply(l.b, nodes[l.b].linkUp(0, names[l.a]), null);
        }
      }
    }
    long trafficStart = scenario.warmupMillis();
    long trafficEnd = trafficStart + scenario.trafficMillis();
    long end = trafficEnd + config.deliveryDeadlineMillis() + 2_000;
    for (int m = 0; m < scenario.messages(); m++) {
      long at = trafficStart + (long) (random.nextDouble() * scenario.trafficMillis());
      schedule(at, SEND, m, -1, null, 0);
    }
    scheduleChurn(trafficStart, trafficEnd);
    if (scenario.partitioned()) {
      schedule(trafficStart + scenario.trafficMillis() / 3, HEAL, -1, -1, null, 0);
    }
    schedule(TICK_MILLIS, TICK, -1, -1, null, 0);
    while (!queue.isEmpty()) {
      Event e = queue.poll();
      if (e.time > end) {
        break;
      }
      now = e.time;
      switch (e.type) {
        case FRAME -> onFrame(e);
        case TICK -> {
          for (int i = 0; i < n; i++) {
            if (alive[i]) {
              apply(i, nodes[i].tick(now), null);
            }
          }
          checkMerge();
          schedule(now + TICK_MILLIS, TICK, -1, -1, null, 0);
        }
        case SEND -> onSend();
        case LEAVE -> onLeave(e.node, e.epoch == 1);
        case JOIN -> onJoin(e.node);
        case HEAL -> onHeal();
        default -> throw new IllegalStateException("event type " + e.type);
      }
    }
    return measure(trafficStart, end, System.nanoTime() - wallStart);
  }

  // ---------------------------------------------------------------- topology

  private void buildTopology() {
    if (scenario.topology() == Scenario.Topology.CHAIN) {
      for (int i = 0; i + 1 < n; i++) {
        addLink(i, i + 1);
      }
      return;
    }
    if (scenario.partitioned()) {
      int half = n / 2;
      randomGraph(0, half);
      randomGraph(half, n);
      bridge = new Link(random.nextInt(half), half + random.nextInt(n - half), latency());
      bridge.up = false;
      adjacency.get(bridge.a).add(bridge);
      adjacency.get(bridge.b).add(bridge);
      crossSample = new int[Math.min(200, half * half)][];
      for (int k = 0; k < crossSample.length; k++) {
        crossSample[k] = new int[] {random.nextInt(half), half + random.nextInt(n - half)};
      }
    } else {
      randomGraph(0, n);
    }
  }

  /** A random spanning tree over [from, to) plus random extra links up to the average degree. */
  private void randomGraph(int from, int to) {
    int size = to - from;
    Set<Long> present = new HashSet<>();
    for (int i = from + 1; i < to; i++) {
      int j = from + random.nextInt(i - from);
      addLink(i, j);
      present.add(key(i, j));
    }
    long extra = Math.round(size * scenario.averageDegree() / 2) - (size - 1);
    for (long k = 0; k < extra; k++) {
      int a = from + random.nextInt(size);
      int b = from + random.nextInt(size);
      if (a != b && present.add(key(a, b))) {
        addLink(a, b);
      }
    }
  }

  private long key(int a, int b) {
    return (long) Math.min(a, b) * n + Math.max(a, b);
  }

  private int latency() {
    return 5 + random.nextInt(46); // 5..50 ms
  }

  private void addLink(int a, int b) {
    Link l = new Link(Math.min(a, b), Math.max(a, b), latency());
    adjacency.get(a).add(l);
    adjacency.get(b).add(l);
  }

  private Link link(int a, int b) {
    List<Link> list = adjacency.get(a);
    for (int k = 0; k < list.size(); k++) {
      Link l = list.get(k);
      if (l.a == b || l.b == b) {
        return l;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- events

  private void schedule(long time, int type, int node, int from, MeshFrame frame, int epoch) {
    queue.add(new Event(time, sequence++, type, node, from, frame, epoch));
  }

  private void apply(int at, List<MeshAction> actions, MeshFrame cause) {
    for (int k = 0; k < actions.size(); k++) {
      MeshAction a = actions.get(k);
      if (a instanceof MeshAction.Send s) {
        onSendFrame(at, s);
      } else if (a instanceof MeshAction.Deliver d) {
        Message m = byId.get(d.messageId());
        if (m != null && index.get(m.destination()) == at) {
          m.deliveries++;
          if (m.deliveries == 1) {
            m.deliveredAt = now;
            m.hops = cause instanceof MeshFrame.Data data ? config.hopLimit() - data.hopLimit() + 1 : -1;
          } else {
            duplicates++;
          }
        }
      } else if (a instanceof MeshAction.Delivered d) {
        Message m = byId.get(d.messageId());
        if (m != null) {
          m.outcomes++;
          m.acked = true;
        }
      } else if (a instanceof MeshAction.NotDelivered f) {
        Message m = byId.get(f.messageId());
        if (m != null) {
          m.outcomes++;
        }
      }
    }
  }

  private void onSendFrame(int at, MeshAction.Send s) {
    MeshFrame f = s.frame();
    if (f instanceof MeshFrame.Data d) {
      Message m = byId.get(d.id());
      if (m != null) {
        m.dataSends++;
        if (d.mode() == MeshFrame.Mode.FLOOD && d.origin().equals(names[at])) {
          m.floodAttempt = d.attempt();
        }
      }
    } else if (f instanceof MeshFrame.Ack) {
      if (now >= scenario.warmupMillis()) {
        ackSends++;
      }
    } else if (f instanceof MeshFrame.Routes r) {
      if (now >= scenario.warmupMillis()) {
        controlFrames++;
        routeEntries += r.routes().size();
      }
    } else if (!(f instanceof MeshFrame.Ack)) {
      if (now >= scenario.warmupMillis()) {
        controlFrames++;
        if (f instanceof MeshFrame.RouteRequest || f instanceof MeshFrame.RouteReply) {
          discoveryFrames++; // control traffic too, and reported on its own per delivery
        }
      }
    }
    Integer to = index.get(s.neighbour());
    if (to == null) {
      return;
    }
    Link l = link(at, to);
    if (l == null || !l.up) {
      return;
    }
    schedule(now + l.latency, FRAME, to, at, f, l.epoch);
  }

  private void onFrame(Event e) {
    Link l = link(e.from, e.node);
    if (!alive[e.node] || l == null || !l.up || l.epoch != e.epoch) {
      return; // lost with the link or the node
    }
    if (e.frame instanceof MeshFrame.Data d && d.mode() == MeshFrame.Mode.ROUTED) {
      Message m = byId.get(d.id());
      if (m != null && !m.routedVisits.add((long) e.node * 64 + d.attempt())) {
        routedLoops++;
      }
    }
    apply(e.node, nodes[e.node].receive(now, names[e.from], e.frame), e.frame);
  }

  private void onSend() {
    int src;
    int dst;
    do {
      src = random.nextInt(n);
      dst = random.nextInt(n);
    } while (src == dst || !alive[src] || !alive[dst]);
    int shortest = shortestPath(src, dst);
    Message m = new Message(messages.size(), names[src], names[dst], now, shortest, incarnation[src]);
    messages.add(m);
    String id = names[src] + "/" + m.number;
    byId.put(id, m);
    byte[] payload = ("message " + m.number).getBytes(StandardCharsets.UTF_8);
    apply(src, nodes[src].send(now, names[dst], payload, id), null);
  }

  private void scheduleChurn(long start, long end) {
    int leavers = (int) Math.round(n * scenario.churnFraction());
    if (leavers == 0) {
      return;
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    long window = end - start;
    for (int k = 0; k < leavers; k++) {
      long leaveAt = start + (long) (random.nextDouble() * window * 0.8);
      long downFor = 5_000 + random.nextInt(15_000);
      boolean graceful = k % 2 == 0;
      schedule(leaveAt, LEAVE, order[k], -1, null, graceful ? 1 : 0);
      schedule(leaveAt + downFor, JOIN, order[k], -1, null, 0);
    }
  }

  private void onLeave(int node, boolean graceful) {
    if (!alive[node]) {
      return;
    }
    alive[node] = false;
    incarnation[node]++;
    for (Link l : adjacency.get(node)) {
      l.epoch++; // frames in flight on its links are lost
      int other = l.a == node ? l.b : l.a;
      if (graceful && l.up && alive[other]) {
        apply(other, nodes[other].linkDown(now, names[node]), null);
      }
    }
  }

  private void onJoin(int node) {
    if (alive[node]) {
      return;
    }
    alive[node] = true;
    // A restarted peer: fresh state, its old seqno forgotten (the mesh makes it jump above what others hold).
    nodes[node] = new MeshNode(names[node], config, EndToEnd.PLAIN);
    for (Link l : adjacency.get(node)) {
      int other = l.a == node ? l.b : l.a;
      if (l.up && alive[other]) {
        apply(node, nodes[node].linkUp(now, names[other]), null);
        apply(other, nodes[other].linkUp(now, names[node]), null);
      }
    }
  }

  private void onHeal() {
    bridge.up = true;
    bridge.epoch++;
    healAt = now;
    if (alive[bridge.a] && alive[bridge.b]) {
      apply(bridge.a, nodes[bridge.a].linkUp(now, names[bridge.b]), null);
      apply(bridge.b, nodes[bridge.b].linkUp(now, names[bridge.a]), null);
    }
  }

  private void checkMerge() {
    if (healAt < 0 || mergedAt >= 0) {
      return;
    }
    int routed = 0;
    for (int[] pair : crossSample) {
      if (nodes[pair[0]].route(names[pair[1]]).isPresent()) {
        routed++;
      }
    }
    if (routed * 100 >= crossSample.length * 99) {
      mergedAt = now;
    }
  }

  /** Hops on a shortest path through live nodes and up links, or -1 if not connected. */
  private int shortestPath(int src, int dst) {
    int[] dist = new int[n];
    Arrays.fill(dist, -1);
    ArrayDeque<Integer> frontier = new ArrayDeque<>();
    dist[src] = 0;
    frontier.add(src);
    while (!frontier.isEmpty()) {
      int x = frontier.poll();
      if (x == dst) {
        return dist[x];
      }
      for (Link l : adjacency.get(x)) {
        int y = l.a == x ? l.b : l.a;
        if (l.up && alive[y] && dist[y] < 0) {
          dist[y] = dist[x] + 1;
          frontier.add(y);
        }
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------- measurement

  private Result measure(long trafficStart, long end, long wallNanos) {
    int connected = 0;
    int delivered = 0;
    int silent = 0;
    int falseAcks = 0;
    long dataSends = 0;
    long shortestSum = 0;
    int floodNoRoute = 0;
    int floodRetry = 0;
    List<Long> latencies = new ArrayList<>();
    List<Integer> hops = new ArrayList<>();
    for (Message m : messages) {
      int src = index.get(m.origin());
      if (alive[src] && incarnation[src] == m.incarnation && m.outcomes == 0) {
        silent++;
      }
      if (m.acked && m.deliveries == 0) {
        falseAcks++;
      }
      if (m.shortest < 0) {
        continue;
      }
      connected++;
      dataSends += m.dataSends;
      if (m.floodAttempt == 0) {
        floodNoRoute++;
      } else if (m.floodAttempt > 0) {
        floodRetry++;
      }
      if (m.deliveries > 0) {
        delivered++;
        shortestSum += m.shortest;
        latencies.add(m.deliveredAt - m.sentAt);
        hops.add(m.hops);
      }
    }
    latencies.sort(null);
    hops.sort(null);
    long liveNodes = 0;
    long state = 0;
    int stateMax = 0;
    for (int i = 0; i < n; i++) {
      if (alive[i]) {
        liveNodes++;
        state += nodes[i].tableSize();
        stateMax = Math.max(stateMax, nodes[i].tableSize());
      }
    }
    double seconds = (end - trafficStart) / 1000.0;
    return new Result(seed, messages.size(), connected, delivered, duplicates, routedLoops, silent, falseAcks,
        percentile(latencies, 50), percentile(latencies, 99), (int) percentile(hops, 50), (int) percentile(hops, 99),
        delivered == 0 ? 0 : (double) dataSends / delivered, delivered == 0 ? 0 : (double) shortestSum / delivered,
        delivered == 0 ? 0 : (double) discoveryFrames / delivered, delivered == 0 ? 0 : (double) ackSends / delivered,
        liveNodes == 0 ? 0 : (double) state / liveNodes, stateMax, controlFrames / (n * seconds),
        routeEntries / (n * seconds), floodNoRoute, floodRetry, mergedAt < 0 ? -1 : mergedAt - healAt, wallNanos / 1_000_000);
  }

  private static <T extends Number> long percentile(List<T> sorted, int p) {
    if (sorted.isEmpty()) {
      return -1;
    }
    int k = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, k))).longValue();
  }

  // ---------------------------------------------------------------- chain convergence

  /**
   * Control rounds (timer ticks) the chain needs after a link change until every node's table matches the
   * topology exactly (every reachable node routed at its true distance, nothing else). Returns {cut, rejoin}.
   */
  public int[] chainConvergence() {
    if (scenario.topology() != Scenario.Topology.CHAIN) {
      throw new IllegalStateException("chain scenarios only");
    }
    buildTopology();
    for (int i = 0; i < n; i++) {
      nodes[i] = new MeshNode(names[i], config, EndToEnd.PLAIN);
      alive[i] = true;
    }
    for (int i = 0; i + 1 < n; i++) {
      apply(i, nodes[i].linkUp(0, names[i + 1]), null);
      apply(i + 1, nodes[i + 1].linkUp(0, names[i]), null);
    }
    runUntil(scenario.warmupMillis());
    int cutAt = n - 2; // the last link, alice—yuuka on the seed's chain
    Link l = link(cutAt, cutAt + 1);
    l.up = false;
    l.epoch++;
    apply(cutAt, nodes[cutAt].linkDown(now, names[cutAt + 1]), null);
    apply(cutAt + 1, nodes[cutAt + 1].linkDown(now, names[cutAt]), null);
    int cut = roundsToConverge();
    l.up = true;
    l.epoch++;
    apply(cutAt, nodes[cutAt].linkUp(now, names[cutAt + 1]), null);
    apply(cutAt + 1, nodes[cutAt + 1].linkUp(now, names[cutAt]), null);
    int rejoin = roundsToConverge();
    return new int[] {cut, rejoin};
  }

  private int roundsToConverge() {
    long start = now;
    int rounds = 0;
    // Frames already emitted by the change are delivered first (round 0 means converged by them alone).
    while (true) {
      long nextTick = (now / TICK_MILLIS + 1) * TICK_MILLIS;
      drainUntil(nextTick - 1);
      if (converged()) {
        return rounds;
      }
      now = nextTick;
      for (int i = 0; i < n; i++) {
        apply(i, nodes[i].tick(now), null);
      }
      rounds++;
      if (now - start > 120_000) {
        return -1;
      }
    }
  }

  private void runUntil(long until) {
    long t = 0;
    while (t < until) {
      t += TICK_MILLIS;
      drainUntil(t - 1);
      now = t;
      for (int i = 0; i < n; i++) {
        apply(i, nodes[i].tick(now), null);
      }
    }
    drainUntil(until + TICK_MILLIS - 1);
  }

  private void drainUntil(long until) {
    while (!queue.isEmpty() && queue.peek().time <= until) {
      Event e = queue.poll();
      now = Math.max(now, e.time);
      if (e.type == FRAME) {
        onFrame(e);
      }
    }
  }

  private boolean converged() {
    for (int i = 0; i < n; i++) {
      Set<String> expected = new HashSet<>();
      for (int j = 0; j < n; j++) {
        int d = shortestPath(i, j);
        if (j != i && d > 0 && d <= config.hopLimit()) {
          expected.add(names[j] + "@" + d);
        }
      }
      Set<String> actual = new HashSet<>();
      nodes[i].routes().forEach(r -> actual.add(r.destination() + "@" + r.metric()));
      if (!expected.equals(actual)) {
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------- types

  private static final class Link {
    final int a;
    final int b;
    final int latency;
    int epoch;
    boolean up = true;

    Link(int a, int b, int latency) {
      this.a = a;
      this.b = b;
      this.latency = latency;
    }
  }

  private static final class Message {
    final int number;
    final String origin;
    final String destination;
    final long sentAt;
    final int shortest;
    final int incarnation;
    final Set<Long> routedVisits = new HashSet<>();
    int dataSends;
    int deliveries;
    long deliveredAt;
    int hops;
    int outcomes;
    int floodAttempt = -1;
    boolean acked;

    Message(int number, String origin, String destination, long sentAt, int shortest, int incarnation) {
      this.incarnation = incarnation;
      this.number = number;
      this.origin = origin;
      this.destination = destination;
      this.sentAt = sentAt;
      this.shortest = shortest;
    }

    String origin() {
      return origin;
    }

    String destination() {
      return destination;
    }
  }

  private static final class Event implements Comparable<Event> {
    final long time;
    final long seq;
    final int type;
    final int node;
    final int from;
    final MeshFrame frame;
    final int epoch;

    Event(long time, long seq, int type, int node, int from, MeshFrame frame, int epoch) {
      this.time = time;
      this.seq = seq;
      this.type = type;
      this.node = node;
      this.from = from;
      this.frame = frame;
      this.epoch = epoch;
    }

    @Override
    public int compareTo(Event o) {
      return time != o.time ? Long.compare(time, o.time) : Long.compare(seq, o.seq);
    }
  }
}
