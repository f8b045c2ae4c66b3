package org.p2pchat.server.internal;

import java.text.Normalizer;
import java.util.Optional;
import org.p2pchat.protocol.Printable;

/**
 * The server's rule for peer names: a name is stored in Unicode NFC, so two spellings of one text are
 * one name; a name holding an invisible, control or bidi character ({@link Printable#isUnsafe}: e.g.
 * {@code att\u200b} or a U+202E override) is refused with REGISTER_ERROR rather than registered
 * beside the name it imitates.
 */
public final class PeerNames {
  private PeerNames() {}

  /** The name as registered (NFC), or empty if it must be refused. */
  public static Optional<String> canonical(String name) {
    String nfc = Normalizer.normalize(name, Normalizer.Form.NFC);
    return Printable.hasUnsafe(nfc) ? Optional.empty() : Optional.of(nfc);
  }

  /** The name to look up for LISTPEER and EXIT_NETWORK: NFC, like a registered one. */
  public static String lookup(String name) {
    return Normalizer.normalize(name, Normalizer.Form.NFC);
  }
}
