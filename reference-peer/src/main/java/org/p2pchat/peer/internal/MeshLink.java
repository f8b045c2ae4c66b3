package org.p2pchat.peer.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.Session;
import org.p2pchat.mesh.MeshAction;
import org.p2pchat.mesh.MeshConfig;
import org.p2pchat.mesh.MeshFrame;
import org.p2pchat.mesh.MeshNode;
import org.p2pchat.mesh.RouteView;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.MeshAck;
import org.p2pchat.protocol.model.MeshData;
import org.p2pchat.protocol.model.MeshHello;
import org.p2pchat.protocol.model.MeshRoutes;
import org.p2pchat.protocol.model.MeshRouteReply;
import org.p2pchat.protocol.model.MeshRouteRequest;
import org.p2pchat.protocol.model.MeshSeqnoRequest;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.MessageContext;
import org.p2pchat.sdk.Sender;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The peer's side of the mesh (docs/mesh.md): drives the pure {@link MeshNode} from one thread that owns it,
 * with the clock it is given. A chat link is a mesh link when the counterpart advertised both {@code mesh} and
 * identity-v1 and the handshake verified it; MESH_* messages go to such links only, never to a 2018 peer or one
 * that did not advertise {@code mesh}. Relayed chat is sealed end to end by {@link MeshSeal}.
 */
public final class MeshLink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshLink.class);
  /** How often the core's timer runs (docs/mesh.md section 7 assumes 100 ms). */
  static final long TICK_MILLIS = 100;
  private static final Duration ANSWER = Duration.ofSeconds(5);
  private static final int MAX_WAITING = 256;
  /** Frames waiting to be sent, per neighbour and in all (as the sender's one queue held before). */
  private static final int LANE_FRAMES = 1_024;
  private static final int ALL_LANES_FRAMES = 10_000;

  private final String self;
  private final MeshNode node;
  private final MeshSeal seal;
  private final Capabilities capabilities;
  private final PeerOutput out;
  private final Clock clock;
  private final MeshConfig config;
  private final ScheduledThreadPoolExecutor thread;
  private final Sender sender;
  private final SendLanes lanes;
  private final SecureRandom random;
  /** Mesh links: neighbour name to its address. Touched on the mesh thread only. */
  private final Map<String, HostPort> links = new HashMap<>();
  /** Messages waiting (briefly) for their destination's key card. Mesh thread only. */
  private final List<Waiting> waiting = new ArrayList<>();
  private long logWindow = Long.MIN_VALUE;

  private record Waiting(String destination, String text, long until) {}

  /**
   * Frames from a peer whose chat handshake this side has not finished yet: the counterpart links up when it gets
   * CHAT_ACCEPT and may speak before our CHAT_CONFIRM is processed. Bounded: a few names, a few frames, 5 s.
   */
  private final Map<String, Early> early = new java.util.LinkedHashMap<>();
  private static final int EARLY_NAMES = 16;
  private static final int EARLY_FRAMES = 8;
  private static final long EARLY_MILLIS = 5_000;

  private static final class Early {
    final long since;
    final List<MeshFrame> frames = new ArrayList<>();

    Early(long since) {
      this.since = since;
    }
  }

  /** Keeps an early frame from a peer that advertised mesh; false if it is not to be kept. */
  private boolean holdEarly(String from, MeshFrame frame, long now) {
    if (!capabilities.has(from, Capabilities.MESH)) {
      return false;
    }
    early.values().removeIf(e -> now - e.since > EARLY_MILLIS);
    Early e = early.get(from);
    if (e == null) {
      if (early.size() >= EARLY_NAMES) {
        return false;
      }
      e = new Early(now);
      early.put(from, e);
    }
    if (e.frames.size() >= EARLY_FRAMES) {
      return false;
    }
    e.frames.add(frame);
    return true;
  }
  private int logged;

  MeshLink(String self, MeshConfig config, IdentityKeyPair keys, PeerTrust trust, Capabilities capabilities,
      PeerOutput out, Clock clock, SecureRandom random, Duration connectTimeout) {
    this.self = self;
    this.config = config;
    this.capabilities = capabilities;
    this.out = out;
    this.clock = clock;
    this.random = random;
    MeshNode[] holder = new MeshNode[1];
    this.seal = new MeshSeal(self, keys, random, clock::millis, config.seenTtlMillis() / 2,
        name -> holder[0].card(name), trust::acceptVerified, trust::refused);
    this.node = new MeshNode(self, config, seal, seal.card());
    holder[0] = node;
    this.thread = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "peer-" + self + "-mesh");
      t.setDaemon(true);
      return t;
    });
    thread.setRemoveOnCancelPolicy(true);
    // Mesh frames go to peers that advertised eof too (every p2pchat peer does): no 1,024-byte cap.
    this.sender = Sender.builder().maxBytes(Utf8Wire.MAX_BYTES).connectTimeout(connectTimeout).asyncThreads(1)
        .build();
    this.lanes = new SendLanes("peer-" + self + "-mesh-send", config.maxNeighbours(), LANE_FRAMES, ALL_LANES_FRAMES,
        sender::send, this::sendFailed);
  }

  /** Starts the timer and listens to chat links coming and going. */
  void start(ConnectedPeers connected, Dispatcher dispatcher) {
    dispatcher.on(MeshHello.class, this::onMessage);
    dispatcher.on(MeshRoutes.class, this::onMessage);
    dispatcher.on(MeshSeqnoRequest.class, this::onMessage);
    dispatcher.on(MeshRouteRequest.class, this::onMessage);
    dispatcher.on(MeshRouteReply.class, this::onMessage);
    dispatcher.on(MeshData.class, this::onMessage);
    dispatcher.on(MeshAck.class, this::onMessage);
    connected.listen(this::onChatLink);
    thread.scheduleWithFixedDelay(() -> {
      try {
        apply(node.tick(clock.millis()));
        if (!waiting.isEmpty()) {
          sendWaiting();
        }
      } catch (RuntimeException e) {
        log.warn("mesh: tick failed", e); // a thrown tick would cancel every later one
      }
    }, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    thread.shutdownNow();
    lanes.close();
    sender.close();
  }

  /**
   * {@code chat message NAME TEXT} for a peer that is not a direct neighbour: false if this peer has no mesh
   * link at all (the caller says "not connected"); otherwise true, and the outcome is shown later as one line if
   * it fails.
   */
  public boolean relay(String destination, String text) {
    Boolean taken = onMeshThread(() -> {
      if (node.neighbours().isEmpty()) {
        return false;
      }
      if (waiting.size() >= MAX_WAITING) {
        out.line(notDelivered(destination, reason(MeshAction.Reason.TOO_MANY_PENDING)));
        return true;
      }
      long now = clock.millis();
      long wait = config.ackTimeoutMillis() / 3;
      if (node.card(destination).isEmpty()) {
        // Beyond a full table the route, and the card with it, comes from a route discovery: wait for it.
        apply(node.discover(now, destination));
        if (node.discovering(destination)) {
          wait = Math.max(wait, node.discoveryBoundMillis());
        }
      }
      waiting.add(new Waiting(destination, text, now + wait));
      sendWaiting();
      return true;
    });
    return taken != null && taken;
  }

  /**
   * Sends the messages whose destination's key card is known; those still without one after their wait (a route
   * and its card may be on the way: a link just came up, two meshes just merged) get one line.
   */
  private void sendWaiting() {
    long now = clock.millis();
    for (java.util.Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
      Waiting w = it.next();
      if (seal.cardOf(w.destination()).isPresent()) {
        it.remove();
        byte[] id = new byte[16];
        random.nextBytes(id);
        apply(node.send(now, w.destination(), w.text().getBytes(StandardCharsets.UTF_8),
            Base64.getUrlEncoder().withoutPadding().encodeToString(id)));
      } else if (now >= w.until()) {
        it.remove();
        out.line(notDelivered(w.destination(), reason(MeshAction.Reason.NO_ROUTE)));
      }
    }
  }

  /** {@code list network}: every peer reachable through the mesh, nearest first. */
  public void list() {
    List<RouteView> routes = onMeshThread(node::routes);
    if (routes == null) {
      return;
    }
    if (routes.isEmpty()) {
      out.line("no peers reachable through the mesh (a chat with a p2pchat peer links you to its network)");
      return;
    }
    out.line("network (" + routes.size() + (routes.size() == 1 ? " peer" : " peers") + " reachable):");
    for (RouteView r : routes) {
      out.line(line(r));
    }
  }

  /** One {@code list network} line. */
  static String line(RouteView r) {
    return "peername: " + Lines.printable(r.destination()) + ", " + r.metric() + (r.metric() == 1 ? " hop" : " hops")
        + (r.metric() == 1 ? ", direct" : ", via " + Lines.printable(r.nextHop()));
  }

  /** The routes, for tests and views. */
  public List<RouteView> routes() {
    List<RouteView> routes = onMeshThread(node::routes);
    return routes == null ? List.of() : routes;
  }

  /** Our messages awaiting acknowledgement (also those waiting for a key card). */
  public int pendingCount() {
    Integer n = onMeshThread(() -> node.pendingCount() + waiting.size());
    return n == null ? 0 : n;
  }

  /** The mesh links (neighbours) the core currently has, for tests and views. */
  public List<String> neighbours() {
    List<String> n = onMeshThread(() -> new ArrayList<>(node.neighbours()));
    return n == null ? List.of() : n;
  }

  // ---------------------------------------------------------------- events in

  /** From ConnectedPeers, under its lock: only hand over. */
  private void onChatLink(String name, HostPort address, Session session) {
    boolean mesh = address != null && session != null && capabilities.has(name, Capabilities.MESH)
        && capabilities.has(name, Capabilities.IDENTITY);
    execute(() -> {
      long now = clock.millis();
      if (mesh) {
        links.put(name, address);
        apply(node.linkUp(now, name));
        Early held = early.remove(name);
        if (held != null && now - held.since <= EARLY_MILLIS) {
          for (MeshFrame f : held.frames) {
            apply(node.receive(now, name, f));
          }
        }
      } else if (links.remove(name) != null) {
        apply(node.linkDown(now, name));
      }
    });
  }

  private void onMessage(Object message, MessageContext ctx) {
    String from = PeerTrust.text(ctx.tree().get("msgdata"), "peername");
    Optional<MeshFrame> frame = MeshCodec.decode(message);
    execute(() -> {
      long now = clock.millis();
      if (from != null && !links.containsKey(from) && frame.isPresent() && holdEarly(from, frame.get(), now)) {
        return;
      }
      if (from == null || !links.containsKey(from)) {
        note(false, "ignored " + ctx.type().wireName() + " from " + ctx.remote() + ": " + Lines.printable(String.valueOf(from))
            + " is not a mesh link of this peer");
        return;
      }
      if (frame.isEmpty()) {
        note(true, "ignored a malformed " + ctx.type().wireName() + " from " + Lines.printable(from));
        return;
      }
      if (!node.neighbours().contains(from)) {
        // The core gave the link up (a failed send, silence) but the chat link stands and it speaks again.
        apply(node.linkUp(now, from));
      }
      apply(node.receive(now, from, frame.get()));
    });
  }

  // ---------------------------------------------------------------- actions out

  private void apply(List<MeshAction> actions) {
    for (MeshAction action : actions) {
      if (action instanceof MeshAction.Send s) {
        send(s.neighbour(), s.frame());
      } else if (action instanceof MeshAction.Deliver d) {
        out.line(Lines.message(d.origin(), new String(d.payload(), StandardCharsets.UTF_8)) + " (via "
            + Lines.printable(d.lastHop()) + ")");
      } else if (action instanceof MeshAction.NotDelivered n) {
        out.line(notDelivered(n.destination(), reason(n.reason())));
      } else if (action instanceof MeshAction.NeighbourDead n) {
        log.info("mesh: {} went silent for {} ms; routes through it withdrawn", Lines.printable(n.neighbour()),
            (long) config.helloIntervalMillis() * config.deadAfterHellos());
      } else if (action instanceof MeshAction.Dropped d) {
        note(true, "mesh: dropped a frame from " + Lines.printable(d.neighbour()) + " (" + d.reason() + ")");
      }
    }
  }

  private void send(String neighbour, MeshFrame frame) {
    HostPort to = links.get(neighbour);
    if (to == null) {
      return; // only ever to a mesh link
    }
    if (!lanes.send(neighbour, to, MeshCodec.encode(self, frame))) {
      note(false, "mesh: dropped a frame for " + Lines.printable(neighbour) + ": " + lanes.perLane()
          + " wait for it already (or too many for all)");
    }
  }

  /** On the neighbour's send lane: the link goes down in the core (once), as for any failed send. */
  private void sendFailed(String neighbour, Exception error) {
    execute(() -> {
      if (links.containsKey(neighbour) && node.neighbours().contains(neighbour)) {
        log.info("mesh: sending to {} failed ({}); routes through it withdrawn", Lines.printable(neighbour),
            error.getMessage());
        apply(node.linkDown(clock.millis(), neighbour));
      }
    });
  }

  private String reason(MeshAction.Reason reason) {
    switch (reason) {
      case NO_ROUTE:
        return "no route through the mesh (\"list network\" shows who is reachable)";
      case NO_ACK:
        return "no acknowledgement within " + config.deliveryDeadlineMillis() / 1000 + " s (it may still have arrived)";
      case TOO_MANY_PENDING:
        return "too many messages awaiting acknowledgement; try again shortly";
      default:
        return "not a peer name this peer can send to";
    }
  }

  private static String notDelivered(String destination, String why) {
    return "not delivered to " + Lines.printable(destination) + ": " + why;
  }

  /**
   * A log line, at most 20 a second (hostile input must not flood the log). A frame the core dropped (flooded,
   * malformed, forged) is a warning, so that the default log level keeps it; a stray frame after a link went is
   * routine.
   */
  private void note(boolean warn, String line) {
    long second = clock.millis() / 1000;
    if (second != logWindow) {
      logWindow = second;
      logged = 0;
    }
    if (logged++ < 20) {
      if (warn) {
        log.warn(Lines.printable(line));
      } else {
        log.info(Lines.printable(line));
      }
    }
  }

  private void execute(Runnable r) {
    try {
      thread.execute(() -> {
        try {
          r.run();
        } catch (RuntimeException e) {
          log.warn("mesh: event failed", e);
        }
      });
    } catch (RejectedExecutionException e) {
      // closing
    }
  }

  private <T> T onMeshThread(java.util.concurrent.Callable<T> task) {
    try {
      Future<T> f = thread.submit(task);
      return f.get(ANSWER.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException e) {
      log.warn("mesh: no answer from the mesh thread", e);
      return null;
    }
  }
}
