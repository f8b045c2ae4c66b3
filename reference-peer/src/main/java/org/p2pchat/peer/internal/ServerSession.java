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
import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Set;
import org.p2pchat.identity.Fingerprint;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityKey;
import org.p2pchat.identity.PendingRequests;
import org.p2pchat.identity.SignedMessages;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.Heartbeat;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.protocol.model.Register;
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
 * unregister the rightful owner of a name it failed to get. With an identity, REGISTER, LISTPEER and EXIT_NETWORK
 * are signed requests, and a reply counts only if signed by the pinned server key (pinned on first use, or by
 * {@code --server-key}), addressed to us and answering a request of ours; once the server key is pinned an
 * unsigned reply is ignored (docs/identity.md section 6).
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
  private final PeerTrust trust;
  private final PendingRequests requests = new PendingRequests();
  /** name -> key, from the last server-signed LISTPEER reply. */
  private Map<String, IdentityKey> lastKeys = Map.of();
  /** Set once before the peer starts ({@code --no-server}): no command ever contacts a server. */
  private volatile boolean noServer;

  /** The one line register, listpeer and exit network print under {@code --no-server}. */
  public static final String NO_SERVER_LINE =
      "no server: this peer runs with --no-server (chat directly with peers, or through the mesh)";

  /** {@code --no-server}: register, listpeer and exit network say so in one line and send nothing. */
  public void withoutServer() {
    noServer = true;
  }
  /** Renews the lease a server announced; re-registers after the server was unreachable. */
  private final LeaseKeeper lease = new LeaseKeeper(new LeaseKeeper.Session() {
    @Override
    public boolean registered() {
      return isRegistered();
    }

    @Override
    public boolean heartbeat() {
      return ServerSession.this.heartbeat();
    }

    @Override
    public void reregister() {
      register();
    }
  });

  public ServerSession(Identity me, HostPort server, Outbox outbox, PeerOutput out, Duration replyTimeout) {
    this(me, server, outbox, out, replyTimeout, null);
  }

  ServerSession(Identity me, HostPort server, Outbox outbox, PeerOutput out, Duration replyTimeout,
      PeerTrust trust) {
    this.trust = trust;
    this.me = me;
    this.server = server;
    this.outbox = outbox;
    this.out = out;
    this.replyTimeout = replyTimeout;
  }

  public void registerHandlers(Dispatcher dispatcher) {
    dispatcher.on(RegisterSuccess.class, (msg, ctx) -> {
      if (onRegisterAnswer(true, ctx)) {
        lease.announced(msg.getLease());
      }
    });
    dispatcher.on(RegisterError.class, (msg, ctx) -> onRegisterAnswer(false, ctx));
    dispatcher.on(ListpeerReply.class, this::onPeerList);
  }

  /** {@code register}. */
  public void register() {
    if (noServer) {
      out.line(NO_SERVER_LINE);
      return;
    }
    CompletableFuture<Boolean> answer;
    try {
      answer = registerAnswer.expect(server, replyTimeout);
    } catch (IllegalStateException e) {
      out.line("already waiting for the server at " + server + " to answer a register");
      return;
    }
    // Waiting on the settled stage (not the answer) sees the registration state already updated.
    registering = answer.whenComplete(this::settle);
    if (!outbox.send(server, signedRegister())) {
      registerAnswer.fail(server, new IllegalStateException("not sent"));
    }
  }

  /** {@code listpeer}; the reply is shown when it arrives. */
  public void listPeers() {
    if (noServer) {
      out.line(NO_SERVER_LINE);
      return;
    }
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
    if (!outbox.send(server, signedListpeer())) {
      if (answer != null) {
        listAnswer.fail(server, new IllegalStateException("not sent"));
      }
    } else if (!isRegistered() && !registerAnswer.isPending(server)) {
      out.line("(not registered: a server lists peers only to registered names)");
    }
  }

  /** {@code exit network}. */
  public void exitNetwork() {
    if (noServer) {
      out.line(NO_SERVER_LINE);
      return;
    }
    synchronized (lock) {
      if (!registered) {
        out.line("not registered; nothing to leave");
        return;
      }
    }
    if (outbox.send(server, signedExit())) {
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
    return outbox.sendInBackground(server, signedExit());
  }

  /** This peer's name. */
  public String name() {
    return me.name();
  }

  public boolean isRegistered() {
    synchronized (lock) {
      return registered;
    }
  }

  /** The key the last server-signed LISTPEER reply gave for {@code name}, or null. */
  public IdentityKey listedKey(String name) {
    synchronized (lock) {
      return lastKeys.get(name);
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

  /** True if the answer was taken (authentic, and a register was waiting or a late success). */
  private boolean onRegisterAnswer(boolean success, MessageContext ctx) {
    if (!authentic(success ? "REGISTER_SUCCESS" : "REGISTER_ERROR", ctx)) {
      return false;
    }
    // REGISTER_SUCCESS and REGISTER_ERROR carry no fields: they answer the one register in flight.
    if (registerAnswer.completeOldest(key -> true, success)) {
      return true;
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
    return late;
  }

  /** One heartbeat to the server (signed with an identity); true if delivered. */
  private boolean heartbeat() {
    Heartbeat h = new Heartbeat().withPeername(me.name());
    if (trust != null) {
      Map<String, Object> signed = sign("HEARTBEAT", h, null);
      h.withTs(((Number) signed.get(SignedMessages.TS)).longValue())
          .withNonce((String) signed.get(SignedMessages.NONCE)).withSig((String) signed.get(SignedMessages.SIG));
    }
    return outbox.send(server, h);
  }


  private void onPeerList(ListpeerReply reply, MessageContext ctx) {
    if (!authentic("LISTPEER", ctx)) {
      return;
    }
    listAnswer.completeOldest(key -> true, true);
    Map<String, HostPort> peers = new LinkedHashMap<>(reply.getPeerlist());
    Map<String, IdentityKey> keys = new HashMap<>();
    JsonNode listed = ctx.tree().path("msgdata").path("keys");
    if (trust != null && listed.isObject() && ctx.tree().path("msgdata").has("sig")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = listed.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        try {
          keys.put(e.getKey(), IdentityKey.parse(e.getValue().asText()));
        } catch (IdentityException ex) {
          trust.refused("the server's LISTPEER reply lists a bad key for " + e.getKey() + ": " + ex.getMessage());
        }
      }
    }
    synchronized (lock) {
      lastPeerList = Collections.unmodifiableMap(peers);
      lastKeys = Map.copyOf(keys);
    }
    out.line(Lines.DISPLAY_ALL_PEERS);
    peers.forEach((name, address) -> out.line(Lines.peer(name, address)));
  }

  private Register signedRegister() {
    Register r = me.register();
    if (trust == null) {
      return r;
    }
    java.util.Set<String> features = new java.util.LinkedHashSet<>(Handshake.FEATURES);
    features.add(LeaseKeeper.FEATURE);
    r.withFeatures(features).withIdkey(trust.keys().publicKey().base64url());
    Map<String, Object> signed = sign("REGISTER", r, Set.of("REGISTER_SUCCESS", "REGISTER_ERROR"));
    return r.withTs(((Number) signed.get(SignedMessages.TS)).longValue())
        .withNonce((String) signed.get(SignedMessages.NONCE)).withSig((String) signed.get(SignedMessages.SIG));
  }

  private ListpeerRequest signedListpeer() {
    ListpeerRequest r = new ListpeerRequest().withPeername(me.name());
    if (trust == null) {
      return r;
    }
    Map<String, Object> signed = sign("LISTPEER", r, Set.of("LISTPEER"));
    return r.withTs(((Number) signed.get(SignedMessages.TS)).longValue())
        .withNonce((String) signed.get(SignedMessages.NONCE)).withSig((String) signed.get(SignedMessages.SIG));
  }

  private ExitNetwork signedExit() {
    ExitNetwork r = new ExitNetwork().withPeername(me.name());
    if (trust == null) {
      return r;
    }
    Map<String, Object> signed = sign("EXIT_NETWORK", r, null);
    return r.withTs(((Number) signed.get(SignedMessages.TS)).longValue())
        .withNonce((String) signed.get(SignedMessages.NONCE)).withSig((String) signed.get(SignedMessages.SIG));
  }

  /** Signs a request with a fresh nonce; with {@code replies}, the nonce is the one a signed reply must name. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> sign(String msgtype, Object message, Set<String> replies) {
    String nonce;
    if (replies != null) {
      nonce = requests.issue(replies, trust.now(), trust.random());
    } else {
      byte[] n = new byte[PendingRequests.NONCE_LENGTH];
      trust.random().nextBytes(n);
      nonce = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(n);
    }
    try {
      return SignedMessages.signRequest(trust.keys(), msgtype, PeerTrust.json().convertValue(message, Map.class),
          trust.now(), nonce);
    } catch (IdentityException e) {
      throw new IllegalStateException("cannot sign our own " + msgtype + ": " + e.getMessage(), e);
    }
  }

  /**
   * True if a server reply may be acted on: no identity (2018 behaviour), a valid signed reply to a request of
   * ours from the pinned server key, or an unsigned reply while no server key is pinned (a 2018 server).
   */
  private boolean authentic(String msgtype, MessageContext ctx) {
    if (trust == null) {
      return true;
    }
    JsonNode msgdata = ctx.tree().path("msgdata");
    String pin = trust.serverPin();
    if (!msgdata.has(SignedMessages.SIG)) {
      if (trust.isPinned(pin)) {
        trust.refused("unsigned " + msgtype + " from " + ctx.remote() + ": the server's key is pinned, so only "
            + "signed replies count");
        return false;
      }
      return true;
    }
    IdentityKey key = trust.pinnedKey(pin).orElse(null);
    try {
      if (key == null) {
        key = IdentityKey.parse(PeerTrust.text(msgdata, SignedMessages.IDKEY));
        Fingerprint expected = trust.known().whois(pin).pinned();
        if (expected != null && !expected.matches(key)) {
          throw new IdentityException(IdentityException.Reason.PINNED_KEY_MISMATCH, "signed by key " + key.fingerprint()
              + ", but the server is pinned to " + expected);
        }
      }
      SignedMessages.verifyReply(key, msgtype, PeerTrust.asMap(msgdata), me.name(), requests, trust.now());
    } catch (IdentityException e) {
      trust.refused(msgtype + " from " + ctx.remote() + " (" + e.reason() + "): " + e.getMessage());
      return false;
    }
    return trust.acceptVerified(pin, key);
  }

  private static Throwable unwrap(Throwable error) {
    return Failures.unwrap(error);
  }
}
