package org.p2pchat.peer.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.p2pchat.cli.Failures;
import org.p2pchat.cli.Durations;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.protocol.model.RegisterError;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.MessageContext;
import org.p2pchat.sdk.PendingReplies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's dealings with the rendezvous server: registering (a pending question with a deadline),
 * listing peers, leaving. It sends EXIT_NETWORK only while its own registration stands, so it can never
 * unregister the rightful owner of a name it failed to get.
 */
public final class ServerSession {
  private static final Logger log = LoggerFactory.getLogger(ServerSession.class);

  private final Identity me;
  private final HostPort server;
  private final Outbox outbox;
  private final PeerOutput out;
  private final Duration replyTimeout;
  private final PendingReplies<HostPort, Boolean> registerAnswer = new PendingReplies<>();
  /** A LISTPEER in flight; a server that does not know us (never registered, or dropped) stays silent. */
  private final PendingReplies<HostPort, Boolean> listAnswer = new PendingReplies<>();
  private final Object lock = new Object();
  /** The server said REGISTER_SUCCESS and we have not left since. */
  private boolean registered;
  /** A REGISTER went out and its answer did not come in time; a late success still counts. */
  private boolean unanswered;
  private Map<String, HostPort> lastPeerList = Map.of();
  private volatile CompletableFuture<Boolean> registering;

  public ServerSession(Identity me, HostPort server, Outbox outbox, PeerOutput out, Duration replyTimeout) {
    this.me = me;
    this.server = server;
    this.outbox = outbox;
    this.out = out;
    this.replyTimeout = replyTimeout;
  }

  public void registerHandlers(Dispatcher dispatcher) {
    dispatcher.on(RegisterSuccess.class, (msg, ctx) -> onRegisterAnswer(true, ctx));
    dispatcher.on(RegisterError.class, (msg, ctx) -> onRegisterAnswer(false, ctx));
    dispatcher.on(ListpeerReply.class, this::onPeerList);
  }

  /** {@code register}. */
  public void register() {
    CompletableFuture<Boolean> answer;
    try {
      answer = registerAnswer.expect(server, replyTimeout);
    } catch (IllegalStateException e) {
      out.line("already waiting for the server at " + server + " to answer a register");
      return;
    }
    // Waiting on the settled stage (not the answer) sees the registration state already updated.
    registering = answer.whenComplete(this::settle);
    if (!outbox.send(server, me.register())) {
      registerAnswer.fail(server, new IllegalStateException("not sent"));
    }
  }

  /** {@code listpeer}; the reply is shown when it arrives. */
  public void listPeers() {
    CompletableFuture<Boolean> answer = null;
    if (!listAnswer.isPending(server)) {
      answer = listAnswer.expect(server, replyTimeout);
      answer.whenComplete((ok, error) -> {
        if (unwrap(error) instanceof TimeoutException) {
          out.line("no answer from the server at " + server + " to listpeer within " + Durations.describe(replyTimeout)
              + " (it lists peers only to registered names: try \"register\")");
        }
      });
    }
    if (!outbox.send(server, new ListpeerRequest().withPeername(me.name()))) {
      if (answer != null) {
        listAnswer.fail(server, new IllegalStateException("not sent"));
      }
    } else if (!isRegistered() && !registerAnswer.isPending(server)) {
      out.line("(not registered: a server lists peers only to registered names)");
    }
  }

  /** {@code exit network}. */
  public void exitNetwork() {
    synchronized (lock) {
      if (!registered) {
        out.line("not registered; nothing to leave");
        return;
      }
    }
    if (outbox.send(server, new ExitNetwork().withPeername(me.name()))) {
      synchronized (lock) {
        registered = false;
      }
      out.line("left the network");
    }
  }

  /**
   * Leaves the network if registered, for exit; completes at once if there is nothing to do. A register
   * still in flight gets up to {@code patience} for its answer first, so a success that was on its way
   * is undone too.
   */
  public CompletableFuture<Boolean> leave(Duration patience) {
    CompletableFuture<Boolean> inFlight = registering;
    if (inFlight != null && !inFlight.isDone()) {
      try {
        inFlight.get(patience.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        log.debug("leaving without an answer to our register: {}", e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    synchronized (lock) {
      if (!registered) {
        return CompletableFuture.completedFuture(true);
      }
      registered = false;
    }
    return outbox.sendInBackground(server, new ExitNetwork().withPeername(me.name()));
  }

  public boolean isRegistered() {
    synchronized (lock) {
      return registered;
    }
  }

  /** The peers from the last LISTPEER reply, name to address. */
  public Map<String, HostPort> lastPeerList() {
    synchronized (lock) {
      return lastPeerList;
    }
  }

  private void settle(Boolean success, Throwable error) {
    if (success != null) {
      synchronized (lock) {
        unanswered = false;
        registered |= success;
      }
      // A failed re-register leaves a standing registration alone: the name is taken by us.
      out.line(success ? Lines.REGISTER_SUCCESSFUL : Lines.REGISTER_ERROR);
    } else if (unwrap(error) instanceof TimeoutException) {
      synchronized (lock) {
        unanswered = true;
      }
      out.line("no answer from the server at " + server + " to register within " + Durations.describe(replyTimeout));
    }
  }

  private void onRegisterAnswer(boolean success, MessageContext ctx) {
    // REGISTER_SUCCESS and REGISTER_ERROR carry no fields: they answer the one register in flight.
    if (registerAnswer.completeOldest(key -> true, success)) {
      return;
    }
    boolean late;
    synchronized (lock) {
      late = success && unanswered;
      if (late) {
        unanswered = false;
        registered = true;
      }
    }
    if (late) {
      out.line(Lines.REGISTER_SUCCESSFUL);
    } else {
      log.warn("ignored {} from {}: no register is waiting for an answer", success ? "REGISTER_SUCCESS"
          : "REGISTER_ERROR", ctx.remote());
    }
  }

  private void onPeerList(ListpeerReply reply, MessageContext ctx) {
    listAnswer.completeOldest(key -> true, true);
    Map<String, HostPort> peers = new LinkedHashMap<>(reply.getPeerlist());
    synchronized (lock) {
      lastPeerList = Collections.unmodifiableMap(peers);
    }
    out.line(Lines.DISPLAY_ALL_PEERS);
    peers.forEach((name, address) -> out.line(Lines.peer(name, address)));
  }

  private static Throwable unwrap(Throwable error) {
    return Failures.unwrap(error);
  }
}
