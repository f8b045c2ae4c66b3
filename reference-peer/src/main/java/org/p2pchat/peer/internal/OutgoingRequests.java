package org.p2pchat.peer.internal;

import java.net.InetAddress;
import java.time.Duration;
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
  private final PendingReplies<OutgoingRequest, Answer> pending = new PendingReplies<>();
  private final PeerFeatures features;

  public OutgoingRequests(Identity me, Outbox outbox, PeerOutput out, ConnectedPeers connected,
      Duration answerTimeout, PeerFeatures features) {
    this.features = features;
    this.me = me;
    this.outbox = outbox;
    this.out = out;
    this.connected = connected;
    this.answerTimeout = answerTimeout;
  }

  public void registerHandlers(Dispatcher dispatcher) {
    dispatcher.on(ChatAccept.class, this::onAccept);
    dispatcher.on(ChatRefuse.class, (refuse, ctx) -> onRefuse(ctx));
  }

  /** {@code chat request HOST PORT}. */
  public void request(HostPort target) {
    OutgoingRequest request = OutgoingRequest.to(target);
    if (pending.isPending(request)) {
      out.line("already waiting for " + target + " to answer a chat request");
      return;
    }
    // Expect before sending: a quick peer may answer before send() returns.
    pending.expect(request, answerTimeout).whenComplete((answer, error) -> settle(request, answer, error));
    out.line("sending chat request to " + target);
    if (!outbox.send(target, me.chatRequest())) {
      pending.fail(request, new IllegalStateException("not sent"));
    }
  }

  /** {@code chat request PEERNAME}, with the address from the last listpeer. */
  public void request(String peername, Map<String, HostPort> lastPeerList) {
    HostPort address = lastPeerList.get(peername);
    if (address == null) {
      out.line("unknown peer " + Lines.printable(peername)
          + ": not in the last listpeer (run listpeer, or use chat request HOST PORT)");
      return;
    }
    request(address);
  }

  public int pendingCount() {
    return pending.size();
  }

  private void settle(OutgoingRequest request, Answer answer, Throwable error) {
    if (answer != null && answer.accept() != null) {
      ChatAccept accept = answer.accept();
      // Chat at the address we reached; the advertised one is shown, as in 2018.
      features.record(accept.getPeername(), accept.getFeatures());
      connected.put(accept.getPeername(), request.target());
      out.line(Lines.chatAccept(accept.getPeername(), new HostPort(accept.getHost(), accept.getPort())));
    } else if (answer != null) {
      out.line(Lines.CHAT_REFUSE);
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

  private static Throwable unwrap(Throwable error) {
    return Failures.unwrap(error);
  }
}
