package org.p2pchat.peer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.p2pchat.cli.Durations;
import org.p2pchat.cli.Failures;
import org.p2pchat.identity.Endpoint;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.HandshakeFields;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityKey;
import org.p2pchat.identity.InitiatorHandshake;
import org.p2pchat.identity.Session;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatConfirm;
import org.p2pchat.protocol.model.ChatRefuse;
import org.p2pchat.protocol.model.ChatRequest;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.MessageContext;
import org.p2pchat.sdk.PendingReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat requests this peer sends, each a pending question keyed by its target with a deadline. An
 * answer completes only the request it is for; a CHAT_ACCEPT nobody asked for is ignored. With an identity,
 * each request starts the identity-v1 handshake: a signed CHAT_ACCEPT must verify (and its key match the pin,
 * or the key a server-signed LISTPEER reply listed) before the peer counts as connected; a forged or unsigned
 * answer in a verified peer's name changes nothing, and the genuine answer is still served.
 */
public final class OutgoingRequests {
  private static final Logger log = LoggerFactory.getLogger(OutgoingRequests.class);

  /** What a request's future completes with; CHAT_REFUSE carries nothing, so refuse is null. */
  private record Answer(ChatAccept accept, Session session, IdentityKey key) {}

  /** The handshake of one identity request, and the name and key it expects (null when not known). */
  private record Attempt(InitiatorHandshake handshake, String expectedName, IdentityKey expectedKey) {}

  private final Identity me;
  private final Outbox outbox;
  private final PeerOutput out;
  private final ConnectedPeers connected;
  private final Duration answerTimeout;
  private final PeerTrust trust;
  private final Function<String, IdentityKey> listedKey;
  private final Capabilities capabilities;
  /** How long the other side is assumed to let a request wait (ours: --request-expiry) before refusing it. */
  private final Duration theirExpiry;
  private final Clock clock;
  private final PendingReplies<OutgoingRequest, Answer> pending = new PendingReplies<>();
  private final Map<OutgoingRequest, Attempt> attempts = new ConcurrentHashMap<>();
  /** The same requests, for {@code pending}: PendingReplies keeps its keys to itself. */
  private final Map<HostPort, OutgoingRequest> waiting = new LinkedHashMap<>();

  public OutgoingRequests(Identity me, Outbox outbox, PeerOutput out, ConnectedPeers connected,
      Duration answerTimeout, Capabilities capabilities, Duration theirExpiry, Clock clock) {
    this(me, outbox, out, connected, answerTimeout, capabilities, theirExpiry, clock, null, name -> null);
  }

  OutgoingRequests(Identity me, Outbox outbox, PeerOutput out, ConnectedPeers connected, Duration answerTimeout,
      Capabilities capabilities, Duration theirExpiry, Clock clock, PeerTrust trust,
      Function<String, IdentityKey> listedKey) {
    this.me = me;
    this.outbox = outbox;
    this.out = out;
    this.connected = connected;
    this.answerTimeout = answerTimeout;
    this.trust = trust;
    this.listedKey = listedKey;
    this.capabilities = capabilities;
    this.theirExpiry = theirExpiry;
    this.clock = clock;
  }

  public void registerHandlers(Dispatcher dispatcher) {
    dispatcher.on(ChatAccept.class, this::onAccept);
    dispatcher.on(ChatRefuse.class, this::onRefuse);
  }

  /** {@code chat request HOST PORT}. */
  public void request(HostPort target) {
    requestAs(target, null);
  }

  /** {@code chat request HOST PORT} to an address the last listpeer named: that name's pin and key apply. */
  public void request(HostPort target, Map<String, HostPort> lastPeerList) {
    String named = null;
    for (Map.Entry<String, HostPort> e : lastPeerList.entrySet()) {
      if (e.getValue().equals(target)) {
        named = e.getKey();
      }
    }
    requestAs(target, named);
  }

  private void requestAs(HostPort target, String expectedName) {
    for (Map.Entry<String, HostPort> peer : connected.snapshot().entrySet()) {
      if (sameEndpoint(peer.getValue(), target)) {
        alreadyConnected(peer.getKey(), peer.getValue());
        return;
      }
    }
    OutgoingRequest request = OutgoingRequest.to(target, expectedName, clock.instant());
    if (pending.isPending(request)) {
      out.line("already waiting for " + target + " to answer a chat request");
      return;
    }
    ChatRequest message = me.chatRequest();
    if (trust != null) {
      IdentityKey expected = expectedName == null ? null : listedKey.apply(expectedName);
      if (expected == null && expectedName != null) {
        expected = trust.pinnedKey(expectedName).orElse(null);
      }
      InitiatorHandshake handshake = InitiatorHandshake.start(trust.keys(), me.endpoint(), expected, trust.config(),
          trust.random(), trust.now());
      HandshakeFields f = handshake.requestFields();
      message.withFeatures(new java.util.LinkedHashSet<>(f.features())).withIdkey(f.idkey()).withEphkey(f.ephkey()).withNonce(f.nonce());
      attempts.put(request, new Attempt(handshake, expectedName, expected));
    }
    synchronized (waiting) {
      waiting.put(target, request);
    }
    // Expect before sending: a quick peer may answer before send() returns.
    pending.expect(request, answerTimeout).whenComplete((answer, error) -> settle(request, answer, error));
    out.line("sending chat request to " + target);
    if (!outbox.send(target, message)) {
      pending.fail(request, new IllegalStateException("not sent"));
    }
  }

  /** The lines of {@code pending} for our own requests: to whom, how long ago, when we give up. */
  public List<String> pendingLines() {
    List<OutgoingRequest> items;
    synchronized (waiting) {
      items = new ArrayList<>(waiting.values());
    }
    Instant now = clock.instant();
    List<String> lines = new ArrayList<>();
    for (OutgoingRequest r : items) {
      Duration age = Duration.between(r.sentAt(), now);
      Duration left = answerTimeout.minus(age);
      lines.add("    to " + r.describe() + ", sent " + seconds(age) + " ago (waiting for their answer; we give up in "
          + seconds(left) + ")");
    }
    return lines;
  }

  /** {@code chat request PEERNAME}, with the address from the last listpeer. */
  public void request(String peername, Map<String, HostPort> lastPeerList) {
    HostPort connectedAt = connected.get(peername);
    if (connectedAt != null) {
      alreadyConnected(peername, connectedAt);
      return;
    }
    HostPort address = lastPeerList.get(peername);
    if (address == null) {
      out.line("unknown peer " + Lines.printable(peername)
          + ": not in the last listpeer (run listpeer, or use chat request HOST PORT)");
      return;
    }
    requestAs(address, peername);
  }

  public int pendingCount() {
    return pending.size();
  }

  private void settle(OutgoingRequest request, Answer answer, Throwable error) {
    attempts.remove(request);
    synchronized (waiting) {
      waiting.remove(request.target(), request);
    }
    if (answer != null && answer.accept() != null) {
      ChatAccept accept = answer.accept();
      // Chat at the address we reached; the advertised one is shown, as in 2018.
      capabilities.record(accept.getPeername(), accept.getFeatures());
      connected.put(accept.getPeername(), request.target(), answer.session());
      HostPort advertised = new HostPort(accept.getHost(), accept.getPort());
      out.line(Lines.chatAccept(accept.getPeername(), advertised));
      if (answer.session() != null) {
        out.line(Lines.verifiedChat(accept.getPeername(), advertised, answer.key(), answer.session()));
      }
    } else if (answer != null) {
      out.line(Lines.CHAT_REFUSE);
      Duration waited = Duration.between(request.sentAt(), clock.instant());
      // CHAT_REFUSE carries nothing: a refusal that comes when their expiry would have run out is one.
      if (waited.compareTo(theirExpiry.minusSeconds(1)) >= 0) {
        out.line("refused by " + request.describe() + " after " + seconds(waited)
            + ": the request expired there unanswered");
      } else {
        out.line("refused by " + request.describe() + " after " + seconds(waited) + ": they answered no");
      }
    } else if (unwrap(error) instanceof TimeoutException) {
      out.line("no answer to the chat request to " + request.target() + " within "
          + Durations.describe(answerTimeout) + "; gave up");
    }
  }

  private void onAccept(ChatAccept accept, MessageContext ctx) {
    HostPort answerer = new HostPort(accept.getHost(), accept.getPort());
    InetAddress source = ctx.remote() == null ? null : ctx.remote().getAddress();
    String name = accept.getPeername();
    if (trust != null) {
      JsonNode msgdata = ctx.tree().get("msgdata");
      List<OutgoingRequest> candidates = new ArrayList<>();
      for (OutgoingRequest r : attempts.keySet()) {
        if (r.target().equals(answerer) || r.answeredBy(answerer, source)) {
          candidates.add(r);
        }
      }
      if (PeerTrust.advertises(msgdata)) {
        acceptSigned(accept, PeerTrust.fields(msgdata), candidates, ctx);
        return;
      }
      for (OutgoingRequest r : candidates) {
        Attempt a = attempts.get(r);
        if (a != null && a.expectedKey() != null) {
          trust.refused("unsigned CHAT_ACCEPT from " + ctx.remote() + " answering a request to " + r.target()
              + ", whose key the server listed");
          return;
        }
      }
      if (trust.known().observeUnverified(name)) {
        trust.refused("unauthenticated CHAT_ACCEPT in the name of " + name + " from " + ctx.remote() + " ("
            + name + " is a verified peer)");
        return;
      }
    }
    Answer answer = new Answer(accept, null, null);
    boolean matched = pending.completeOldest(r -> r.target().equals(answerer), answer)
        || pending.completeOldest(r -> r.answeredBy(answerer, source), answer);
    if (!matched) {
      log.warn("ignored CHAT_ACCEPT from {} ({} --- {}): no chat request of ours is waiting for it",
          ctx.remote(), Lines.printable(name), answerer);
    }
  }

  private void acceptSigned(ChatAccept accept, HandshakeFields fields, List<OutgoingRequest> candidates,
      MessageContext ctx) {
    String name = accept.getPeername();
    if (candidates.isEmpty()) {
      trust.refused("CHAT_ACCEPT in the name of " + name + " from " + ctx.remote()
          + ": no chat request of ours is waiting for it");
      return;
    }
    Endpoint responder = new Endpoint(name, accept.getHost(), accept.getPort());
    IdentityException last = null;
    for (OutgoingRequest r : candidates) {
      Attempt a = attempts.get(r);
      if (a == null) {
        continue;
      }
      Handshake.InitiatorResult result;
      try {
        result = a.handshake().onAccept(responder, fields, trust.now());
      } catch (IdentityException e) {
        last = e;
        continue;
      }
      if (!trust.acceptVerified(name, result.peerKey())) {
        pending.fail(r, new IllegalStateException("key changed"));
        return;
      }
      // Connected with the session before the confirm leaves: what we seal next is held until it verifies.
      pending.complete(r, new Answer(accept, result.session(), result.peerKey()));
      outbox.sendInBackground(r.target(), new ChatConfirm().withPeername(me.name()).withSig(result.confirmSig()));
      return;
    }
    trust.refused("CHAT_ACCEPT in the name of " + name + " from " + ctx.remote()
        + (last == null ? "" : " (" + last.reason() + "): " + last.getMessage()));
  }

  private void onRefuse(ChatRefuse refuse, MessageContext ctx) {
    InetAddress source = ctx.remote() == null ? null : ctx.remote().getAddress();
    Answer answer = new Answer(null, null, null);
    if (trust != null) {
      JsonNode msgdata = ctx.tree().get("msgdata");
      if (PeerTrust.advertises(msgdata) || refuse.getSig() != null) {
        refuseSigned(refuse, PeerTrust.fields(msgdata), source, ctx);
        return;
      }
      // An unsigned refusal may come from a 2018 peer; never for a request to a peer known to hold a key.
      List<OutgoingRequest> matching = new ArrayList<>();
      attempts.forEach((r, a) -> {
        if (r.cameFrom(source) || attempts.size() == 1) {
          matching.add(r);
        }
      });
      for (OutgoingRequest r : matching) {
        Attempt a = attempts.get(r);
        if (a != null && (a.expectedKey() != null
            || (a.expectedName() != null && trust.isPinned(a.expectedName())))) {
          trust.refused("unsigned CHAT_REFUSE from " + ctx.remote() + " for the request to "
              + Lines.printable(a.expectedName()) + ", a verified peer");
          return;
        }
      }
    }
    // CHAT_REFUSE says nothing about who sends it: match the connection's source address, or the
    // only request waiting.
    boolean matched = pending.completeOldest(r -> r.cameFrom(source), answer)
        || (pending.size() == 1 && pending.completeOldest(r -> true, answer));
    if (!matched) {
      log.warn("ignored CHAT_REFUSE from {}: no chat request of ours matches it", ctx.remote());
    }
  }

  private void refuseSigned(ChatRefuse refuse, HandshakeFields fields, InetAddress source, MessageContext ctx) {
    String name = refuse.getPeername();
    if (name == null) {
      trust.refused("signed CHAT_REFUSE from " + ctx.remote() + " without peername");
      return;
    }
    IdentityException last = null;
    for (Map.Entry<OutgoingRequest, Attempt> e : attempts.entrySet()) {
      OutgoingRequest r = e.getKey();
      try {
        IdentityKey key = e.getValue().handshake().onRefuse(new Endpoint(name, r.target().host(), r.target().port()),
            fields, trust.now());
        if (!trust.acceptVerified(name, key)) {
          pending.fail(r, new IllegalStateException("key changed"));
          return;
        }
        pending.complete(r, new Answer(null, null, null));
        return;
      } catch (IdentityException ex) {
        last = ex;
      }
    }
    trust.refused("CHAT_REFUSE in the name of " + name + " from " + ctx.remote()
        + (last == null ? ": no chat request of ours waits for it" : " (" + last.reason() + "): " + last.getMessage()));
  }

  private void alreadyConnected(String name, HostPort address) {
    out.line("already connected to " + Lines.named(name, address) + "; no chat request sent (\"talk "
        + Lines.printable(name) + "\" to chat)");
  }

  /** Equal, or the same port on two spellings of this machine (a 2018 peer advertises "localhost"). */
  private static boolean sameEndpoint(HostPort a, HostPort b) {
    if (a.equals(b)) {
      return true;
    }
    return a.port() == b.port() && isLoopback(a.host()) && isLoopback(b.host());
  }

  private static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
  }

  private static String seconds(Duration d) {
    return Math.max(0, d.toSeconds()) + " s";
  }

  private static Throwable unwrap(Throwable error) {
    return Failures.unwrap(error);
  }
}
