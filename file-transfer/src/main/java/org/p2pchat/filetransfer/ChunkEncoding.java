package org.p2pchat.filetransfer;

import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * How chunk bytes travel inside JSON: standard base64 with padding, no line breaks (only {@code [A-Za-z0-9+/=]},
 * which no JSON writer escapes), plus the CRC-32C of the raw bytes. Stateless.
 */
public final class ChunkEncoding {
  private static final Base64.Encoder ENCODER = Base64.getEncoder();
  private static final Base64.Decoder DECODER = Base64.getDecoder();

  private ChunkEncoding() {
  }

  public static String encode(byte[] data) {
    return ENCODER.encodeToString(data);
  }

  /**
   * Decodes strict base64: length a multiple of 4, padding only at the end. Throws {@link IllegalArgumentException}
   * otherwise.
   */
  public static byte[] decode(String base64) {
    if (base64.length() % 4 != 0) {
      throw new IllegalArgumentException("base64 length " + base64.length() + " is not a multiple of 4");
    }
    return DECODER.decode(base64);
  }

  /** Characters base64 needs for {@code bytes} bytes. */
  public static long encodedLength(long bytes) {
    return (bytes + 2) / 3 * 4;
  }

  /** Unsigned CRC-32C of {@code data}. */
  public static long crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data, 0, data.length);
    return crc.getValue();
  }
}
