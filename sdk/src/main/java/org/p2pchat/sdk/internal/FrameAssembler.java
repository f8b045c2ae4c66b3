package org.p2pchat.sdk.internal;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of one connection, gathered until end of stream under a size cap. Pure: no sockets, so
 * framing is tested by feeding bytes in any split. Not thread-safe: one connection, one reader.
 */
public final class FrameAssembler {
  private final int maxBytes;
  private byte[] buffer;
  private int size;

  public FrameAssembler(int maxBytes) {
    this.maxBytes = maxBytes;
    this.buffer = new byte[Math.min(1024, maxBytes)];
  }

  /** Adds what {@code src} holds; false (and nothing added) if that would pass the cap. */
  public boolean append(ByteBuffer src) {
    int n = src.remaining();
    if (!fits(n)) {
      return false;
    }
    grow(n);
    src.get(buffer, size, n);
    size += n;
    return true;
  }

  /** Adds {@code len} bytes of {@code src}; false (and nothing added) if that would pass the cap. */
  public boolean append(byte[] src, int off, int len) {
    if (!fits(len)) {
      return false;
    }
    grow(len);
    System.arraycopy(src, off, buffer, size, len);
    size += len;
    return true;
  }

  private boolean fits(int n) {
    return (long) size + n <= maxBytes;
  }

  private void grow(int n) {
    if (size + n > buffer.length) {
      buffer = Arrays.copyOf(buffer, (int) Math.min(maxBytes, Math.max(2L * buffer.length, (long) size + n)));
    }
  }

  /** Bytes gathered so far. */
  public int size() {
    return size;
  }

  public int maxBytes() {
    return maxBytes;
  }

  /** The frame at end of stream: exactly the bytes appended, in order. */
  public byte[] frame() {
    return buffer.length == size ? buffer : Arrays.copyOf(buffer, size);
  }
}
