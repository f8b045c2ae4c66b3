package org.p2pchat.server.internal;

import java.io.IOException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.p2pchat.cli.Failures;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.Printable;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityKey;
import org.p2pchat.protocol.model.ExitNetwork;
import org.p2pchat.protocol.model.Keys;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterError;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.sdk.Addresses;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.MessageContext;
import org.p2pchat.sdk.SendException;
import org.p2pchat.server.RendezvousServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.MessageFormatter;

/**
 * The server's behaviour: REGISTER, LISTPEER and EXIT_NETWORK as the 2018 server handled them, plus
 * dropping a registration whose address refuses a reply. One log line per event.
 *
 * <p>Replies go out asynchronously to the advertised address (never the connection's source), so a dead
 * or slow peer ties up one of the node's sender threads (for at most the connect timeout, plus the
 * SDK's write timeout for a large reply), never a worker. Thread-safe.
 */
public final class RendezvousHandlers {
  /** Event log lines carry the public class's name: they are the server's log, not an internal detail. */
  private static final Logger log = LoggerFactory.getLogger(RendezvousServer.class);

  /** Where replies go out; the server's node in production. */
  @FunctionalInterface
  public interface Outbox {
    CompletableFuture<Void> sendAsync(HostPort to, Object message);
  }

  private final PeerTable table;
  private final Outbox outbox;
  private final Consumer<String> events;
  private final ServerIdentity identity;
  private final LeaseHandlers leases;
  /** Refused signed requests: at most 20 lines per 10 s. */
  private final RateLimitedLog refusals = new RateLimitedLog(log, 20, 10_000_000_000L);
  /** Names whose REGISTER advertised features; the others get the 2018 LISTPEER reply ({@link Listing2018}). */
  private final Set<String> advertisedFeatures = ConcurrentHashMap.newKeySet();

  public RendezvousHandlers(PeerTable table, Outbox outbox, Consumer<String> events, ServerIdentity identity) {
    this(table, outbox, events, identity, LeaseHandlers.disabled());
  }

  public RendezvousHandlers(PeerTable table, Outbox outbox, Consumer<String> events, ServerIdentity identity,
      LeaseHandlers leases) {
    this.leases = leases;
    this.table = table;
    this.outbox = outbox;
    this.events = events;
    this.identity = identity;
  }

  /** One refused request: logged (rate-limited, sanitised) and told to whoever watches the server. */
  private void refused(String format, Object... args) {
    String line = MessageFormatter.arrayFormat(format, args).getMessage();
    refusals.warn(line);
    events.accept(line);
  }

  /** A name or other peer-chosen text as it may appear in a log line: no control characters, bounded. */
  static String clean(String text) {
    if (text == null) {
      return "(none)";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < text.length() && b.length() < 64; i++) {
      char c = text.charAt(i);
      b.append(c < 0x20 || c == 0x7f ? '?' : c);
    }
    return text.length() > 64 ? b + "..." : b.toString();
  }

  private static boolean signed(JsonNode tree) {
    JsonNode data = tree.path("msgdata");
    return data.has("idkey") || data.has("sig") || data.has("ts") || data.has("nonce");
  }

  /** One event: logged, and told to whoever watches the server (the demo shows them on its screen). */
  private void event(String format, Object... args) {
    // Names and hosts come off the wire: escaped, so no control or bidi character reaches a terminal.
    String line = Printable.of(MessageFormatter.arrayFormat(format, args).getMessage());
    log.info("{}", line);
    events.accept(line);
  }

  /** Registers the three handlers on {@code dispatcher}. */
  public Dispatcher install(Dispatcher dispatcher) {
    return dispatcher
        .on(Register.class, this::onRegister)
        .on(ListpeerRequest.class, this::onListpeer)
        .on(ExitNetwork.class, this::onExit);
  }

  /**
   * Records the registration, and replies once it is on disk: the worker moves on at once, and the
   * journal's committer covers every registration ready with one force (group commit).
   */
  void onRegister(Register register, MessageContext context) {
    HostPort address = new HostPort(register.getHost(), register.getPort());
    String from = Addresses.describe(context.remote());
    Optional<String> canonical = PeerNames.canonical(register.getPeername());
    if (canonical.isEmpty()) {
      event("register {} at {} refused: the name holds invisible, control or bidi characters (from {})",
          register.getPeername(), address, from);
      reply(address, new RegisterError(), null);
      return;
    }
    String name = canonical.get();
    String idkey = null;
    String nonce = null;
    if (signed(context.tree())) {
      // A keyed REGISTER: it must prove possession of the key it binds the name to, and be fresh.
      idkey = register.getIdkey();
      try {
        if (idkey == null) {
          throw new IdentityException(IdentityException.Reason.MALFORMED, "signed fields without idkey");
        }
        if (register.getFeatures() == null || !register.getFeatures().contains(Handshake.FEATURE)) {
          throw new IdentityException(IdentityException.Reason.MALFORMED, "idkey without features "
              + Handshake.FEATURE);
        }
        nonce = identity.verifyRequest(idkey, context.tree(), context.receivedAt());
      } catch (IdentityException e) {
        refused("register {} ignored: {} {} (from {})", clean(name), e.reason(), e.getMessage(), from);
        return;
      }
    }
    String requestNonce = nonce;
    String boundKey = idkey;
    CompletableFuture<PeerTable.Outcome> recorded;
    try {
      recorded = table.registerDurably(name, address, idkey, leases.expiryFor(register));
    } catch (IllegalStateException e) {
      log.error("register {} at {} failed, no reply sent: {} (from {})", Printable.of(name), Printable.of(address),
          e.getMessage(), from);
      return;
    }
    recorded.whenComplete((outcome, error) -> {
      if (error != null) {
        Throwable cause = Failures.unwrap(error);
        log.error("register {} at {} failed, no reply sent: cannot record it: {} (from {})", Printable.of(name),
            Printable.of(address), cause.getMessage(), from);
      } else if (outcome.registered()) {
        if (register.getFeatures() != null && !register.getFeatures().isEmpty()) {
          advertisedFeatures.add(name);
        } else {
          advertisedFeatures.remove(name);
        }
        if (boundKey == null) {
          event("register {} at {} (from {})", name, address, from);
          reply(address, leases.announce(register, new RegisterSuccess()), name);
        } else {
          event("register {} at {} with key {} (from {})", name, address, fingerprint(boundKey), from);
          RegisterSuccess success = leases.announce(register, new RegisterSuccess());
          Map<String, Object> signed = signReply(success, name, requestNonce);
          if (signed != null) {
            reply(address, success.withIdkey(text(signed, "idkey")).withTo(text(signed, "to"))
                .withRe(text(signed, "re")).withSig(text(signed, "sig")), name);
          }
        }
      } else {
        event("duplicate register {} at {} refused: {} stays at {} (from {})", name, address, name,
            outcome.holder(), from);
        if (boundKey == null) {
          reply(address, new RegisterError(), null);
        } else {
          RegisterError refusal = new RegisterError();
          Map<String, Object> signed = signReply(refusal, name, requestNonce);
          if (signed != null) {
            reply(address, refusal.withIdkey(text(signed, "idkey")).withTo(text(signed, "to"))
                .withRe(text(signed, "re")).withSig(text(signed, "sig")), null);
          }
        }
      }
    });
  }

  void onListpeer(ListpeerRequest request, MessageContext context) {
    String name = PeerNames.lookup(request.getPeername());
    Optional<HostPort> asker = table.addressOf(name);
    if (asker.isEmpty()) {
      event("listpeer by {} not answered: {} is not registered (from {})", name, name,
          Addresses.describe(context.remote()));
      return;
    }
    Optional<String> key = table.keyOf(name);
    if (key.isEmpty()) {
      LinkedHashMap<String, HostPort> all = table.snapshot();
      // A 2018 program reads one recv(1024): it gets the oldest peers that fit, never a reply it cannot decode.
      LinkedHashMap<String, HostPort> peers = advertisedFeatures.contains(name) || leases.leased(name) ? all
          : Listing2018.fit(all);
      event("listpeer by {}: {} sent to {}{} (from {})", name, Plural.peers(peers.size()), asker.get(),
          peers.size() < all.size() ? " (of " + all.size() + ": a 2018 reply fits in 1024 bytes)" : "",
          Addresses.describe(context.remote()));
      reply(asker.get(), new ListpeerReply().withPeerlist(peers), name);
      return;
    }
    String nonce;
    try {
      nonce = identity.verifyRequest(key.get(), context.tree(), context.receivedAt());
    } catch (IdentityException e) {
      refused("listpeer by {} not answered: {} {} (from {})", clean(name), e.reason(), e.getMessage(),
          Addresses.describe(context.remote()));
      return;
    }
    LinkedHashMap<String, HostPort> peers = table.snapshot();
    Map<String, String> bound = table.keysSnapshot();
    Keys keys = new Keys();
    for (String peer : peers.keySet()) {
      String idkey = bound.get(peer);
      if (idkey != null) {
        keys.setAdditionalProperty(peer, idkey);
      }
    }
    ListpeerReply list = new ListpeerReply().withPeerlist(peers).withKeys(keys);
    Map<String, Object> signed = signReply(list, name, nonce);
    if (signed == null) {
      return;
    }
    event("listpeer by {} (signed): {} sent to {} (from {})", name, Plural.peers(peers.size()), asker.get(),
        Addresses.describe(context.remote()));
    reply(asker.get(), list.withIdkey(text(signed, "idkey")).withTo(text(signed, "to"))
        .withRe(text(signed, "re")).withSig(text(signed, "sig")), name);
  }

  /** The signed fields for {@code reply}, or null (logged) if it cannot be signed. */
  private Map<String, Object> signReply(Object reply, String requester, String nonce) {
    try {
      return identity.signReply(reply, requester, nonce);
    } catch (IdentityException | RuntimeException e) {
      log.error("cannot sign {} to {}, no reply sent: {}", WireJson.typeOf(reply).name(), clean(requester),
          e.getMessage());
      return null;
    }
  }

  private static String text(Map<String, Object> map, String field) {
    return (String) map.get(field);
  }

  private static String fingerprint(String idkey) {
    try {
      return IdentityKey.parse(idkey).fingerprint().toString();
    } catch (IdentityException e) {
      return "(unreadable)";
    }
  }

  void onExit(ExitNetwork exit, MessageContext context) {
    String name = PeerNames.lookup(exit.getPeername());
    String from = Addresses.describe(context.remote());
    Optional<String> key = table.keyOf(name);
    if (key.isPresent()) {
      try {
        identity.verifyRequest(key.get(), context.tree(), context.receivedAt());
      } catch (IdentityException e) {
        refused("exit {} ignored: {} {} (from {})", clean(name), e.reason(), e.getMessage(), from);
        return;
      }
    }
    Optional<HostPort> removed;
    try {
      // Only while the name is still bound as checked: a racing re-registration is not removed.
      removed = table.removeIfKey(name, key.orElse(null), "exit");
    } catch (IOException | IllegalStateException e) {
      log.error("exit {} failed: cannot record it: {} (from {})", Printable.of(name), e.getMessage(), from);
      return;
    }
    if (removed.isPresent()) {
      event("exit {} (was at {}) (from {})", name, removed.get(), from);
    } else {
      event("exit {} ignored: not registered{} (from {})", name,
          table.contains(name) ? " with the key checked" : "", from);
    }
  }

  /**
   * Sends {@code message} to {@code to}. If {@code registeredName} is registered at {@code to} and the
   * connection is refused, nothing listens there any more: the registration is dropped. No other probe
   * is ever sent, since an unexpected message kills a 2018 peer's receiver.
   */
  private void reply(HostPort to, Object message, String registeredName) {
    String type = WireJson.typeOf(message).name();
    outbox.sendAsync(to, message).whenComplete((sent, error) -> {
      if (error == null) {
        return;
      }
      Throwable cause = Failures.unwrap(error);
      boolean refused = cause instanceof SendException
          && ((SendException) cause).reason() == SendException.Reason.REFUSED;
      if (refused && registeredName != null) {
        drop(registeredName, to, type);
      } else {
        log.warn("reply {} to {} failed: {}", type, Printable.of(to), Printable.of(cause.getMessage()));
      }
    });
  }

  private void drop(String name, HostPort address, String type) {
    try {
      if (table.removeIfAt(name, address, "dropped")) {
        event("dropped {} at {}: {} was refused there (the peer is gone)", name, address, type);
      } else {
        event("reply {} to {} refused; {} is no longer registered there", type, address, name);
      }
    } catch (IOException | IllegalStateException e) {
      log.warn("could not drop {} at {} after {} was refused: {}", Printable.of(name), Printable.of(address), type,
          e.getMessage());
    }
  }
}
