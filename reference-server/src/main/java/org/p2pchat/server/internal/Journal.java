package org.p2pchat.server.internal;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.StateFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state file as an append-only journal with group commit, compacted to a snapshot on demand.
 *
 * <p>{@link #append} writes one record (one write call, so a crash leaves at most a torn last line) and
 * returns its sequence number; {@link #sync} returns once that record is on disk. Concurrent callers of
 * {@link #sync} share one {@code fsync}: while one thread forces the file, the others wait and then find
 * their records already covered. {@link #compact} replaces the file atomically (temp file, fsync, atomic
 * rename, fsync of the directory) with a snapshot of the live entries.
 *
 * <p>{@link #append} and {@link #compact} must be called under the owner's lock, so that records reach
 * the file in the order the owner applied them; {@link #sync} may be called without it. After any I/O
 * failure the journal refuses further writes: the file's tail is then unknown.
 */
final class Journal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  private final Path file;
  private final Object syncLock = new Object();
  private FileChannel channel;
  private volatile long appended;
  private long durable;
  private long sinceCompaction;
  private volatile IOException failure;

  private Journal(Path file) {
    this.file = file;
  }

  /** Writes {@code entries} as a fresh snapshot of {@code file} and opens it for appending. */
  static Journal create(Path file, Map<String, HostPort> entries) throws StateFileException {
    Journal journal = new Journal(file);
    try {
      journal.writeSnapshot(entries);
      journal.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new StateFileException(file, "cannot write it: " + e, e);
    }
    return journal;
  }

  /** Writes one record; call under the owner's lock. Returns the number to pass to {@link #sync}. */
  long append(byte[] record) throws IOException {
    checkUsable();
    try {
      ByteBuffer buffer = ByteBuffer.wrap(record);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      throw fail(e);
    }
    sinceCompaction++;
    return ++appended;
  }

  /** Returns once record {@code seq} and every one before it are on disk. */
  void sync(long seq) throws IOException {
    synchronized (syncLock) {
      if (durable >= seq) {
        return;
      }
      checkUsable();
      long target = appended;
      try {
        channel.force(false);
      } catch (IOException e) {
        throw fail(e);
      }
      durable = target;
    }
  }

  /** Records appended since the file was last rewritten. */
  long sinceCompaction() {
    return sinceCompaction;
  }

  /** Replaces the file with a snapshot of {@code entries}; call under the owner's lock. */
  void compact(Map<String, HostPort> entries) throws IOException {
    checkUsable();
    synchronized (syncLock) {
      try {
        channel.close();
        writeSnapshot(entries);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw fail(e);
      }
      // The snapshot holds everything appended so far, and it is on disk.
      durable = appended;
      sinceCompaction = 0;
    }
  }

  private void writeSnapshot(Map<String, HostPort> entries) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream stream = new BufferedOutputStream(Channels.newOutputStream(out), 64 * 1024);
      stream.write(StateFormat.header());
      for (Map.Entry<String, HostPort> entry : entries.entrySet()) {
        stream.write(StateFormat.register(entry.getKey(), entry.getValue()));
      }
      stream.flush();
      out.force(true);
    }
    try {
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(temp);
      throw new IOException("the file system cannot rename " + temp + " atomically", e);
    }
    syncDirectory(file.toAbsolutePath().getParent());
  }

  /** Makes the rename itself durable. Not every platform can open a directory; Linux and macOS can. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      log.debug("cannot fsync directory {}: {}", dir, e.toString());
    }
  }

  private void checkUsable() throws IOException {
    IOException failed = failure;
    if (failed != null) {
      throw new StateFileException(file, "no longer writable after an earlier failure (" + failed + ")", failed);
    }
  }

  private IOException fail(IOException e) {
    failure = e;
    return new StateFileException(file, "write failed: " + e, e);
  }

  /** Closes the file; records already synced stay on disk. */
  @Override
  public void close() {
    synchronized (syncLock) {
      try {
        if (channel.isOpen()) {
          channel.force(false);
          channel.close();
        }
      } catch (IOException e) {
        log.warn("closing state file {}: {}", file, e.toString());
      }
    }
  }
}
