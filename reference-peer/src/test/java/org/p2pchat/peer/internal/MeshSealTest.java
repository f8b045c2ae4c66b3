package org.p2pchat.peer.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.p2pchat.identity.IdentityKey;
import org.p2pchat.identity.IdentityKeyPair;

/** The end-to-end seal of relayed chat: what a relay (or anyone) can and cannot do to it. */
class MeshSealTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final AtomicLong now = new AtomicLong(1_000_000);
  /** Name to card, as routes would carry them. */
  private final Map<String, byte[]> cards = new HashMap<>();
  /** Name to pinned key (trust on first use, as KnownPeers does). */
  private final Map<String, IdentityKey> pins = new HashMap<>();
  private final List<String> refusals = new ArrayList<>();

  private MeshSeal seal(String name, IdentityKeyPair keys) {
    MeshSeal s = new MeshSeal(name, keys, RANDOM, now::get, 60_000, n -> Optional.ofNullable(cards.get(n)),
        (n, k) -> pins.computeIfAbsent(n, x -> k).equals(k), refusals::add);
    cards.put(name, s.card());
    return s;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void theDestinationOpensWhatTheOriginSealedAndTheOriginBelievesOnlyItsAck() {
    IdentityKeyPair pk = IdentityKeyPair.generate(RANDOM);
    MeshSeal patchouli = seal("patchouli", pk);
    MeshSeal yuuka = seal("yuuka", IdentityKeyPair.generate(RANDOM));
    MeshSeal alice = seal("alice", IdentityKeyPair.generate(RANDOM));
    byte[] sealed = patchouli.seal("yuuka", "id1", utf8("Hello"));
    assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("Hello"), "a relay sees no plaintext");
    assertArrayEquals(utf8("Hello"), yuuka.open("patchouli", "id1", sealed).orElseThrow());
    assertTrue(alice.open("patchouli", "id1", sealed).isEmpty(), "sealed for yuuka, not for the relay");
    assertTrue(patchouli.checkAck("yuuka", "id1", yuuka.ackProof("patchouli", "id1")));
    assertFalse(patchouli.checkAck("yuuka", "id1", alice.ackProof("patchouli", "id1")), "a relay cannot ack");
    assertFalse(patchouli.checkAck("yuuka", "id2", yuuka.ackProof("patchouli", "id1")), "an ack is for one id");
    // The relay is not the destination the origin signed for: refused before any decryption.
    assertEquals(List.of("relayed message in the name of patchouli: bad signature (forged or altered on the way)"),
        refusals);
  }

  @Test
  void aTamperedForgedRenamedOrReplayedMessageIsRefused() {
    IdentityKeyPair pk = IdentityKeyPair.generate(RANDOM);
    MeshSeal patchouli = seal("patchouli", pk);
    MeshSeal yuuka = seal("yuuka", IdentityKeyPair.generate(RANDOM));
    byte[] sealed = patchouli.seal("yuuka", "id1", utf8("Hello"));
    assertTrue(yuuka.open("patchouli", "id1", sealed).isPresent()); // pins patchouli's key

    byte[] flipped = sealed.clone();
    flipped[flipped.length - 1] ^= 1;
    assertTrue(yuuka.open("patchouli", "id1", flipped).isEmpty(), "a flipped bit");
    assertTrue(refusals.get(refusals.size() - 1).contains("bad signature"), refusals.toString());

    assertTrue(yuuka.open("patchouli", "id2", sealed).isEmpty(), "the same box under another id");
    assertTrue(yuuka.open("marisa", "id1", sealed).isEmpty(), "the same box in another name");

    // mallory makes a card in patchouli's name with her own key: patchouli is pinned to another key.
    cards.remove("patchouli");
    MeshSeal mallory = seal("patchouli", IdentityKeyPair.generate(RANDOM));
    assertTrue(yuuka.open("patchouli", "id3", mallory.seal("yuuka", "id3", utf8("send money"))).isEmpty());
    assertTrue(refusals.get(refusals.size() - 1).contains("not patchouli's"), refusals.toString());

    assertTrue(yuuka.open("patchouli", "id4", new byte[10]).isEmpty(), "garbage");
    now.addAndGet(61_000);
    assertTrue(yuuka.open("patchouli", "id1", sealed).isEmpty(), "a replay after the caches forgot it");
    assertTrue(refusals.get(refusals.size() - 1).contains("a replay"), refusals.toString());
  }

  @Test
  void aCardSignedForAnotherNameIsRefusedAndNothingIsSealedWithoutACard() {
    IdentityKeyPair yk = IdentityKeyPair.generate(RANDOM);
    MeshSeal patchouli = seal("patchouli", IdentityKeyPair.generate(RANDOM));
    seal("yuuka", yk);
    cards.put("reimu", cards.get("yuuka"));
    assertTrue(patchouli.cardOf("reimu").isEmpty());
    assertTrue(refusals.get(0).contains("bad signature"), refusals.toString());
    assertTrue(patchouli.cardOf("nobody").isEmpty());
    assertEquals(0, patchouli.seal("nobody", "id", utf8("x")).length);
    assertEquals(yk.publicKey(), patchouli.cardOf("yuuka").orElseThrow().idkey());
  }
}
