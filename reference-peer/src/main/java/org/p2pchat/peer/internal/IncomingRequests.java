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
import org.p2pchat.identity.Endpoint;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.HandshakeFields;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityKey;
import org.p2pchat.identity.ResponderHandshake;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatConfirm;
import org.p2pchat.protocol.model.ChatRefuse;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.MessageContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat requests from other peers, each a pending item with its own deadline: {@code yes}/{@code no}
 * answer one named request (or the oldest), never a global flag, and an unanswered request is refused
 * when it expires. Receiving a request never waits for the user. A request from an identity-v1 peer is the
 * first message of the handshake (docs/identity.md): its name is only claimed until CHAT_CONFIRM verifies, and
 * the peer counts as connected only then.
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
  private final PeerTrust trust;
  private final AwaitingConfirm awaiting;
  private final Conversations conversations;
  private final Map<Long, IncomingRequest> pending = new LinkedHashMap<>();
  private long nextId = 1;

  private final Capabilities capabilities;

  public IncomingRequests(Identity me, Outbox outbox, PeerOutput out, ConnectedPeers connected, Duration expiry,
      boolean autoAccept, ScheduledExecutorService timer, Clock clock, Capabilities capabilities) {
    this(me, outbox, out, connected, expiry, autoAccept, timer, clock, capabilities, null, new AwaitingConfirm(),
        null);
  }

  IncomingRequests(Identity me, Outbox outbox, PeerOutput out, ConnectedPeers connected, Duration expiry,
      boolean autoAccept, ScheduledExecutorService timer, Clock clock, Capabilities capabilities, PeerTrust trust,
      AwaitingConfirm awaiting, Conversations conversations) {
    this.capabilities = capabilities;
    this.trust = trust;
    this.awaiting = awaiting;
    this.conversations = conversations;
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
    if (trust != null) {
      dispatcher.on(ChatConfirm.class, this::onConfirm);
    }
  }

  private void onRequest(ChatRequest request, MessageContext ctx) {
    String name = request.getPeername();
    HostPort address = new HostPort(request.getHost(), request.getPort());
    ResponderHandshake handshake = null;
    String claim = "";
    if (trust != null) {
      if (PeerTrust.advertises(ctx.tree().get("msgdata"))) {
        try {
          handshake = ResponderHandshake.receive(trust.keys(), me.endpoint(),
              new Endpoint(name, request.getHost(), request.getPort()),
              PeerTrust.fields(ctx.tree().get("msgdata")), trust.config(), trust.random());
        } catch (IdentityException e) {
          trust.refused("chat request claiming to be " + name + " from " + ctx.remote() + " (" + e.reason() + "): "
              + e.getMessage());
          return;
        }
        claim = " (claims key " + handshake.claimedKey().fingerprint() + ", " + pinHint(name, handshake.claimedKey())
            + "; verified only once it confirms)";
      } else if (trust.known().observeUnverified(name)) {
        trust.refused("unauthenticated chat request in the name of " + name + " from " + ctx.remote()
            + " (" + name + " is a verified peer)");
        return;
      }
    }
    capabilities.record(name, request.getFeatures());
    if (autoAccept) {
      out.line(Lines.chatRequest(name, address) + claim);
      acceptInBackground(name, address, handshake);
      return;
    }
    // Queued before it is shown, so an answer typed the moment it shows finds it.
    IncomingRequest item = add(name, address, handshake);
    out.line(Lines.chatRequest(name, address) + claim);
    if (item == null) {
      log.warn("refused chat request from {} ({}): {} requests already wait for an answer", ctx.remote(),
          Lines.named(name, address), MAX_PENDING);
      out.line("too many chat requests waiting; refused " + Lines.named(name, address));
      outbox.sendInBackground(address, refusal(handshake));
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
    if (accept && item.handshake() != null) {
      ChatAccept signed = signedAccept(item.peername(), item.address(), item.handshake());
      if (signed != null && outbox.send(item.address(), signed)) {
        out.line("accepted chat request from " + item.describe() + "; waiting for it to confirm its key");
      }
    } else if (accept) {
      // Record first: the requester may send a message as soon as our accept reaches it.
      connected.put(item.peername(), item.address());
      if (outbox.send(item.address(), me.chatAccept())) {
        out.line("accepted chat request from " + item.describe());
      } else {
        connected.remove(item.peername(), item.address());
      }
    } else if (outbox.send(item.address(), refusal(item.handshake()))) {
      out.line("refused chat request from " + item.describe());
    }
    int left = size();
    if (left > 0) {
      out.line(left + " more chat request" + (left == 1 ? "" : "s") + " pending (\"pending\" lists them)");
    }
  }

  /** The lines of {@code pending} for requests waiting for this user's answer, with age and expiry. */
  public List<String> pendingLines() {
    List<String> lines = new ArrayList<>();
    Instant now = clock.instant();
    for (IncomingRequest item : snapshot()) {
      Duration left = Duration.between(now, item.deadline());
      Duration age = expiry.minus(left);
      lines.add("    from " + item.describe() + ", asked " + Math.max(0, age.toSeconds()) + " s ago (expires in "
          + Durations.describe(left.isNegative() ? Duration.ZERO : left.truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
          + "; yes/no " + Lines.printable(item.peername()) + " answers it)");
    }
    return lines;
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
      sends.add(outbox.sendInBackground(item.address(), refusal(item.handshake())));
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

  private void acceptInBackground(String name, HostPort address, ResponderHandshake handshake) {
    if (handshake != null) {
      ChatAccept signed = signedAccept(name, address, handshake);
      if (signed != null) {
        outbox.sendInBackground(address, signed).thenAccept(sent -> {
          if (sent) {
            out.line("accepted chat request from " + Lines.named(name, address)
                + " (auto-accept); waiting for it to confirm its key");
          }
        });
      }
      return;
    }
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
      outbox.sendInBackground(item.address(), refusal(item.handshake()));
    }
  }

  /** The CHAT_ACCEPT with our signature over the transcript; the handshake now waits for CHAT_CONFIRM. */
  private ChatAccept signedAccept(String name, HostPort address, ResponderHandshake handshake) {
    HandshakeFields f;
    try {
      f = handshake.accept(trust.now());
    } catch (IdentityException e) {
      out.line("cannot accept the chat request from " + Lines.named(name, address) + ": " + e.getMessage());
      return null;
    }
    awaiting.put(name, handshake, address);
    try {
      long wait = trust.config().confirmTimeout().toMillis();
      timer.schedule(() -> {
        AwaitingConfirm.Entry e = awaiting.get(name);
        if (e != null && e.handshake() == handshake && awaiting.remove(name, e)) {
          out.line("chat request from " + Lines.named(name, address) + " was never confirmed; not connected");
        }
      }, wait, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("not scheduling the confirm deadline of {}: shutting down", name);
    }
    return me.chatAccept().withFeatures(new java.util.LinkedHashSet<>(f.features())).withIdkey(f.idkey()).withEphkey(f.ephkey())
        .withNonce(f.nonce()).withSig(f.sig());
  }

  /** CHAT_CONFIRM: the initiator proves its key; only now is it a connected, verified peer. */
  private void onConfirm(ChatConfirm confirm, MessageContext ctx) {
    String name = confirm.getPeername();
    AwaitingConfirm.Entry entry = awaiting.get(name);
    if (entry == null) {
      trust.refused("CHAT_CONFIRM in the name of " + name + " from " + ctx.remote() + ": no accepted chat request "
          + "from " + name + " waits for it (forged or replayed)");
      return;
    }
    Handshake.Result result;
    try {
      result = entry.handshake().onConfirm(name, confirm.getSig(), null, trust.now());
    } catch (IdentityException e) {
      trust.refused("CHAT_CONFIRM in the name of " + name + " from " + ctx.remote() + " (" + e.reason() + "): "
          + e.getMessage());
      if (e.reason() == IdentityException.Reason.EXPIRED) {
        awaiting.remove(name, entry);
      }
      return;
    }
    awaiting.remove(name, entry);
    if (!trust.acceptVerified(name, result.peerKey())) {
      return;
    }
    connected.put(name, entry.address(), result.session());
    out.line(Lines.verifiedChat(name, entry.address(), result.peerKey(), result.session()));
    for (Handshake.Opened opened : result.early()) {
      conversations.deliverOpened(name, opened);
    }
    if (result.earlyRejected() > 0) {
      trust.refused(result.earlyRejected() + " sealed message(s) held for " + name + " did not open");
    }
  }

  /** The refusal for a request: signed to an identity-v1 initiator, {@code {}} to anyone else (2018). */
  private ChatRefuse refusal(ResponderHandshake handshake) {
    if (handshake == null) {
      return new ChatRefuse();
    }
    try {
      HandshakeFields f = handshake.refuse();
      return new ChatRefuse().withPeername(me.name()).withFeatures(new java.util.LinkedHashSet<>(f.features())).withIdkey(f.idkey())
          .withSig(f.sig());
    } catch (IdentityException e) {
      return new ChatRefuse();
    }
  }

  private String pinHint(String name, IdentityKey claimed) {
    var whois = trust.known().whois(name);
    if (whois.pinned() == null) {
      return "new key";
    }
    return whois.pinned().matches(claimed) ? "key matches pin" : "KEY DIFFERS FROM PIN";
  }

  private IncomingRequest add(String name, HostPort address) {
    return add(name, address, null);
  }

  private IncomingRequest add(String name, HostPort address, ResponderHandshake handshake) {
    synchronized (pending) {
      if (pending.size() >= MAX_PENDING) {
        return null;
      }
      IncomingRequest item = new IncomingRequest(nextId++, name, address, clock.instant().plus(expiry), handshake);
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
