package org.p2pchat.mesh;

import java.util.Optional;

/**
 * The end-to-end protection hook: the origin seals a payload for the destination, the destination opens it,
 * and acknowledgements carry a proof the origin checks. The identity module plugs its signatures/AEAD in here;
 * relays never call it (they see only origin, destination, id, hop limit and opaque bytes).
 * Implementations must be pure functions of their inputs and keys (no I/O).
 */
public interface EndToEnd {

  /** The sealed bytes to send from us to destination for message id. */
  byte[] seal(String destination, String messageId, byte[] plaintext);

  /** The plaintext if sealed really comes from origin for us and message id, unaltered; empty if forged or tampered. */
  Optional<byte[]> open(String origin, String messageId, byte[] sealed);

  /** The proof we attach to our acknowledgement of origin's message id. */
  byte[] ackProof(String origin, String messageId);

  /** Whether proof shows that destination itself acknowledged our message id. */
  boolean checkAck(String destination, String messageId, byte[] proof);

  /** No protection: payloads travel as given and any acknowledgement is believed. For tests and simulation only. */
  EndToEnd PLAIN = new EndToEnd() {
    private final byte[] none = new byte[0];

    @Override
    public byte[] seal(String destination, String messageId, byte[] plaintext) {
      return plaintext.clone();
    }

    @Override
    public Optional<byte[]> open(String origin, String messageId, byte[] sealed) {
      return Optional.of(sealed.clone());
    }

    @Override
    public byte[] ackProof(String origin, String messageId) {
      return none;
    }

    @Override
    public boolean checkAck(String destination, String messageId, byte[] proof) {
      return true;
    }
  };
}
