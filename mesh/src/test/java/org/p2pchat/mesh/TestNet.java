package org.p2pchat.mesh;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A tiny synchronous network for unit tests: frames are handed over in FIFO order at the current time, time
 * moves only by {@link #advance}. A node in {@link #crash} stops silently (no DISCONNECT, no frames).
 */
final class TestNet {
  record Wire(String from, String to, MeshFrame frame) {}

  final Map<String, MeshNode> nodes = new LinkedHashMap<>();
  final Set<String> links = new HashSet<>();
  final Set<String> crashed = new HashSet<>();
  final List<Wire> wires = new ArrayList<>();
  final List<MeshAction.Deliver> delivered = new ArrayList<>();
  final Map<String, List<MeshAction.Deliver>> deliveredAt = new LinkedHashMap<>();
  final List<MeshAction.Delivered> acked = new ArrayList<>();
  final List<MeshAction.NotDelivered> failed = new ArrayList<>();
  final List<MeshAction.Dropped> drops = new ArrayList<>();
  /** Frames a test intercepts instead of handing over (e.g. a hostile node's inbox). */
  Predicate<Wire> swallow = w -> false;
  private final ArrayDeque<Wire> queue = new ArrayDeque<>();
  private final MeshConfig config;
  long now = 1_000;

  TestNet(MeshConfig config) {
    this.config = config;
  }

  TestNet(MeshConfig config, String... names) {
    this(config);
    for (String n : names) {
      add(n);
    }
  }

  MeshNode add(String name) {
    // Every node advertises a card naming it, so tests can check that cards travel with routes.
    MeshNode node = new MeshNode(name, config, EndToEnd.PLAIN, ("card:" + name).getBytes(StandardCharsets.UTF_8));
    nodes.put(name, node);
    return node;
  }

  MeshNode node(String name) {
    return nodes.get(name);
  }

  static String key(String a, String b) {
    return a.compareTo(b) < 0 ? a + "~" + b : b + "~" + a;
  }

  void link(String a, String b) {
    links.add(key(a, b));
    if (nodes.containsKey(a)) {
      apply(a, nodes.get(a).linkUp(now, b));
    }
    if (nodes.containsKey(b)) {
      apply(b, nodes.get(b).linkUp(now, a));
    }
    run();
  }

  void unlink(String a, String b) {
    links.remove(key(a, b));
    apply(a, nodes.get(a).linkDown(now, b));
    apply(b, nodes.get(b).linkDown(now, a));
    run();
  }

  void crash(String name) {
    crashed.add(name);
  }

  void apply(String at, List<MeshAction> actions) {
    for (MeshAction a : actions) {
      if (a instanceof MeshAction.Send s) {
        Wire w = new Wire(at, s.neighbour(), s.frame());
        wires.add(w);
        if (links.contains(key(at, s.neighbour())) && !crashed.contains(at) && !crashed.contains(s.neighbour())
            && !swallow.test(w)) {
          queue.add(w);
        }
      } else if (a instanceof MeshAction.Deliver d) {
        delivered.add(d);
        deliveredAt.computeIfAbsent(at, k -> new ArrayList<>()).add(d);
      } else if (a instanceof MeshAction.Delivered d) {
        acked.add(d);
      } else if (a instanceof MeshAction.NotDelivered f) {
        failed.add(f);
      } else if (a instanceof MeshAction.Dropped d) {
        drops.add(d);
      }
    }
  }

  /** Hands over every queued frame (and what it causes) at the current time. */
  void run() {
    int steps = 0;
    while (!queue.isEmpty()) {
      if (++steps > 2_000_000) {
        throw new AssertionError("frame storm: more than 2,000,000 frames without quiescence");
      }
      Wire w = queue.poll();
      MeshNode to = nodes.get(w.to());
      if (to != null && !crashed.contains(w.to())) {
        apply(w.to(), to.receive(now, w.from(), w.frame()));
      }
    }
  }

  /** Advances time by millis in ticks of step, ticking every live node and handing frames over after each. */
  void advance(long millis, long step) {
    long end = now + millis;
    while (now < end) {
      now = Math.min(end, now + step);
      tickAll();
    }
  }

  void advance(long millis) {
    advance(millis, 100);
  }

  void tickAll() {
    for (Map.Entry<String, MeshNode> e : nodes.entrySet()) {
      if (!crashed.contains(e.getKey())) {
        apply(e.getKey(), e.getValue().tick(now));
      }
    }
    run();
  }

  void send(String from, String to, String text) {
    apply(from, nodes.get(from).send(now, to, text.getBytes(StandardCharsets.UTF_8)));
    run();
  }

  /** Hands one frame to node as if it came from neighbour. */
  void inject(String from, String to, MeshFrame frame) {
    apply(to, nodes.get(to).receive(now, from, frame));
    run();
  }

  long count(Class<? extends MeshFrame> type) {
    return wires.stream().filter(w -> type.isInstance(w.frame())).count();
  }

  long count(Class<? extends MeshFrame> type, String from) {
    return wires.stream().filter(w -> type.isInstance(w.frame()) && w.from().equals(from)).count();
  }

  List<String> texts(String at) {
    return deliveredAt.getOrDefault(at, List.of()).stream()
        .map(d -> new String(d.payload(), StandardCharsets.UTF_8)).toList();
  }
}
