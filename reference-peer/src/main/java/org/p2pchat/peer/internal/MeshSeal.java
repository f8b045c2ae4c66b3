package org.p2pchat.peer.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.modes.ChaCha20Poly1305;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.p2pchat.identity.IdentityException;
import org.p2pchat.identity.IdentityKey;
import org.p2pchat.identity.IdentityKeyPair;
import org.p2pchat.mesh.EndToEnd;

/**
 * End-to-end protection of relayed chat (docs/mesh.md section 8): the origin signs each message with its Ed25519
 * identity key and seals it for the destination's X25519 mesh key (ephemeral-static X25519, HKDF-SHA256,
 * ChaCha20-Poly1305), so relays can neither read, alter nor forge it; acknowledgements are signed by the
 * destination. Keys travel as <em>key cards</em> with routes: {@code idkey(32) || meshkey(32) || sig(64)}, the
 * signature binding both keys to the name. A card or an origin key is believed only if it matches the name's pin
 * (trust on first use, the same pins as direct chats). Used on the mesh thread only (not thread-safe).
 */
final class MeshSeal implements EndToEnd {
  static final int CARD_BYTES = 128;
  private static final byte VERSION = 1;
  private static final int KEY = 32;
  private static final int SIG = IdentityKey.SIGNATURE_LENGTH;
  private static final int TAG = 16;
  private static final int HEADER = 1 + CARD_BYTES + KEY + 8 + SIG;
  private static final int MAX_KEYS = 1_024;
  private static final byte[] CARD_LABEL = utf8("p2pchat-mesh-v1 card");
  private static final byte[] SEAL_LABEL = utf8("p2pchat-mesh-v1 data");
  private static final byte[] ACK_LABEL = utf8("p2pchat-mesh-v1 ack");
  private static final byte[] HKDF_INFO = utf8("p2pchat-mesh-v1 seal key");

  /** A verified card: the name's identity key and mesh key. */
  record Card(IdentityKey idkey, byte[] meshKey) {}

  private final String self;
  private final IdentityKeyPair keys;
  private final X25519PrivateKeyParameters meshSecret;
  private final byte[] card;
  private final SecureRandom random;
  private final LongSupplier clock;
  private final long maxSkewMillis;
  private final Function<String, Optional<byte[]>> routeCards;
  private final BiPredicate<String, IdentityKey> pins;
  private final Consumer<String> refused;
  /** Destinations' identity keys as used when sealing to them: their acknowledgements must be signed by it. */
  private final Map<String, IdentityKey> sealedTo = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, IdentityKey> eldest) {
      return size() > MAX_KEYS;
    }
  };

  /**
   * {@code routeCards}: the card that came with the route to a name; {@code pins}: whether a name may have this
   * identity key (pins it on first use); {@code refused}: one sanitised line per refusal; {@code clock}: ms now;
   * a message stamped more than {@code maxSkewMillis} away from it is refused (replays outlive the caches).
   */
  MeshSeal(String self, IdentityKeyPair keys, SecureRandom random, LongSupplier clock, long maxSkewMillis,
      Function<String, Optional<byte[]>> routeCards, BiPredicate<String, IdentityKey> pins, Consumer<String> refused) {
    this.self = self;
    this.keys = keys;
    this.random = random;
    this.clock = clock;
    this.maxSkewMillis = maxSkewMillis;
    this.routeCards = routeCards;
    this.pins = pins;
    this.refused = refused;
    this.meshSecret = new X25519PrivateKeyParameters(random);
    this.card = card(self, keys, meshSecret.generatePublicKey().getEncoded());
  }

  /** Our key card, advertised with our own route. */
  byte[] card() {
    return card.clone();
  }

  static byte[] card(String name, IdentityKeyPair keys, byte[] meshKey) {
    byte[] idkey = keys.publicKey().bytes();
    byte[] sig = keys.sign(cat(CARD_LABEL, lp(name), idkey, meshKey));
    return cat(idkey, meshKey, sig);
  }

  /** The card of {@code name} if its signature holds for that name; no pin check. */
  static Optional<Card> parseCard(String name, byte[] card) {
    if (card == null || card.length != CARD_BYTES) {
      return Optional.empty();
    }
    byte[] id = Arrays.copyOfRange(card, 0, KEY);
    byte[] mesh = Arrays.copyOfRange(card, KEY, 2 * KEY);
    byte[] sig = Arrays.copyOfRange(card, 2 * KEY, CARD_BYTES);
    try {
      IdentityKey idkey = IdentityKey.fromBytes(id);
      return idkey.verify(cat(CARD_LABEL, lp(name), id, mesh), sig) ? Optional.of(new Card(idkey, mesh))
          : Optional.empty();
    } catch (IdentityException e) {
      return Optional.empty();
    }
  }

  /** The destination's verified, pin-matching card; empty (after one refusal line if it was refused) if none. */
  Optional<Card> cardOf(String destination) {
    Optional<byte[]> raw = routeCards.apply(destination);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    Optional<Card> c = parseCard(destination, raw.get());
    if (c.isEmpty()) {
      refused.accept("the mesh key card offered for " + destination + " has a bad signature");
      return Optional.empty();
    }
    return pins.test(destination, c.get().idkey()) ? c : Optional.empty();
  }

  @Override
  public byte[] seal(String destination, String messageId, byte[] plaintext) {
    Optional<Card> to = cardOf(destination);
    if (to.isEmpty()) {
      return new byte[0]; // the caller checks cardOf first; an empty payload is refused at the destination
    }
    sealedTo.put(destination, to.get().idkey());
    X25519PrivateKeyParameters eph = new X25519PrivateKeyParameters(random);
    byte[] ephPub = eph.generatePublicKey().getEncoded();
    long ts = clock.getAsLong();
    byte[] transcript = transcript(self, destination, messageId, keys.publicKey().bytes(), to.get().idkey().bytes(),
        ephPub, ts);
    byte[] key = key(agree(eph, to.get().meshKey()), ephPub, to.get().meshKey());
    byte[] ct = aead(true, key, transcript, plaintext);
    byte[] sig = keys.sign(cat(transcript, sha256(ct)));
    return cat(new byte[] {VERSION}, card, ephPub, ByteBuffer.allocate(8).putLong(ts).array(), sig, ct);
  }

  @Override
  public Optional<byte[]> open(String origin, String messageId, byte[] sealed) {
    if (sealed.length < HEADER + TAG || sealed[0] != VERSION) {
      refused.accept("relayed message from " + origin + " (id " + messageId + "): not a sealed mesh message");
      return Optional.empty();
    }
    int at = 1;
    byte[] originCard = Arrays.copyOfRange(sealed, at, at += CARD_BYTES);
    byte[] ephPub = Arrays.copyOfRange(sealed, at, at += KEY);
    long ts = ByteBuffer.wrap(sealed, at, 8).getLong();
    at += 8;
    byte[] sig = Arrays.copyOfRange(sealed, at, at += SIG);
    byte[] ct = Arrays.copyOfRange(sealed, at, sealed.length);
    Optional<Card> from = parseCard(origin, originCard);
    if (from.isEmpty()) {
      refused.accept("relayed message in the name of " + origin + ": its key card is not signed for that name");
      return Optional.empty();
    }
    if (!pins.test(origin, from.get().idkey())) {
      refused.accept("relayed message in the name of " + origin + ": signed by a key that is not " + origin + "'s");
      return Optional.empty();
    }
    byte[] transcript = transcript(origin, self, messageId, from.get().idkey().bytes(), keys.publicKey().bytes(),
        ephPub, ts);
    if (!from.get().idkey().verify(cat(transcript, sha256(ct)), sig)) {
      refused.accept("relayed message in the name of " + origin + ": bad signature (forged or altered on the way)");
      return Optional.empty();
    }
    if (Math.abs(clock.getAsLong() - ts) > maxSkewMillis) {
      refused.accept("relayed message from " + origin + ": stamped " + (clock.getAsLong() - ts) / 1000
          + " s away from now (a replay, or a clock far off)");
      return Optional.empty();
    }
    byte[] shared;
    try {
      shared = agree(meshSecret, ephPub);
    } catch (IllegalStateException e) {
      refused.accept("relayed message from " + origin + ": unusable ephemeral key");
      return Optional.empty();
    }
    byte[] key = key(shared, ephPub, meshSecret.generatePublicKey().getEncoded());
    try {
      return Optional.of(aead(false, key, transcript, ct));
    } catch (IllegalStateException e) {
      refused.accept("relayed message from " + origin + ": does not decrypt (sealed for another key?)");
      return Optional.empty();
    }
  }

  @Override
  public byte[] ackProof(String origin, String messageId) {
    return keys.sign(cat(ACK_LABEL, lp(origin), lp(self), lp(messageId)));
  }

  @Override
  public boolean checkAck(String destination, String messageId, byte[] proof) {
    IdentityKey key = sealedTo.get(destination);
    return key != null && proof.length == SIG
        && key.verify(cat(ACK_LABEL, lp(self), lp(destination), lp(messageId)), proof);
  }

  private static byte[] transcript(String origin, String destination, String id, byte[] originKey, byte[] destKey,
      byte[] ephPub, long ts) {
    return cat(SEAL_LABEL, lp(origin), lp(destination), lp(id), originKey, destKey, ephPub,
        ByteBuffer.allocate(8).putLong(ts).array());
  }

  private static byte[] agree(X25519PrivateKeyParameters secret, byte[] peerPublic) {
    X25519Agreement a = new X25519Agreement();
    a.init(secret);
    byte[] out = new byte[a.getAgreementSize()];
    a.calculateAgreement(new X25519PublicKeyParameters(peerPublic, 0), out, 0); // low order: IllegalStateException
    return out;
  }

  private static byte[] key(byte[] shared, byte[] ephPub, byte[] meshKey) {
    HKDFBytesGenerator h = new HKDFBytesGenerator(new SHA256Digest());
    h.init(new HKDFParameters(shared, sha256(cat(ephPub, meshKey)), HKDF_INFO));
    byte[] okm = new byte[KEY];
    h.generateBytes(okm, 0, okm.length);
    return okm;
  }

  /** ChaCha20-Poly1305 under a key used once (fresh ephemeral per message), so a zero nonce is safe. */
  private static byte[] aead(boolean encrypt, byte[] key, byte[] aad, byte[] input) {
    ChaCha20Poly1305 c = new ChaCha20Poly1305();
    c.init(encrypt, new AEADParameters(new KeyParameter(key), TAG * 8, new byte[12], aad));
    byte[] out = new byte[c.getOutputSize(input.length)];
    int n = c.processBytes(input, 0, input.length, out, 0);
    try {
      n += c.doFinal(out, n);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("authentication failed", e);
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  private static byte[] lp(String s) {
    byte[] b = utf8(s);
    return cat(ByteBuffer.allocate(4).putInt(b.length).array(), b);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
