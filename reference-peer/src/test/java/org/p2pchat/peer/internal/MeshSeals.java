package org.p2pchat.peer.internal;

import java.security.SecureRandom;
import java.util.Optional;
import org.p2pchat.identity.IdentityKeyPair;

/** The reference peer's end-to-end seal ({@link MeshSeal}) for tests outside this package that play a forger. */
public final class MeshSeals {
  private static final SecureRandom RANDOM = new SecureRandom();

  private MeshSeals() {}

  /**
   * A MESH_DATA payload sealed by {@code keys} in the name of {@code origin} (its key card signed for that name with
   * {@code keys}) for {@code destination}, whose key card is {@code destinationCard}, stamped now: exactly what a
   * peer named {@code origin} with those keys would send.
   */
  public static byte[] sealAs(String origin, IdentityKeyPair keys, String destination, byte[] destinationCard,
      String id, byte[] plaintext) {
    MeshSeal seal = new MeshSeal(origin, keys, RANDOM, System::currentTimeMillis, 60_000,
        name -> name.equals(destination) ? Optional.of(destinationCard) : Optional.empty(), (name, key) -> true,
        refusal -> {
          throw new IllegalArgumentException(refusal);
        });
    byte[] sealed = seal.seal(destination, id, plaintext);
    if (sealed.length == 0) {
      throw new IllegalArgumentException("no usable key card for " + destination);
    }
    return sealed;
  }
}
