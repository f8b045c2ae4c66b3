package org.p2pchat.filetransfer.internal;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.p2pchat.filetransfer.Offer;

/**
 * The small file beside a {@code .part} file: the offer it belongs to and the verified-prefix length in bytes
 * (the high-water mark). Created whole (temporary file, then an atomic move); after that only the mark changes,
 * by one 20-byte write in place at a fixed offset, because a rename per chunk cost more than the chunk itself
 * (measured: docs/file-transfer.md). Internal: may change without notice.
 *
 * <p>Format, UTF-8 lines: {@code verified=<20 digits>}, then {@code key=value} for id, size, sha256, chunkSize
 * and name (last, since it may contain anything but a line break).
 */
public final class Sidecar implements Closeable {
  private static final String MARK_KEY = "verified=";
  private static final int MARK_DIGITS = 20;
  private final FileChannel channel;

  private Sidecar(FileChannel channel) {
    this.channel = channel;
  }

  /** What a sidecar says: the offer and the verified-prefix length in bytes. */
  public record State(Offer offer, long verifiedBytes) {
  }

  /** Writes a new sidecar for {@code offer} at {@code file} and opens it for mark updates. */
  public static Sidecar create(Path file, Offer offer, long verifiedBytes) throws IOException {
    String text = MARK_KEY + digits(verifiedBytes) + "\n"
        + "id=" + offer.id() + "\n"
        + "size=" + offer.size() + "\n"
        + "sha256=" + offer.sha256() + "\n"
        + "chunkSize=" + offer.chunkSize() + "\n"
        + "name=" + offer.name().replace('\n', ' ').replace('\r', ' ') + "\n";
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    return new Sidecar(FileChannel.open(file, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS));
  }

  /** Moves the mark to {@code verifiedBytes}: one small write in place. */
  public void mark(long verifiedBytes) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(digits(verifiedBytes).getBytes(StandardCharsets.US_ASCII));
    while (buf.hasRemaining()) {
      channel.write(buf, MARK_KEY.length() + buf.position());
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  /** The sidecar's state, or empty when it is missing or unreadable (then the part file is not trusted). */
  public static Optional<State> read(Path file) {
    try {
      if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || Files.size(file) > 4096) {
        return Optional.empty();
      }
      Map<String, String> p = new HashMap<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          p.put(line.substring(0, eq), line.substring(eq + 1));
        }
      }
      Offer offer = new Offer(p.get("id"), p.get("name"), Long.parseLong(p.get("size")), p.get("sha256"),
          Integer.parseInt(p.get("chunkSize")));
      long verified = Long.parseLong(p.get("verified"));
      if (verified < 0 || verified > offer.size()) {
        return Optional.empty();
      }
      return Optional.of(new State(offer, verified));
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  public static void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".tmp"));
  }

  private static String digits(long v) {
    return String.format("%0" + MARK_DIGITS + "d", v);
  }
}
