package org.p2pchat.peer.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.p2pchat.cli.Durations;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatRefuse;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.MessageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat requests from other peers, each a pending item with its own deadline: {@code yes}/{@code no}
 * answer one named request (or the oldest), never a global flag, and an unanswered request is refused
 * when it expires. Receiving a request never waits for the user.
 */
public final class IncomingRequests {
  private static final Logger log = LoggerFactory.getLogger(IncomingRequests.class);
  /** Beyond this many unanswered requests, new ones are refused at once. */
  static final int MAX_PENDING = 64;

  private final Identity me;
  private final Outbox outbox;
  private final PeerOutput out;
  private final ConnectedPeers connected;
  private final Duration expiry;
  private final boolean autoAccept;
  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final Map<Long, IncomingRequest> pending = new LinkedHashMap<>();
  private final PeerFeatures features;
  private long nextId = 1;

  public IncomingRequests(Identity me, Outbox outbox, PeerOutput out, ConnectedPeers connected, Duration expiry,
      boolean autoAccept, ScheduledExecutorService timer, Clock clock, PeerFeatures features) {
    this.features = features;
    this.me = me;
    this.outbox = outbox;
    this.out = out;
    this.connected = connected;
    this.expiry = expiry;
    this.autoAccept = autoAccept;
    this.timer = timer;
    this.clock = clock;
  }

  public void registerHandlers(Dispatcher dispatcher) {
    dispatcher.on(ChatRequest.class, this::onRequest);
  }

  private void onRequest(ChatRequest request, MessageContext ctx) {
    String name = request.getPeername();
    HostPort address = new HostPort(request.getHost(), request.getPort());
    features.record(name, request.getFeatures());
    if (autoAccept) {
      out.line(Lines.chatRequest(name, address));
      acceptInBackground(name, address);
      return;
    }
    // Queued before it is shown, so an answer typed the moment it shows finds it.
    IncomingRequest item = add(name, address);
    out.line(Lines.chatRequest(name, address));
    if (item == null) {
      log.warn("refused chat request from {} ({}): {} requests already wait for an answer", ctx.remote(),
          Lines.named(name, address), MAX_PENDING);
      out.line("too many chat requests waiting; refused " + Lines.named(name, address));
      outbox.sendInBackground(address, new ChatRefuse());
      return;
    }
    out.line(Lines.PLEASE_ANSWER);
    try {
      timer.schedule(() -> expire(item), expiry.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("not scheduling the expiry of {}: shutting down", item.describe());
    }
  }

  /** {@code yes}/{@code no}, optionally naming the requester; says which request it answered. */
  public void answer(boolean accept, String peername) {
    IncomingRequest item = takeOldest(peername);
    if (item == null) {
      out.line(peername == null ? "no chat request is pending"
          : "no chat request from " + Lines.printable(peername) + " is pending");
      return;
    }
    if (accept) {
      // Record first: the requester may send a message as soon as our accept reaches it.
      connected.put(item.peername(), item.address());
      if (outbox.send(item.address(), me.chatAccept())) {
        out.line("accepted chat request from " + item.describe());
      } else {
        connected.remove(item.peername(), item.address());
      }
    } else if (outbox.send(item.address(), new ChatRefuse())) {
      out.line("refused chat request from " + item.describe());
    }
    int left = size();
    if (left > 0) {
      out.line(left + " more chat request" + (left == 1 ? "" : "s") + " pending (\"pending\" lists them)");
    }
  }

  /** When the oldest request waiting (from {@code peername}, or anyone if null) arrived; null if none waits. */
  public Instant oldestArrival(String peername) {
    synchronized (pending) {
      for (IncomingRequest item : pending.values()) {
        if (peername == null || item.peername().equals(peername)) {
          return item.deadline().minus(expiry);
        }
      }
      return null;
    }
  }

  /** {@code pending}. */
  public void list() {
    List<IncomingRequest> items = snapshot();
    if (items.isEmpty()) {
      out.line("no chat request is pending");
      return;
    }
    out.line("pending chat requests:");
    Instant now = clock.instant();
    for (IncomingRequest item : items) {
      Duration left = Duration.between(now, item.deadline());
      out.line("    " + item.describe() + " (expires in "
          + Durations.describe(left.isNegative() ? Duration.ZERO : left) + ")");
    }
  }

  /** Refuses every request still waiting, for exit; the futures complete once each is sent or failed. */
  public List<CompletableFuture<Boolean>> refuseAll() {
    List<IncomingRequest> items;
    synchronized (pending) {
      items = new ArrayList<>(pending.values());
      pending.clear();
    }
    List<CompletableFuture<Boolean>> sends = new ArrayList<>();
    for (IncomingRequest item : items) {
      sends.add(outbox.sendInBackground(item.address(), new ChatRefuse()));
    }
    return sends;
  }

  /** Names of the peers waiting for an answer, for completion. */
  public List<String> requesterNames() {
    List<String> names = new ArrayList<>();
    for (IncomingRequest item : snapshot()) {
      names.add(item.peername());
    }
    return names;
  }

  public int size() {
    synchronized (pending) {
      return pending.size();
    }
  }

  private void acceptInBackground(String name, HostPort address) {
    connected.put(name, address);
    outbox.sendInBackground(address, me.chatAccept()).thenAccept(sent -> {
      if (sent) {
        out.line("accepted chat request from " + Lines.named(name, address) + " (auto-accept)");
      } else {
        connected.remove(name, address);
      }
    });
  }

  private void expire(IncomingRequest item) {
    boolean stillPending;
    synchronized (pending) {
      stillPending = pending.remove(item.id(), item);
    }
    if (stillPending) {
      out.line("chat request from " + item.describe() + " expired after " + Durations.describe(expiry)
          + "; refused");
      outbox.sendInBackground(item.address(), new ChatRefuse());
    }
  }

  private IncomingRequest add(String name, HostPort address) {
    synchronized (pending) {
      if (pending.size() >= MAX_PENDING) {
        return null;
      }
      IncomingRequest item = new IncomingRequest(nextId++, name, address, clock.instant().plus(expiry));
      pending.put(item.id(), item);
      return item;
    }
  }

  private IncomingRequest takeOldest(String peername) {
    synchronized (pending) {
      Iterator<IncomingRequest> it = pending.values().iterator();
      while (it.hasNext()) {
        IncomingRequest item = it.next();
        if (peername == null || item.peername().equals(peername)) {
          it.remove();
          return item;
        }
      }
      return null;
    }
  }

  private List<IncomingRequest> snapshot() {
    synchronized (pending) {
      return new ArrayList<>(pending.values());
    }
  }
}
