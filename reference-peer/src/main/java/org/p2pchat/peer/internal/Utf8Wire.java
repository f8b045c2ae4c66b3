package org.p2pchat.peer.internal;

import com.fasterxml.jackson.databind.JsonNode;
import org.p2pchat.protocol.MessageValidator;
import org.p2pchat.protocol.ValidationResult;
import org.p2pchat.protocol.WireJson;

/**
 * Wire bytes for a counterpart that advertised {@code eof}: the 2018 {@code json.dumps} form (same
 * separators, same key order) but with non-ASCII written as raw UTF-8, as {@code ensure_ascii=False}
 * does, so a CJK character costs 3 bytes instead of 6. Checked against the schemas before it leaves.
 * The SDK's default style escapes non-ASCII (what a 2018 reader needs); this is the peer's path for
 * counterparts that read to end of stream.
 */
final class Utf8Wire {
  /**
   * Room for the schema's longest message (65,536 characters, up to 4 bytes each) and its envelope, also when
   * sealed (base64url adds a third); under the 1 MiB a peer's node reads.
   */
  static final int MAX_BYTES = 512 * 1024;

  private static final MessageValidator VALIDATOR = MessageValidator.withMaxBytes(MAX_BYTES);

  private Utf8Wire() {}

  /** The message's bytes; throws IllegalArgumentException naming the first schema violation. */
  static byte[] encode(Object message) {
    JsonNode tree = WireJson.toTree(message);
    ValidationResult result = VALIDATOR.validate(tree);
    if (!result.isValid()) {
      throw new IllegalArgumentException(result.violations().get(0).message());
    }
    return WireJson.write(tree, WireJson.Style.PYTHON_UTF8);
  }
}
