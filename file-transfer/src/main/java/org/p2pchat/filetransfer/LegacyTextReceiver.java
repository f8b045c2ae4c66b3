package org.p2pchat.filetransfer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Receives the 2018 revision's FILE_TRANSFER: text cut into {@code filenum} chunks of at most 128 characters,
 * numbered by {@code curnum} from 0, no checksum and no consent. Chunks are collected per (peername, filename) in
 * any order; when all have arrived the text is written as UTF-8 under a safe name in the downloads directory, never
 * over an existing file, as the 2018 program meant (it wrote the text to a file of that name).
 *
 * <p>Bounds, since nothing in that form is trustworthy: at most {@code legacyMaxChunks} chunks a file, at most
 * {@code legacyMaxPending} files collected at once (the least recently fed is dropped), a collection idle for
 * {@code stallTimeout} is dropped by {@link #expire}. A chunk that contradicts an earlier one (another
 * {@code filenum}, the same {@code curnum} with other text) drops that collection. Time is injected. Not
 * thread-safe.
 */
public final class LegacyTextReceiver {
  /** The 2018 chunk size in characters. */
  public static final int CHUNK_CHARS = 128;

  private final Path downloads;
  private final FileTransferLimits limits;
  private final Map<String, Assembly> pending = new LinkedHashMap<>(16, 0.75f, true);

  /** What became of one FILE_TRANSFER message. */
  public record Result(Status status, int received, int total, Path file, String detail) {
    /** Outcome of one chunk. */
    public enum Status {
      /** Stored; more chunks to come. */
      COLLECTING,
      /** The last chunk arrived; the file is written at {@code file}. */
      SAVED,
      /** Bad chunk; dropped (and its collection, if it contradicted it). {@code detail} says why. */
      REJECTED
    }
  }

  private static final class Assembly {
    final String[] parts;
    int received;
    long lastSeen;

    Assembly(int total) {
      this.parts = new String[total];
    }
  }

  public LegacyTextReceiver(Path downloads, FileTransferLimits limits) {
    this.downloads = downloads;
    this.limits = limits;
  }

  /** Takes one FILE_TRANSFER's fields. */
  public Result receive(String peername, String filename, long filenum, long curnum, String filedata,
      long nowNanos) {
    if (peername == null || filename == null || filedata == null) {
      return rejected(0, 0, "missing field");
    }
    if (filenum < 1 || filenum > limits.legacyMaxChunks()) {
      return rejected(0, 0, "filenum " + filenum + " outside 1 to " + limits.legacyMaxChunks());
    }
    if (curnum < 0 || curnum >= filenum) {
      return rejected(0, (int) filenum, "curnum " + curnum + " outside 0 to " + (filenum - 1));
    }
    if (filedata.length() > CHUNK_CHARS) {
      return rejected(0, (int) filenum, "filedata longer than " + CHUNK_CHARS + " characters");
    }
    String key = peername + '\u0000' + filename;
    Assembly a = pending.get(key);
    if (a != null && a.parts.length != filenum) {
      pending.remove(key);
      return rejected(0, (int) filenum, "filenum changed from " + a.parts.length + " to " + filenum);
    }
    if (a == null) {
      if (pending.size() >= limits.legacyMaxPending()) {
        Iterator<String> oldest = pending.keySet().iterator();
        oldest.next();
        oldest.remove();
      }
      a = new Assembly((int) filenum);
      pending.put(key, a);
    }
    a.lastSeen = nowNanos;
    int i = (int) curnum;
    if (a.parts[i] != null) {
      if (a.parts[i].equals(filedata)) {
        return new Result(Result.Status.COLLECTING, a.received, a.parts.length, null, "repeated chunk ignored");
      }
      pending.remove(key);
      return rejected(a.received, a.parts.length, "chunk " + i + " arrived twice with different text");
    }
    a.parts[i] = filedata;
    a.received++;
    if (a.received < a.parts.length) {
      return new Result(Result.Status.COLLECTING, a.received, a.parts.length, null, "");
    }
    pending.remove(key);
    StringBuilder text = new StringBuilder(a.parts.length * CHUNK_CHARS);
    for (String p : a.parts) {
      text.append(p);
    }
    try {
      Files.createDirectories(downloads);
      Path tmp = Files.createTempFile(downloads, ".legacy-", ".part");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Path placed = SafeFileNames.publish(tmp, downloads, SafeFileNames.sanitize(filename));
      return new Result(Result.Status.SAVED, a.received, a.parts.length, placed, "");
    } catch (IOException e) {
      return rejected(a.received, a.parts.length, "cannot write the file: " + e.getClass().getSimpleName());
    }
  }

  /** Drops collections idle for the stall timeout; returns how many. */
  public int expire(long nowNanos) {
    long idle = limits.stallTimeout().toNanos();
    int dropped = 0;
    for (Iterator<Assembly> it = pending.values().iterator(); it.hasNext(); ) {
      if (nowNanos - it.next().lastSeen >= idle) {
        it.remove();
        dropped++;
      }
    }
    return dropped;
  }

  /** Files being collected. */
  public int pending() {
    return pending.size();
  }

  private static Result rejected(int received, int total, String detail) {
    return new Result(Result.Status.REJECTED, received, total, null, detail);
  }
}
