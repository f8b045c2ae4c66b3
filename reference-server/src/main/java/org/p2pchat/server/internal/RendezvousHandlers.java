package org.p2pchat.server.internal;

import java.io.IOException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
import org.p2pchat.sdk.MessageHandler;
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

  /**
   * Bytes a reply may carry per byte of the request it answers, for a requester that has not shown it
   * owns the address the reply goes to (its connection does not come from that address).
   */
  public static final int AMPLIFICATION = 20;
  /** Built on first use (a LISTPEER's size check): Jackson's databind costs start-up time a server need not spend. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }
  /** What signing adds to a reply beyond its list and keys: idkey, re, sig, field names (to: measured). */
  private static final int SIGNED_OVERHEAD = 220;

  private final PeerTable table;
  private final Outbox outbox;
  private final Consumer<String> events;
  private final ServerIdentity identity;
  private final LeaseHandlers leases;
  private final SourceLimits limits;
  private final int maxPeers;
  /** REGISTERs between the cap check and their outcome, so concurrent ones cannot overshoot the cap. */
  private final AtomicInteger pending = new AtomicInteger();
  /** Messages not served because their source was over a limit. */
  private final AtomicLong limited = new AtomicLong();
  /** Messages over a per-source limit: at most 20 lines per 10 s. */
  private final RateLimitedLog overLimit = new RateLimitedLog(log, 20, 10_000_000_000L);
  /** Refused signed requests: at most 20 lines per 10 s. */
  private final RateLimitedLog refusals = new RateLimitedLog(log, 20, 10_000_000_000L);
  /** Whoever builds the handlers without watching their events. */
  public static final Consumer<String> NO_EVENTS = line -> { };
  private final RateLimitedLog routine = RateLimitedLog.events(log);
  /** Names whose REGISTER advertised features; the others get the 2018 LISTPEER reply ({@link Listing2018}). */
  private final Set<String> advertisedFeatures = ConcurrentHashMap.newKeySet();
  /** Names whose REGISTER advertised {@value #PAGE_FEATURE}: their LISTPEER replies are pages. */
  private final Set<String> pagedReaders = ConcurrentHashMap.newKeySet();
  /** The capability of a client that reads paged LISTPEER replies (docs/protocol.md#rule-listpeer-page). */
  public static final String PAGE_FEATURE = "listpeer-page";
  /** Entries in one page at most, and its bytes at most (before the amplification bound). */
  public static final int PAGE_ENTRIES = 1_000;
  public static final int PAGE_BYTES = 64 * 1024;

  public RendezvousHandlers(PeerTable table, Outbox outbox, Consumer<String> events, ServerIdentity identity,
      SourceLimits limits, int maxPeers, LeaseHandlers leases) {
    this.leases = leases;
    this.table = table;
    this.outbox = outbox;
    this.events = events;
    this.identity = identity;
    this.limits = limits;
    this.maxPeers = maxPeers;
  }

  /** Messages not served so far because their source was over a per-source limit. */
  public long limited() {
    return limited.get();
  }

  /** A message not served because its source is over a limit: counted, logged rate-limited and sanitised. */
  private void overLimit(String format, Object... args) {
    limited.incrementAndGet();
    overLimit.warn(Printable.of(MessageFormatter.arrayFormat(format, args).getMessage()));
  }

  /** Registers {@code type}'s handler behind the per-source message rate, like the three handlers here. */
  public <T> Dispatcher limited(Dispatcher dispatcher, Class<T> type, MessageHandler<T> handler) {
    return dispatcher.on(type, (message, context) -> {
      if (admit(context, WireJson.typeOf(message).name())) {
        handler.handle(message, context);
      }
    });
  }

  private boolean admit(MessageContext context, String what) {
    InetAddress source = context.remote().getAddress();
    if (limits.admitMessage(source)) {
      return true;
    }
    overLimit("{} from {} not served: the source is over {} messages a second", what,
        Addresses.describe(context.remote()), limits.settings().messagesPerSecond());
    return false;
  }

  /** One refused request: logged (rate-limited, sanitised) and told to whoever watches the server. */
  private void refused(String format, Object... args) {
    String line = Printable.of(MessageFormatter.arrayFormat(format, args).getMessage());
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

  /**
   * One event (a registration, a list, an exit): told to whoever watches the server (the demo shows them on its
   * screen) and logged as {@link RateLimitedLog#events} says. Not even built when nobody would see it.
   */
  private void event(String format, Object... args) {
    if (events == NO_EVENTS && routine.skipsEvent()) {
      return;
    }
    // Names and hosts come off the wire: escaped, so no control or bidi character reaches a terminal.
    String line = Printable.of(MessageFormatter.arrayFormat(format, args).getMessage());
    routine.event(line);
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
    if (!admit(context, "REGISTER")) {
      return;
    }
    HostPort address = new HostPort(register.getHost(), register.getPort());
    String from = Addresses.describe(context.remote());
    InetAddress source = context.remote().getAddress();
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
    // A name already taken gets its duplicate answer below; only a new name needs room.
    boolean needsRoom = !table.contains(name);
    if (needsRoom) {
      if (pending.incrementAndGet() + table.size() > maxPeers) {
        pending.decrementAndGet();
        refused("register {} at {} refused: the registry is full ({} names) (from {})", name, address, maxPeers,
            from);
        refuse(address, name, boundKey, requestNonce);
        return;
      }
      if (!limits.reserveName(source, (n, at) -> table.addressOf(n).filter(at::equals).isPresent())) {
        pending.decrementAndGet();
        refused("register {} at {} refused: {} already holds {} names", name, address, from,
            limits.settings().namesPerSource());
        refuse(address, name, boundKey, requestNonce);
        return;
      }
    }
    CompletableFuture<PeerTable.Outcome> recorded;
    try {
      recorded = table.registerDurably(name, address, idkey, leases.expiryFor(register));
    } catch (IllegalStateException e) {
      settle(needsRoom, source, name, address, false);
      log.error("register {} at {} failed, no reply sent: {} (from {})", Printable.of(name), Printable.of(address),
          e.getMessage(), from);
      return;
    }
    recorded.whenComplete((outcome, error) -> {
      settle(needsRoom, source, name, address, error == null && outcome.registered());
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
        if (register.getFeatures() != null && register.getFeatures().contains(PAGE_FEATURE)) {
          pagedReaders.add(name);
        } else {
          pagedReaders.remove(name);
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
        refuse(address, name, boundKey, requestNonce);
      }
    });
  }

  /** REGISTER_ERROR to {@code address}, signed for a keyed REGISTER. */
  private void refuse(HostPort address, String name, String boundKey, String requestNonce) {
    if (boundKey == null) {
      reply(address, new RegisterError(), null);
      return;
    }
    RegisterError refusal = new RegisterError();
    Map<String, Object> signed = signReply(refusal, name, requestNonce);
    if (signed != null) {
      reply(address, refusal.withIdkey(text(signed, "idkey")).withTo(text(signed, "to"))
          .withRe(text(signed, "re")).withSig(text(signed, "sig")), null);
    }
  }

  /** Ends what {@link #onRegister} reserved for a new name: the room in the registry and the source's count. */
  private void settle(boolean reserved, InetAddress source, String name, HostPort address, boolean registered) {
    if (!reserved) {
      return;
    }
    pending.decrementAndGet();
    if (registered) {
      limits.registered(source, name, address);
    } else {
      limits.cancel(source);
    }
  }

  void onListpeer(ListpeerRequest request, MessageContext context) {
    if (!admit(context, "LISTPEER")) {
      return;
    }
    if (!limits.admitListpeer(context.remote().getAddress())) {
      overLimit("LISTPEER from {} not served: the source is over {} LISTPEER requests a second",
          Addresses.describe(context.remote()), limits.settings().listpeersPerSecond());
      return;
    }
    String name = PeerNames.lookup(request.getPeername());
    Optional<HostPort> asker = table.addressOf(name);
    // A requester whose connection does not come from the reply's address gets at most 20 bytes per byte
    // it sent, so nobody can aim a large reply at someone else's address.
    long budget = asker.isPresent() && !ownsAddress(asker.get(), context.remote().getAddress())
        ? (long) AMPLIFICATION * requestBytes(context.tree()) : Long.MAX_VALUE;
    if (asker.isEmpty()) {
      event("listpeer by {} not answered: {} is not registered (from {})", name, name,
          Addresses.describe(context.remote()));
      return;
    }
    Optional<String> key = table.keyOf(name);
    boolean paged = pagedReaders.contains(name);
    if (key.isEmpty() && paged) {
      Page page = page(table.snapshot(), request.getAfter(), budget, Listing2018::size);
      event("listpeer by {}: page of {} after {} sent to {}{} (from {})", name, Plural.peers(page.peers().size()),
          page.after(), asker.get(), page.next() == null ? " (last page)" : " (next " + page.next() + ")",
          Addresses.describe(context.remote()));
      reply(asker.get(), new ListpeerReply().withPeerlist(page.peers()).withNext(page.next()), name);
      return;
    }
    if (key.isEmpty()) {
      LinkedHashMap<String, HostPort> all = table.snapshot();
      // A 2018 program reads one recv(1024): it gets the oldest peers that fit, never a reply it cannot decode.
      // A leased name advertised features when it registered, perhaps before this process started.
      boolean reads2018 = !advertisedFeatures.contains(name) && !leases.leased(name);
      long limit = Math.min(budget, reads2018 ? Listing2018.MAX_BYTES : Long.MAX_VALUE);
      LinkedHashMap<String, HostPort> peers = limit == Long.MAX_VALUE ? all
          : Listing2018.fit(all, limit, Listing2018::size);
      event("listpeer by {}: {} sent to {}{} (from {})", name, Plural.peers(peers.size()), asker.get(),
          peers.size() < all.size() ? " (of " + all.size() + ": " + cutReason(reads2018, limit, budget) + ")" : "",
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
    LinkedHashMap<String, HostPort> all = table.snapshot();
    Map<String, String> bound = table.keysSnapshot();
    long overhead = SIGNED_OVERHEAD + 6L * name.length();
    LinkedHashMap<String, HostPort> peers;
    Long next = null;
    if (paged) {
      Page page = page(all, request.getAfter(), budget == Long.MAX_VALUE ? budget : budget - overhead,
          prefix -> Listing2018.size(prefix) + keysBytes(prefix, bound));
      peers = page.peers();
      next = page.next();
    } else {
      peers = budget == Long.MAX_VALUE ? all
          : Listing2018.fit(all, budget - overhead, prefix -> Listing2018.size(prefix) + keysBytes(prefix, bound));
    }
    ListpeerReply list = new ListpeerReply().withPeerlist(peers).withKeys(keysOf(peers, bound)).withNext(next);
    Map<String, Object> signed = signReply(list, name, nonce);
    if (signed == null) {
      return;
    }
    event("listpeer by {} (signed): {} sent to {}{} (from {})", name, Plural.peers(peers.size()), asker.get(),
        peers.size() < all.size() ? " (of " + all.size() + ": " + cutReason(false, budget, budget) + ")" : "",
        Addresses.describe(context.remote()));
    reply(asker.get(), list.withIdkey(text(signed, "idkey")).withTo(text(signed, "to"))
        .withRe(text(signed, "re")).withSig(text(signed, "sig")), name);
  }

  /** One page of a paged LISTPEER reply: the entries after {@code after}, and where the next page starts. */
  record Page(long after, LinkedHashMap<String, HostPort> peers, Long next) {}

  /**
   * The page of {@code all} (oldest first) that starts after position {@code after} (null: 0): at most
   * {@link #PAGE_ENTRIES} entries whose reply fits in {@link #PAGE_BYTES} and in {@code budget} bytes;
   * {@code next} is set only if entries remain and this page holds at least one. Positions are offsets
   * into the listing, so a removal between two pages can make a reader miss one entry, never see one twice.
   */
  static Page page(LinkedHashMap<String, HostPort> all, Long after, long budget,
      java.util.function.ToIntFunction<LinkedHashMap<String, HostPort>> size) {
    long from = after == null ? 0 : Math.max(0, after);
    LinkedHashMap<String, HostPort> rest = new LinkedHashMap<>();
    long i = 0;
    for (Map.Entry<String, HostPort> e : all.entrySet()) {
      if (i >= from && rest.size() < PAGE_ENTRIES) {
        rest.put(e.getKey(), e.getValue());
      }
      i++;
    }
    LinkedHashMap<String, HostPort> peers = Listing2018.fit(rest, Math.min(budget, PAGE_BYTES), size);
    long end = from + peers.size();
    return new Page(from, peers, !peers.isEmpty() && end < all.size() ? end : null);
  }

  private static Keys keysOf(LinkedHashMap<String, HostPort> peers, Map<String, String> bound) {
    Keys keys = new Keys();
    for (String peer : peers.keySet()) {
      String idkey = bound.get(peer);
      if (idkey != null) {
        keys.setAdditionalProperty(peer, idkey);
      }
    }
    return keys;
  }

  /** What the keys of {@code peers} add to a reply: each {@code "name": "43 chars", } at most. */
  private static int keysBytes(LinkedHashMap<String, HostPort> peers, Map<String, String> bound) {
    int bytes = 12;
    for (String peer : peers.keySet()) {
      if (bound.containsKey(peer)) {
        bytes += 6 * peer.length() + 43 + 8;
      }
    }
    return bytes;
  }

  private static String cutReason(boolean reads2018, long limit, long budget) {
    if (limit == budget) {
      return "at most " + AMPLIFICATION + "x the request's bytes, " + budget
          + ", to an address the requester has not shown it owns";
    }
    return "a 2018 reply fits in 1024 bytes";
  }

  /** The request's size as compact JSON: never more than the bytes it arrived as. */
  static int requestBytes(JsonNode tree) {
    try {
      return Json.MAPPER.writeValueAsBytes(tree).length;
    } catch (JsonProcessingException e) {
      return 0;
    }
  }

  /**
   * True if {@code source} (the request's connection) is the address replies go to: the same IP literal,
   * or a loopback source for {@code localhost}. Host names other than localhost are never resolved here
   * (no DNS lookup on a worker), so a requester that registered by name has not shown it.
   */
  static boolean ownsAddress(HostPort replyTo, InetAddress source) {
    String host = replyTo.host();
    if ("localhost".equalsIgnoreCase(host)) {
      return source.isLoopbackAddress();
    }
    if (!host.matches("[0-9.]+|\\[?[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*\\]?")) {
      return false;
    }
    try {
      // A literal: parsed, never looked up.
      return InetAddress.getByName(host).equals(source);
    } catch (UnknownHostException e) {
      return false;
    }
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
    if (!admit(context, "EXIT_NETWORK")) {
      return;
    }
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
   * connection is refused, nothing listens there any more: the registration is dropped. A REGISTER_SUCCESS
   * that cannot be delivered at all (refused, timed out, unreachable, or too many replies already waiting
   * for that address) drops its registration too: the peer never learnt it was registered, and an address
   * that never accepts keeps no name. No other probe is ever sent, since an unexpected message kills a
   * 2018 peer's receiver.
   */
  private void reply(HostPort to, Object message, String registeredName) {
    String type = WireJson.typeOf(message).name();
    boolean mustArrive = message instanceof RegisterSuccess;
    outbox.sendAsync(to, message).whenComplete((sent, error) -> {
      if (error == null) {
        return;
      }
      Throwable cause = Failures.unwrap(error);
      boolean refused = cause instanceof SendException
          && ((SendException) cause).reason() == SendException.Reason.REFUSED;
      if ((refused || mustArrive) && registeredName != null) {
        drop(registeredName, to, type, refused ? null : Printable.of(cause.getMessage()));
      } else {
        log.warn("reply {} to {} failed: {}", type, Printable.of(to), Printable.of(cause.getMessage()));
      }
    });
  }

  /** {@code why} is null for a refused connection, else why the reply could not be delivered. */
  private void drop(String name, HostPort address, String type, String why) {
    try {
      if (!table.removeIfAt(name, address, "dropped")) {
        event("reply {} to {} {}; {} is no longer registered there", type, address,
            why == null ? "refused" : "not delivered (" + why + ")", name);
      } else if (why == null) {
        event("dropped {} at {}: {} was refused there (the peer is gone)", name, address, type);
      } else {
        event("dropped {} at {}: {} could not be delivered there ({})", name, address, type, why);
      }
    } catch (IOException | IllegalStateException e) {
      log.warn("could not drop {} at {} after {} was refused: {}", Printable.of(name), Printable.of(address), type,
          e.getMessage());
    }
  }
}
