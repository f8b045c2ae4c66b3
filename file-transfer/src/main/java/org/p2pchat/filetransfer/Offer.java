package org.p2pchat.filetransfer;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a sender proposes to send: an immutable description of one file, as it travels in the offer message.
 *
 * <p>{@code name} is the sender's name for the file, untrusted; a receiver turns it into a local name with
 * {@link SafeFileNames}. The chunk count follows from size and chunk size, so a receiver checks the count it was
 * told with {@link #hasChunkCount}. A 0-byte file has 0 chunks.
 */
public record Offer(String id, String name, long size, String sha256, int chunkSize) {

  /** Transfer ids: 1 to 64 characters from {@code [A-Za-z0-9_-]}, safe in file names and log lines. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  /** Largest chunk an offer may name; the wire cap (1 MiB a message) leaves room for base64 of 512 KiB. */
  public static final int MAX_CHUNK_SIZE = 512 * 1024;
  /** Longest file name an offer may carry, in characters (the reserved schemas' limit). */
  public static final int MAX_NAME_LENGTH = 255;

  /** Checks every field; throws {@link IllegalArgumentException} naming the first bad one. */
  public Offer {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sha256, "sha256");
    if (!ID.matcher(id).matches()) {
      throw new IllegalArgumentException("transfer id must be 1 to 64 of [A-Za-z0-9_-]");
    }
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("file name must be 1 to " + MAX_NAME_LENGTH + " characters");
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative, got " + size);
    }
    if (!SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits");
    }
    if (chunkSize < 1 || chunkSize > MAX_CHUNK_SIZE) {
      throw new IllegalArgumentException("chunk size must be 1 to " + MAX_CHUNK_SIZE + ", got " + chunkSize);
    }
    if ((size + chunkSize - 1) / chunkSize > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many chunks: size " + size + " with chunk size " + chunkSize);
    }
  }

  /** How many chunks the file has: {@code ceil(size / chunkSize)}, 0 for an empty file. */
  public int chunkCount() {
    return (int) ((size + chunkSize - 1) / chunkSize);
  }

  /** True when {@code claimed} (the count the message carried) agrees with size and chunk size. */
  public boolean hasChunkCount(long claimed) {
    return claimed == chunkCount();
  }

  /** Byte offset of chunk {@code index} in the file. */
  public long offsetOf(int index) {
    checkIndex(index);
    return (long) index * chunkSize;
  }

  /** Length of chunk {@code index}: {@code chunkSize}, except a shorter last chunk. */
  public int chunkLength(int index) {
    checkIndex(index);
    return (int) Math.min(chunkSize, size - (long) index * chunkSize);
  }

  private void checkIndex(int index) {
    if (index < 0 || index >= chunkCount()) {
      throw new IndexOutOfBoundsException("chunk " + index + " of " + chunkCount());
    }
  }
}
