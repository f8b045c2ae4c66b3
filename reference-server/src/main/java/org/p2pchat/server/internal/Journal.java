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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongFunction;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.StateFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state file as an append-only journal with group commit, compacted to a snapshot on demand.
 *
 * <p>{@link #append} writes one record (one write call, so a crash leaves at most a torn last line) and
 * returns its sequence number; {@link #durable} returns a future completed once that record is on disk.
 * Group commit: one committer thread forces the file for every record appended so far, then completes
 * every future those records cover, so one {@code fsync} serves all the records that were ready, never
 * one each, and no future completes before the force that covers it. {@link #sync} is the blocking form. {@link #compact} replaces the file atomically (temp file, fsync, atomic
 * rename, fsync of the directory) with a snapshot of the live entries.
 *
 * <p>{@link #append} and {@link #compact} must be called under the owner's lock, so that records reach
 * the file in the order the owner applied them; {@link #sync} may be called without it. After an I/O
 * failure the journal refuses writes, since the file's tail is then unknown, until the owner calls
 * {@link #recover} with what it holds as durable: that rewrites the whole file (a snapshot), and every
 * record written before it that was not yet durable stays failed (its caller was told, and acknowledged
 * nothing). So once the disk accepts writes again the journal works again, without a restart.
 */
final class Journal implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Journal.class);

  /** What the journal writes to: the state file in production, a recording fake in tests. */
  interface Storage extends AutoCloseable {
    void write(ByteBuffer buffer) throws IOException;

    /** Makes every write so far durable. */
    void force() throws IOException;

    @Override
    void close() throws IOException;
  }

  /** Opens the storage to append to, after the snapshot is written. */
  interface Opener {
    Storage open() throws IOException;
  }

  private record Waiter(long seq, CompletableFuture<Void> done) {}

  private final Path file;
  private final Opener opener;
  private final Object syncLock = new Object();
  private Storage channel;
  private volatile long appended;
  /** Guarded by syncLock. */
  private long durable;
  private long sinceCompaction;
  private volatile IOException failure;
  /** Records up to here that were not durable at the last failure stay failed; guarded by syncLock. */
  private long lostUpTo;
  /** Records waiting for a force, in sequence order; guarded by syncLock. */
  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private boolean closing;
  private Thread committer;
  private final java.util.concurrent.ExecutorService acks = java.util.concurrent.Executors.newSingleThreadExecutor(
      r -> {
        Thread t = new Thread(r, "p2pchat-journal-ack");
        t.setDaemon(true);
        return t;
      });

  private Journal(Path file, Opener opener) {
    this.file = file;
    this.opener = opener;
  }

  /** A journal over {@code storage}, with no snapshot and no compaction: for tests of the commit order. */
  static Journal over(Storage storage) {
    Journal journal = new Journal(Path.of("journal-under-test"), () -> storage);
    journal.channel = storage;
    journal.startCommitter();
    return journal;
  }

  private void startCommitter() {
    committer = new Thread(this::commitLoop, "p2pchat-journal-commit");
    committer.setDaemon(true);
    committer.start();
  }

  /** One force for everything appended so far, then every waiter it covers is told. */
  private void commitLoop() {
    while (true) {
      long target;
      synchronized (syncLock) {
        while (waiting.isEmpty() && !closing) {
          try {
            syncLock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (waiting.isEmpty()) {
          return;
        }
        target = appended;
      }
      IOException error = null;
      synchronized (forceLock) {
        try {
          if (failure == null) {
            channel.force();
            // Marked before the force lock goes: a recovery reads the mark under it, and must keep
            // what this force made durable.
            synchronized (syncLock) {
              if (target > durable) {
                durable = target;
              }
            }
          } else {
            error = failure;
          }
        } catch (IOException e) {
          error = fail(e);
        }
      }
      List<Waiter> covered = new ArrayList<>();
      synchronized (syncLock) {
        while (!waiting.isEmpty() && (error != null || waiting.peekFirst().seq() <= durable)) {
          covered.add(waiting.pollFirst());
        }
      }
      if (!covered.isEmpty()) {
        IOException failed = error;
        // Told on their own thread, in order: what a waiter does next (reply, drop, another write
        // waiting for a force) must never hold up, or wait for, the committer.
        acks.execute(() -> {
          for (Waiter w : covered) {
            if (failed == null) {
              w.done().complete(null);
            } else {
              w.done().completeExceptionally(new StateFileException(file, "write failed: " + failed, failed));
            }
          }
        });
      }
    }
  }

  /** Held while the storage is forced or swapped, so a compaction never swaps it under a force. */
  private final Object forceLock = new Object();

  /** Writes {@code entries} as a fresh snapshot of {@code file} and opens it for appending. */
  static Journal create(Path file, Map<String, HostPort> entries) throws StateFileException {
    return create(file, entries, Map.of());
  }

  /** As {@link #create(Path, Map)}, with the identity keys some names are bound to. */
  static Journal create(Path file, Map<String, HostPort> entries, Map<String, String> keys)
      throws StateFileException {
    return create(file, entries, keys, () -> FileStorage.open(file));
  }

  /** As {@link #create(Path, Map, Map)}, appending through {@code opener} (tests inject failures there). */
  static Journal create(Path file, Map<String, HostPort> entries, Map<String, String> keys, Opener opener)
      throws StateFileException {
    Journal journal = new Journal(file, opener);
    try {
      journal.writeSnapshot(entries, keys);
      journal.channel = journal.opener.open();
    } catch (IOException e) {
      throw new StateFileException(file, "cannot write it: " + e, e);
    }
    journal.startCommitter();
    return journal;
  }

  /** Writes one record; call under the owner's lock. Returns the number to pass to {@link #sync}. */
  long append(byte[] record) throws IOException {
    checkUsable();
    try {
      channel.write(ByteBuffer.wrap(record));
    } catch (IOException e) {
      throw fail(e);
    }
    sinceCompaction++;
    return ++appended;
  }

  /**
   * Completes once record {@code seq} and every one before it are on disk (at once if they are), or
   * fails with a {@link StateFileException} if the force fails. Never completes before that force.
   */
  CompletableFuture<Void> durable(long seq) {
    if (seq <= 0) {
      return CompletableFuture.completedFuture(null); // no record: nothing to wait for
    }
    synchronized (syncLock) {
      if (seq <= lostUpTo) {
        return CompletableFuture.failedFuture(new StateFileException(file,
            "write failed before the journal recovered; the record was not kept", failure));
      }
      if (durable >= seq) {
        return CompletableFuture.completedFuture(null);
      }
      IOException failed = failure;
      if (failed != null || closing) {
        return CompletableFuture.failedFuture(new StateFileException(file,
            closing ? "closed before the record was on disk" : "write failed: " + failed, failed));
      }
      CompletableFuture<Void> done = new CompletableFuture<>();
      waiting.addLast(new Waiter(seq, done));
      syncLock.notifyAll();
      return done;
    }
  }

  /** Returns once record {@code seq} and every one before it are on disk. */
  void sync(long seq) throws IOException {
    try {
      durable(seq).join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof IOException) {
        throw (IOException) e.getCause();
      }
      throw e;
    }
  }

  /** Records appended since the file was last rewritten. */
  long sinceCompaction() {
    return sinceCompaction;
  }

  /** Replaces the file with a snapshot of {@code entries}; call under the owner's lock. */
  void compact(Map<String, HostPort> entries) throws IOException {
    compact(entries, Map.of());
  }

  /** As {@link #compact(Map)}, with the identity keys some names are bound to. */
  void compact(Map<String, HostPort> entries, Map<String, String> keys) throws IOException {
    checkUsable();
    synchronized (forceLock) {
      try {
        channel.close();
        writeSnapshot(entries, keys);
        channel = opener.open();
      } catch (IOException e) {
        throw fail(e);
      }
    }
    // The snapshot holds everything appended so far, and it is on disk; waiters are told at the next
    // pass of the committer (a force of the fresh file, cheap).
    sinceCompaction = 0;
  }

  /** True after a write or force failed, until {@link #recover} succeeds. */
  boolean failed() {
    return failure != null;
  }

  /** What a recovery writes: the registrations and the keys some are bound to. */
  record Snapshot(Map<String, HostPort> entries, Map<String, String> keys) {}

  /** As {@link #recover(LongFunction)}, with a snapshot that does not depend on what became durable. */
  void recover(Map<String, HostPort> entries, Map<String, String> keys) throws IOException {
    recover(durable -> new Snapshot(entries, keys));
  }

  /**
   * After a failure: rewrites the file as the snapshot {@code upTo} gives for the last durable record (what
   * the owner holds with every change up to that record, and none after it) and opens it for appending
   * again; call under the owner's lock. Throws, staying failed, if the disk still refuses. Records after
   * that one are failed for good: their callers are told, and a late {@link #durable} for them fails too.
   *
   * <p>The mark is read with no force running, so it is final: a force that was under way when the write
   * failed may still have made earlier records durable, and those were acknowledged, so the snapshot must
   * keep them.
   */
  void recover(LongFunction<Snapshot> upTo) throws IOException {
    IOException before = failure;
    if (before == null) {
      return;
    }
    List<Waiter> lost = new ArrayList<>();
    int held;
    long mark;
    synchronized (forceLock) {
      try {
        channel.close();
      } catch (IOException e) {
        log.debug("closing the failed journal of {}: {}", file, e.toString());
      }
      synchronized (syncLock) {
        mark = durable;
      }
      Snapshot snapshot = upTo.apply(mark);
      held = snapshot.entries().size();
      try {
        writeSnapshot(snapshot.entries(), snapshot.keys());
        channel = opener.open();
      } catch (IOException e) {
        throw new StateFileException(file, "still not writable (" + e + "); first failure: " + before, e);
      }
      synchronized (syncLock) {
        lostUpTo = appended;
        failure = null;
        // Waiting records the snapshot left out: the next force must not tell them they are on disk.
        // Those up to the mark are durable; the committer tells them.
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
          Waiter w = it.next();
          if (w.seq() > mark && w.seq() <= lostUpTo) {
            lost.add(w);
            it.remove();
          }
        }
      }
    }
    if (!lost.isEmpty()) {
      acks.execute(() -> {
        for (Waiter w : lost) {
          w.done().completeExceptionally(new StateFileException(file,
              "write failed before the journal recovered; the record was not kept", before));
        }
      });
    }
    sinceCompaction = 0;
    log.info("state file {}: writable again; rewritten from the {} registrations held", file, held);
  }

  private void writeSnapshot(Map<String, HostPort> entries, Map<String, String> keys) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      OutputStream stream = new BufferedOutputStream(Channels.newOutputStream(out), 64 * 1024);
      stream.write(StateFormat.header());
      for (Map.Entry<String, HostPort> entry : entries.entrySet()) {
        stream.write(StateFormat.register(entry.getKey(), entry.getValue(), keys.get(entry.getKey())));
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
      closing = true;
      syncLock.notifyAll();
    }
    if (committer != null && Thread.currentThread() != committer) {
      try {
        committer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    acks.shutdown();
    synchronized (forceLock) {
      try {
        if (failure == null) {
          channel.force();
        }
        channel.close();
      } catch (IOException e) {
        log.warn("closing state file {}: {}", file, e.toString());
      }
    }
  }

  /**
   * The state file, locked (an OS lock, FileChannel.lock) for as long as it is open: with the lock file
   * ({@link StateLock}) gone, another server still finds the file itself in use.
   */
  static final class FileStorage implements Storage {
    private final FileChannel channel;

    private FileStorage(FileChannel channel) {
      this.channel = channel;
    }

    static FileStorage open(Path file) throws IOException {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      try {
        if (channel.tryLock() == null) {
          throw new IOException(file + " is locked by another process");
        }
      } catch (java.nio.channels.OverlappingFileLockException e) {
        channel.close();
        throw new IOException(file + " is locked by another server in this process", e);
      } catch (IOException e) {
        channel.close();
        throw e;
      }
      return new FileStorage(channel);
    }

    @Override
    public void write(ByteBuffer buffer) throws IOException {
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }

    @Override
    public void force() throws IOException {
      channel.force(false);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
