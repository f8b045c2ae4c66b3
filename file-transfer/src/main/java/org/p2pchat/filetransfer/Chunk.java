package org.p2pchat.filetransfer;

import java.util.Arrays;
import java.util.Objects;

/**
 * One piece of a file in flight: transfer id, index, bytes and their CRC-32C. Immutable (the bytes are copied in
 * and out).
 *
 * <p>The CRC catches a chunk damaged on the way before it is written, so the receiver's verified prefix stays
 * honest; it is no defence against a deliberate change (the whole-file SHA-256 and, later, the session's
 * authenticated encryption are).
 */
public final class Chunk {
  private final String transferId;
  private final int index;
  private final byte[] data;
  private final long crc32c;

  private Chunk(String transferId, int index, byte[] data, long crc32c) {
    this.transferId = Objects.requireNonNull(transferId, "transferId");
    this.index = index;
    this.data = data;
    this.crc32c = crc32c;
  }

  /** A chunk of {@code data}, with its CRC-32C computed here. */
  public static Chunk of(String transferId, int index, byte[] data) {
    byte[] copy = data.clone();
    return new Chunk(transferId, index, copy, ChunkEncoding.crc32c(copy));
  }

  /**
   * A chunk as it arrived: base64 {@code data} and the CRC the sender claims (checked by {@link Incoming}, not
   * here). Throws {@link IllegalArgumentException} if {@code base64} is not valid base64.
   */
  public static Chunk fromWire(String transferId, long index, String base64, long crc32c) {
    if (index < Integer.MIN_VALUE || index > Integer.MAX_VALUE) {
      index = -1; // out of any range; Incoming reports it as such
    }
    return new Chunk(transferId, (int) index, ChunkEncoding.decode(base64), crc32c);
  }

  public String transferId() {
    return transferId;
  }

  public int index() {
    return index;
  }

  /** A copy of the bytes. */
  public byte[] data() {
    return data.clone();
  }

  /** Number of bytes. */
  public int length() {
    return data.length;
  }

  /** The CRC-32C this chunk carries (unsigned, 0 to 2^32-1). */
  public long crc32c() {
    return crc32c;
  }

  /** True when the carried CRC matches the bytes. */
  public boolean crcMatches() {
    return ChunkEncoding.crc32c(data) == crc32c;
  }

  /** The bytes as base64, for the {@code data} field. */
  public String base64() {
    return ChunkEncoding.encode(data);
  }

  byte[] rawData() {
    return data;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Chunk c && c.index == index && c.crc32c == crc32c && c.transferId.equals(transferId)
        && Arrays.equals(c.data, data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(transferId, index, crc32c) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Chunk[" + transferId + " #" + index + ", " + data.length + " bytes]";
  }
}
