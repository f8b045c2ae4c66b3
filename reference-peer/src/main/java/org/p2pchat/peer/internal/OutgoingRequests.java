package org.p2pchat.peer.internal;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.p2pchat.cli.Failures;
import org.p2pchat.cli.Durations;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatAccept;
import org.p2pchat.protocol.model.ChatRefuse;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.MessageContext;
import org.p2pchat.sdk.PendingReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chat requests this peer sends, each a pending question keyed by its target with a deadline. An
 * answer completes only the request it is for; a CHAT_ACCEPT nobody asked for is ignored.
 */
public final class OutgoingRequests {
  private static final Logger log = LoggerFactory.getLogger(OutgoingRequests.class);

  /** What a request's future completes with; CHAT_REFUSE carries nothing, so refuse is null. */
  private record Answer(ChatAccept accept) {}

  private final Identity me;
  private final Outbox outbox;
  private final PeerOutput out;
  private final ConnectedPeers connected;
  private final Duration answerTimeout;
  private final Capabilities capabilities;
  /** How long the other side is assumed to let a request wait (ours: --request-expiry) before refusing it. */
  private final Duration theirExpiry;
  private final Clock clock;
  private final PendingReplies<OutgoingRequest, Answer> pending = new PendingReplies<>();
  /** The same requests, for {@code pending}: PendingReplies keeps its keys to itself. */
  private final Map<HostPort, OutgoingRequest> waiting = new LinkedHashMap<>();

  public OutgoingRequests(Identity me, Outbox outbox, PeerOutput out, ConnectedPeers connected,
      Duration answerTimeout, Capabilities capabilities, Duration theirExpiry, Clock clock) {
    this.me = me;
    this.outbox = outbox;
    this.out = out;
    this.connected = connected;
    this.answerTimeout = answerTimeout;
    this.capabilities = capabilities;
    this.theirExpiry = theirExpiry;
    this.clock = clock;
  }

  public void registerHandlers(Dispatcher dispatcher) {
    dispatcher.on(ChatAccept.class, this::onAccept);
    dispatcher.on(ChatRefuse.class, (refuse, ctx) -> onRefuse(ctx));
  }

  /** {@code chat request HOST PORT}. */
  public void request(HostPort target) {
    request(target, null);
  }

  private void request(HostPort target, String name) {
    for (Map.Entry<String, HostPort> peer : connected.snapshot().entrySet()) {
      if (sameEndpoint(peer.getValue(), target)) {
        alreadyConnected(peer.getKey(), peer.getValue());
        return;
      }
    }
    OutgoingRequest request = OutgoingRequest.to(target, name, clock.instant());
    if (pending.isPending(request)) {
      out.line("already waiting for " + target + " to answer a chat request");
      return;
    }
    synchronized (waiting) {
      waiting.put(target, request);
    }
    // Expect before sending: a quick peer may answer before send() returns.
    pending.expect(request, answerTimeout).whenComplete((answer, error) -> settle(request, answer, error));
    out.line("sending chat request to " + target);
    if (!outbox.send(target, me.chatRequest())) {
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
    request(address, peername);
  }

  public int pendingCount() {
    return pending.size();
  }

  private void settle(OutgoingRequest request, Answer answer, Throwable error) {
    synchronized (waiting) {
      waiting.remove(request.target(), request);
    }
    if (answer != null && answer.accept() != null) {
      ChatAccept accept = answer.accept();
      // Chat at the address we reached; the advertised one is shown, as in 2018.
      capabilities.record(accept.getPeername(), accept.getFeatures());
      connected.put(accept.getPeername(), request.target());
      out.line(Lines.chatAccept(accept.getPeername(), new HostPort(accept.getHost(), accept.getPort())));
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
    Answer answer = new Answer(accept);
    boolean matched = pending.completeOldest(r -> r.target().equals(answerer), answer)
        || pending.completeOldest(r -> r.answeredBy(answerer, source), answer);
    if (!matched) {
      log.warn("ignored CHAT_ACCEPT from {} ({} --- {}): no chat request of ours is waiting for it",
          ctx.remote(), Lines.printable(accept.getPeername()), answerer);
    }
  }

  private void onRefuse(MessageContext ctx) {
    InetAddress source = ctx.remote() == null ? null : ctx.remote().getAddress();
    Answer refuse = new Answer(null);
    // CHAT_REFUSE says nothing about who sends it: match the connection's source address, or the
    // only request waiting.
    boolean matched = pending.completeOldest(r -> r.cameFrom(source), refuse)
        || (pending.size() == 1 && pending.completeOldest(r -> true, refuse));
    if (!matched) {
      log.warn("ignored CHAT_REFUSE from {}: no chat request of ours matches it", ctx.remote());
    }
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
