package org.p2pchat.peer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.p2pchat.identity.Fingerprint;
import org.p2pchat.identity.Handshake;
import org.p2pchat.identity.HandshakeConfig;
import org.p2pchat.identity.HandshakeFields;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityKey;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.identity.KnownPeers;
import org.p2pchat.peer.PeerOutput;
import org.p2pchat.protocol.HostPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's side of identity-v1 (docs/identity.md): its key pair, the pins (TOFU), the server's pin name, the
 * random source and clock the pure core is given, and the one rate-limited line every refusal becomes. A peer
 * built without an identity has no PeerTrust (null) and behaves exactly as the 2018 program.
 */
public final class PeerTrust {
  private static final Logger log = LoggerFactory.getLogger(PeerTrust.class);
  /** Built on first use (a sealed message, a signed request): a peer starts without loading Jackson's databind. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /** The peer's shared mapper for sealed and signed payloads. */
  static ObjectMapper json() {
    return Json.MAPPER;
  }
  /** At most this many refusal lines a second; the rest are counted and reported with the next one shown. */
  static final int LINES_PER_SECOND = 20;

  private final IdentityKeyPair keys;
  private final KnownPeers known;
  private final SecureRandom random;
  private final Clock clock;
  private final HandshakeConfig config;
  private final PeerOutput out;
  private final String serverPin;
  private final java.util.function.LongSupplier nanoTime;
  private long windowStart = Long.MIN_VALUE;
  private int used;
  private long held;

  public PeerTrust(IdentityKeyPair keys, KnownPeers known, HostPort server, Fingerprint serverKey, SecureRandom random,
      Clock clock, HandshakeConfig config, PeerOutput out) throws IdentityException {
    this(keys, known, server, serverKey, random, clock, config, out, System::nanoTime);
  }

  PeerTrust(IdentityKeyPair keys, KnownPeers known, HostPort server, Fingerprint serverKey, SecureRandom random,
      Clock clock, HandshakeConfig config, PeerOutput out, java.util.function.LongSupplier nanoTime)
      throws IdentityException {
    this.nanoTime = nanoTime;
    this.keys = keys;
    this.known = known;
    this.random = random;
    this.clock = clock;
    this.config = config;
    this.out = out;
    this.serverPin = "server@" + server.host() + ":" + server.port();
    if (serverKey != null) {
      known.expect(serverPin, serverKey);
    }
  }

  public Fingerprint fingerprint() {
    return keys.publicKey().fingerprint();
  }

  IdentityKeyPair keys() {
    return keys;
  }

  KnownPeers known() {
    return known;
  }

  SecureRandom random() {
    return random;
  }

  Instant now() {
    return clock.instant();
  }

  HandshakeConfig config() {
    return config;
  }

  /** The name the server's key is pinned under. */
  String serverPin() {
    return serverPin;
  }

  /** True when {@code name} has a pin (a key, or a fingerprint given up front): unauthenticated words are refused. */
  boolean isPinned(String name) {
    return known.whois(name).pinned() != null;
  }

  /** The pinned key of {@code name}, if its key (not only a fingerprint) is known. */
  Optional<IdentityKey> pinnedKey(String name) {
    return known.pinned(name);
  }

  /**
   * Records a verified key for {@code name}; false (after the loud warning) when it differs from the pin, in
   * which case nothing from that key may be shown as {@code name}'s words.
   */
  boolean acceptVerified(String name, IdentityKey key) {
    KnownPeers.Verdict verdict;
    try {
      verdict = known.observeVerified(name, key);
    } catch (IdentityException e) {
      refused("could not record the key of " + Lines.printable(name) + ": " + e.getMessage());
      return false;
    }
    if (verdict.kind() == KnownPeers.Verdict.Kind.KEY_CHANGED) {
      String line = "WARNING: " + Lines.printable(name) + "'s key changed (pinned "
          + (verdict.pinned() == null ? known.whois(name).pinned() : verdict.pinned().fingerprint()) + ", offered "
          + key.fingerprint() + "); nothing from it is shown as " + Lines.printable(name)
          + "'s words; if you checked the new fingerprint, accept it with: trust " + Lines.printable(name);
      log.warn(line);
      out.line(line);
      return false;
    }
    return true;
  }

  /** A name's verification state for {@code who}: verified, unverified, changed or unknown. */
  public String status(String name) {
    return known.whois(name).status().name().toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code whois NAME}. */
  String whois(String name, String me) {
    if (name.equals(me)) {
      return Lines.printable(name) + " " + keys.publicKey().fingerprint() + " (this peer)";
    }
    return known.whois(name).describe();
  }

  /** {@code trust NAME}: accepts the key {@code name} last offered instead of its pin. */
  String trust(String name) {
    Optional<IdentityKey> offered = known.offeredKey(name);
    if (offered.isEmpty()) {
      return "no changed key to accept for " + Lines.printable(name) + " (" + known.whois(name).describe() + ")";
    }
    try {
      known.acceptNewKey(name, offered.get());
    } catch (IdentityException e) {
      return "could not accept the key of " + Lines.printable(name) + ": " + e.getMessage();
    }
    return "now trusting " + Lines.printable(name) + " as " + offered.get().fingerprint()
        + "; start a new chat request to use it";
  }

  /** The handshake fields in a received CHAT_REQUEST/CHAT_ACCEPT/CHAT_REFUSE msgdata (absent ones null). */
  static HandshakeFields fields(JsonNode msgdata) {
    JsonNode f = msgdata == null ? null : msgdata.get("features");
    List<String> features = null;
    if (f != null && f.isArray()) {
      features = new java.util.ArrayList<>();
      for (JsonNode n : f) {
        features.add(n.asText());
      }
    }
    return new HandshakeFields(features, text(msgdata, "idkey"), text(msgdata, "ephkey"), text(msgdata, "nonce"),
        text(msgdata, "sig"));
  }

  static boolean advertises(JsonNode msgdata) {
    JsonNode f = msgdata == null ? null : msgdata.get("features");
    if (f != null && f.isArray()) {
      for (JsonNode n : f) {
        if (Handshake.FEATURE.equals(n.asText())) {
          return true;
        }
      }
    }
    return false;
  }

  static String text(JsonNode node, String field) {
    JsonNode v = node == null ? null : node.get(field);
    return v != null && v.isTextual() ? v.asText() : null;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> asMap(JsonNode msgdata) {
    return Json.MAPPER.convertValue(msgdata, Map.class);
  }

  /**
   * One clear, sanitised line for something refused (forged, replayed, unauthenticated), shown and logged; at most
   * {@link #LINES_PER_SECOND} a second, so a flood of forgeries cannot flood the screen.
   */
  void refused(String what) {
    long report;
    synchronized (this) {
      long now = nanoTime.getAsLong();
      if (windowStart == Long.MIN_VALUE || now - windowStart >= 1_000_000_000L) {
        windowStart = now;
        used = 0;
      }
      if (used >= LINES_PER_SECOND) {
        held++;
        return;
      }
      used++;
      report = held;
      held = 0;
    }
    String line = "refused: " + Lines.printable(what)
        + (report > 0 ? " (and " + report + " more refused, not shown)" : "");
    log.warn(line);
    out.line(line);
  }
}
