package org.p2pchat.filetransfer;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.TreeMap;
import org.p2pchat.filetransfer.internal.Hex;
import org.p2pchat.filetransfer.internal.Sidecar;

/**
 * The receiving side's file: writes chunks in order to {@code <downloads>/.<name>.<sha12>.part}, keeps a running
 * SHA-256 of what it wrote, and records the verified prefix in a sidecar ({@code .part.meta}) after every write,
 * so a receiver that restarts resumes from the last verified chunk ({@link #next()}). Not thread-safe; one per
 * transfer.
 *
 * <p>Design: chunks are checked one by one (index inside the file and the window, not seen before, right length,
 * CRC-32C) and written in order; chunks that arrive early (each chunk is its own connection, so order is not
 * guaranteed) wait in memory, at most a window of them. The SHA-256 of the whole file is checked once at the end;
 * only then is the file moved into place under its safe name ({@link SafeFileNames#publish}). Any failure keeps
 * the {@code .part} file and sidecar for a resume, and nothing under the final name ever exists for an unverified
 * file. After a SHA-256 mismatch the verified mark drops to 0: one chunk is wrong and nobody knows which.
 *
 * <p>The resume key is the file's content (SHA-256 and size), not the transfer id: a restarted sender cannot know
 * its old id, and an identical file from anyone is as good.
 */
public final class Incoming implements Closeable {
  private static final int HASH_BUFFER = 256 * 1024;

  private final Path downloads;
  private final Offer offer;
  private final String safeName;
  private final Path part;
  private final Path meta;
  private final int window;
  private final MessageDigest sha = Hex.sha256();
  private final TreeMap<Integer, byte[]> early = new TreeMap<>();
  private final int resumedFrom;
  private FileChannel channel;
  private Sidecar sidecar;
  private int next;
  private int lastAcked;
  private ChunkResult terminal;

  private Incoming(Path downloads, Offer offer, String safeName, Path part, Path meta, int window,
      FileChannel channel, int next) {
    this.downloads = downloads;
    this.offer = offer;
    this.safeName = safeName;
    this.part = part;
    this.meta = meta;
    this.window = window;
    this.channel = channel;
    this.next = next;
    this.lastAcked = next;
    this.resumedFrom = next;
  }

  /**
   * Opens the download of {@code offer} in {@code downloads} (created if missing): resumes a matching {@code .part}
   * file from its last verified chunk, or starts a new one. Checks the offer against {@code limits}.
   */
  public static Incoming open(Path downloads, Offer offer, FileTransferLimits limits) throws TransferException {
    return open(downloads, offer, limits, limits.window());
  }

  /**
   * {@link #open(Path, Offer, FileTransferLimits)} with the window both sides agreed on (the smaller of the two):
   * chunks beyond it are refused, and an ack is due every half of it, so a sender with a smaller window than
   * ours is never left waiting for an ack we would only send later.
   */
  public static Incoming open(Path downloads, Offer offer, FileTransferLimits limits, int window)
      throws TransferException {
    if (window < 1) {
      throw new IllegalArgumentException("window " + window);
    }
    if (offer.size() > limits.maxFileSize()) {
      throw new TransferException(FailureReason.TOO_LARGE,
          offer.size() + " bytes, the limit is " + limits.maxFileSize());
    }
    String safeName = SafeFileNames.sanitize(offer.name());
    Path part = partFile(downloads, offer);
    Path meta = part.resolveSibling(part.getFileName() + ".meta");
    FileChannel channel = null;
    try {
      Files.createDirectories(downloads);
      long verified = 0;
      Optional<Sidecar.State> old = Sidecar.read(meta);
      boolean resume = old.isPresent() && old.get().offer().sha256().equals(offer.sha256())
          && old.get().offer().size() == offer.size() && Files.isRegularFile(part, LinkOption.NOFOLLOW_LINKS);
      if (resume) {
        verified = Math.min(old.get().verifiedBytes(), Files.size(part));
      }
      int next = verified >= offer.size() ? offer.chunkCount() : (int) (verified / offer.chunkSize());
      long keep = next == offer.chunkCount() ? offer.size() : (long) next * offer.chunkSize();
      channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
      channel.truncate(keep);
      Incoming in = new Incoming(downloads, offer, safeName, part, meta, window, channel, next);
      in.rehash(keep);
      in.sidecar = Sidecar.create(meta, offer, keep);
      return in;
    } catch (IOException e) {
      closeQuietly(channel);
      throw new TransferException(FailureReason.IO_ERROR, "opening " + part.getFileName(), e);
    }
  }

  /**
   * The next chunk a download of {@code offer} in {@code downloads} would need, from the part file a previous run
   * left, without opening anything for writing: 0 when there is nothing to resume. For answering an offer.
   */
  public static int resumePoint(Path downloads, Offer offer) {
    Path part = partFile(downloads, offer);
    Optional<Sidecar.State> old = Sidecar.read(part.resolveSibling(part.getFileName() + ".meta"));
    if (old.isEmpty() || !old.get().offer().sha256().equals(offer.sha256())
        || old.get().offer().size() != offer.size() || !Files.isRegularFile(part, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    try {
      long verified = Math.min(old.get().verifiedBytes(), Files.size(part));
      return verified >= offer.size() ? offer.chunkCount() : (int) (verified / offer.chunkSize());
    } catch (IOException e) {
      return 0;
    }
  }

  /** Where the partial download of {@code offer} lives: {@code .<safe name>.<first 12 of sha256>.part}. */
  public static Path partFile(Path downloads, Offer offer) {
    return downloads.resolve("." + SafeFileNames.sanitize(offer.name()) + "." + offer.sha256().substring(0, 12)
        + ".part");
  }

  public Offer offer() {
    return offer;
  }

  /** The name the file will get (before any " (n)" for a name already taken). */
  public String safeName() {
    return safeName;
  }

  /** The next chunk index needed; every chunk below it is written and verified. */
  public int next() {
    return next;
  }

  /** The chunk this download started from (0 unless resumed). */
  public int resumedFrom() {
    return resumedFrom;
  }

  /** Bytes written and verified so far. */
  public long verifiedBytes() {
    return next == offer.chunkCount() ? offer.size() : (long) next * offer.chunkSize();
  }

  public Path partFile() {
    return part;
  }

  /** The final result once the transfer completed, failed or was cancelled; empty while it is running. */
  public Optional<ChunkResult> outcome() {
    return Optional.ofNullable(terminal);
  }

  /**
   * Takes one chunk: checks it, writes it (with any early chunks it unblocks) or holds it until the chunks before
   * it arrive, and after the last one verifies the SHA-256 and moves the file into place. A bad chunk fails the
   * transfer (see {@link FailureReason}); once finished, every further call returns the same result.
   */
  public ChunkResult accept(Chunk chunk) {
    if (terminal != null) {
      return terminal;
    }
    int index = chunk.index();
    int count = offer.chunkCount();
    if (!chunk.transferId().equals(offer.id())) {
      return fail(FailureReason.PROTOCOL, "chunk for another transfer");
    }
    if (index < 0 || index >= count) {
      return fail(FailureReason.OUT_OF_RANGE, "chunk " + index + " of " + count);
    }
    if (index < next || early.containsKey(index)) {
      return fail(FailureReason.DUPLICATE_CHUNK, "chunk " + index);
    }
    if (index >= next + window) {
      return fail(FailureReason.OUT_OF_RANGE, "chunk " + index + " is beyond the window (next " + next
          + ", window " + window + ")");
    }
    if (chunk.length() != offer.chunkLength(index)) {
      return fail(FailureReason.CORRUPT_CHUNK, "chunk " + index + " has " + chunk.length() + " bytes, expected "
          + offer.chunkLength(index));
    }
    if (!chunk.crcMatches()) {
      return fail(FailureReason.CORRUPT_CHUNK, "chunk " + index + " fails its CRC-32C");
    }
    early.put(index, chunk.rawData());
    if (index != next) {
      return ChunkResult.accepted(next, false);
    }
    try {
      byte[] data;
      while ((data = early.remove(next)) != null) {
        ByteBuffer buf = ByteBuffer.wrap(data);
        long pos = offer.offsetOf(next);
        while (buf.hasRemaining()) {
          channel.write(buf, pos + buf.position());
        }
        sha.update(data);
        next++;
      }
      sidecar.mark(verifiedBytes());
    } catch (IOException e) {
      return fail(FailureReason.IO_ERROR, "writing " + part.getFileName() + ": " + e.getClass().getSimpleName());
    }
    if (next == count) {
      return finish();
    }
    boolean ackDue = next - lastAcked >= Math.max(1, window / 2);
    if (ackDue) {
      lastAcked = next;
    }
    return ChunkResult.accepted(next, ackDue);
  }

  /**
   * {@link #accept} for a FILE_CHUNK's fields as they arrived: {@code data} that is not valid base64 fails the
   * transfer as {@link FailureReason#CORRUPT_CHUNK} instead of throwing.
   */
  public ChunkResult acceptWire(String transferId, long index, String base64, long crc32c) {
    if (terminal != null) {
      return terminal;
    }
    Chunk chunk;
    try {
      chunk = Chunk.fromWire(transferId, index, base64, crc32c);
    } catch (IllegalArgumentException e) {
      return fail(FailureReason.CORRUPT_CHUNK, "chunk " + index + " is not valid base64");
    }
    return accept(chunk);
  }

  /**
   * Verifies the SHA-256 and moves the file into place; {@link #accept} calls it after the last chunk, and the
   * caller calls it directly only for a 0-byte file (which has no chunks). Returns the result, {@link
   * ChunkResult.Status#COMPLETED} with the final path or {@link ChunkResult.Status#FAILED}.
   */
  public ChunkResult finish() {
    if (terminal != null) {
      return terminal;
    }
    if (next != offer.chunkCount()) {
      throw new IllegalStateException("chunk " + next + " of " + offer.chunkCount() + " still missing");
    }
    String actual = Hex.of(sha.digest());
    if (!actual.equals(offer.sha256())) {
      ChunkResult failed = fail(FailureReason.CHECKSUM_MISMATCH, "got " + actual.substring(0, 12) + "…");
      deleteSidecar(); // some chunk is wrong and nobody knows which: without a sidecar the next try starts over
      return failed;
    }
    try {
      channel.force(true);
      channel.close();
      closeQuietly(sidecar);
      Path placed = SafeFileNames.publish(part, downloads, safeName);
      Sidecar.delete(meta);
      terminal = ChunkResult.completed(next, placed);
      return terminal;
    } catch (IOException e) {
      return fail(FailureReason.IO_ERROR, "moving the file into place: " + e.getClass().getSimpleName());
    }
  }

  /** Stops the download for {@code reason} (usually {@link FailureReason#CANCELLED}), keeping the partial file. */
  public ChunkResult cancel(FailureReason reason, String detail) {
    if (terminal != null) {
      return terminal;
    }
    return fail(reason, detail);
  }

  /** Releases the file without ending the transfer's record: the partial file stays for a resume. */
  @Override
  public void close() {
    closeQuietly(channel);
    closeQuietly(sidecar);
  }

  private ChunkResult fail(FailureReason reason, String detail) {
    early.clear();
    closeQuietly(channel);
    closeQuietly(sidecar);
    terminal = ChunkResult.failed(next, reason, detail);
    return terminal;
  }

  private void rehash(long length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(HASH_BUFFER);
    long pos = 0;
    while (pos < length) {
      buf.clear();
      buf.limit((int) Math.min(buf.capacity(), length - pos));
      int n = channel.read(buf, pos);
      if (n < 0) {
        throw new IOException("part file shorter than its sidecar says");
      }
      buf.flip();
      sha.update(buf);
      pos += n;
    }
  }

  private void deleteSidecar() {
    try {
      closeQuietly(sidecar);
      Sidecar.delete(meta);
    } catch (IOException e) {
      // A stale mark only costs a second SHA-256 failure; the final check still guards the file.
      terminal = ChunkResult.failed(next, FailureReason.IO_ERROR, "cannot reset " + meta.getFileName());
    }
  }

  private static void closeQuietly(java.io.Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException ignored) {
      // closing a file we only read or already forced; nothing to recover
    }
  }
}
