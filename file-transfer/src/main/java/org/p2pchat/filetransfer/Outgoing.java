package org.p2pchat.filetransfer;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import org.p2pchat.filetransfer.internal.Hex;

/**
 * The sending side's file: hashes the source once to make the {@link Offer}, then reads any chunk on demand, so
 * a resumed transfer simply starts at the index the receiver asked for. Not thread-safe; one per transfer.
 *
 * <p>Before each read it checks the source's size and modification time against the offer's; a change fails the
 * read with {@link FailureReason#SOURCE_CHANGED} rather than sending bytes the SHA-256 cannot match.
 */
public final class Outgoing implements Closeable {
  private static final int HASH_BUFFER = 256 * 1024;
  private final Path source;
  private final Offer offer;
  private final FileTime modified;
  private final FileChannel channel;

  private Outgoing(Path source, Offer offer, FileTime modified, FileChannel channel) {
    this.source = source;
    this.offer = offer;
    this.modified = modified;
    this.channel = channel;
  }

  /**
   * Opens {@code source}, reads it once for its SHA-256 and size, and makes the offer {@code transferId} for it
   * under {@code name} (usually the source's file name) with chunks of {@code chunkSize} bytes.
   */
  public static Outgoing open(Path source, String transferId, String name, int chunkSize) throws IOException {
    FileTime modified = Files.getLastModifiedTime(source);
    FileChannel channel = FileChannel.open(source, StandardOpenOption.READ);
    try {
      MessageDigest sha = Hex.sha256();
      ByteBuffer buf = ByteBuffer.allocate(HASH_BUFFER);
      long size = 0;
      long pos = 0;
      int n;
      while ((n = channel.read(buf, pos)) > 0) {
        buf.flip();
        sha.update(buf);
        buf.clear();
        pos += n;
        size += n;
      }
      Offer offer = new Offer(transferId, name, size, Hex.of(sha.digest()), chunkSize);
      return new Outgoing(source, offer, modified, channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  public Offer offer() {
    return offer;
  }

  /** Reads chunk {@code index} (0 to chunkCount-1). */
  public Chunk chunk(int index) throws TransferException {
    if (index < 0 || index >= offer.chunkCount()) {
      throw new TransferException(FailureReason.OUT_OF_RANGE, "chunk " + index + " of " + offer.chunkCount());
    }
    try {
      if (channel.size() != offer.size() || !Files.getLastModifiedTime(source).equals(modified)) {
        throw new TransferException(FailureReason.SOURCE_CHANGED, source.getFileName().toString());
      }
      byte[] data = new byte[offer.chunkLength(index)];
      ByteBuffer buf = ByteBuffer.wrap(data);
      long pos = offer.offsetOf(index);
      while (buf.hasRemaining()) {
        if (channel.read(buf, pos + buf.position()) < 0) {
          throw new TransferException(FailureReason.SOURCE_CHANGED, "the file got shorter");
        }
      }
      return Chunk.of(offer.id(), index, data);
    } catch (IOException e) {
      throw new TransferException(FailureReason.IO_ERROR, "reading " + source.getFileName(), e);
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
