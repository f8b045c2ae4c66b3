package org.p2pchat.filetransfer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;
import org.p2pchat.filetransfer.Offer;

/**
 * The small file beside a {@code .part} file: the offer it belongs to and how many bytes of it are verified.
 * Written whole to a temporary file and moved over the old one, so a crash leaves either the old or the new
 * version. Internal: may change without notice.
 */
public final class Sidecar {
  private Sidecar() {
  }

  /** What a sidecar says: the offer and the verified-prefix length in bytes. */
  public record State(Offer offer, long verifiedBytes) {
  }

  public static void write(Path file, Offer offer, long verifiedBytes) throws IOException {
    Properties p = new Properties();
    p.setProperty("version", "1");
    p.setProperty("id", offer.id());
    p.setProperty("name", offer.name());
    p.setProperty("size", Long.toString(offer.size()));
    p.setProperty("sha256", offer.sha256());
    p.setProperty("chunkSize", Integer.toString(offer.chunkSize()));
    p.setProperty("verifiedBytes", Long.toString(verifiedBytes));
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (OutputStream out = Files.newOutputStream(tmp)) {
      p.store(out, null);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The sidecar's state, or empty when it is missing or unreadable (then the part file is not trusted). */
  public static Optional<State> read(Path file) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
      Offer offer = new Offer(p.getProperty("id"), p.getProperty("name"), Long.parseLong(p.getProperty("size")),
          p.getProperty("sha256"), Integer.parseInt(p.getProperty("chunkSize")));
      long verified = Long.parseLong(p.getProperty("verifiedBytes"));
      if (verified < 0 || verified > offer.size()) {
        return Optional.empty();
      }
      return Optional.of(new State(offer, verified));
    } catch (NoSuchFileException missing) {
      return Optional.empty();
    } catch (IOException | RuntimeException unreadable) {
      return Optional.empty();
    }
  }

  public static void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".tmp"));
  }
}
