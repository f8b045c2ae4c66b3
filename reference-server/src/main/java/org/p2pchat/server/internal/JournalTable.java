package org.p2pchat.server.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Predicate;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.StateFileException;
import org.p2pchat.server.registry.Page;
import org.p2pchat.server.registry.RegisterOutcome;
import org.p2pchat.server.registry.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry and its state file, as one: every change is applied in memory and appended to the
 * journal under one lock, so the file replays to exactly what memory holds (names, addresses, keys and
 * leases). A registration is acknowledged only once it is on disk.
 *
 * <p>Lookups, insertions and removals are O(1) (a {@link LinkedHashMap}, which also keeps registration
 * order); a snapshot is O(n). Positions are numbered 1..n in file order when the file is opened. Keys
 * are kept as the base64url text the file holds. Thread-safe.
 */
public final class JournalTable implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JournalTable.class);
  /** Compact when the journal holds this many records beyond twice the live entries. */
  public static final int DEFAULT_COMPACT_SLACK = 10_000;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64D = Base64.getUrlDecoder();

  private final Object lock = new Object();
  private final LinkedHashMap<String, Registration> entries = new LinkedHashMap<>();
  private final Path file;
  private final StateLock stateLock;
  private final Journal journal;
  private final StateFormat.Loaded loaded;
  private final int compactSlack;
  private final int cap;
  private long lastPosition;
  private boolean closed;
  /** Registrations in memory whose record is not yet durable, with its sequence number. */
  private final Map<String, Long> pendingRegisters = new HashMap<>();
  /** The sequence number of a change whose record is being written: later than any durable one. */
  private static final long NOT_WRITTEN = Long.MAX_VALUE;
  /** Removals whose record is not yet durable, with its sequence number: still in memory, left out of a compaction snapshot. */
  private final Map<String, Long> pendingRemoves = new HashMap<>();

  private JournalTable(Path file, StateLock stateLock, StateFormat.Loaded loaded, Journal journal, int compactSlack,
      int cap) throws IOException {
    this.file = file;
    this.compactSlack = compactSlack;
    this.cap = cap;
    this.stateLock = stateLock;
    this.loaded = loaded;
    this.journal = journal;
    loaded.peers().forEach((name, address) -> {
      String key = loaded.keys().get(name);
      entries.put(name, new Registration(++lastPosition, name, address, key == null ? null : B64D.decode(key),
          loaded.leases().get(name)));
    });
    synchronized (lock) {
      // The snapshot written by Journal.create has no place for leases: they follow it.
      journal.sync(appendLeases());
    }
  }

  /**
   * Locks {@code file}, replays it and rewrites it compacted. Throws, leaving the file untouched, if it
   * is locked by another server, unreadable or corrupt.
   */
  public static JournalTable open(Path file, int compactSlack, int cap) throws StateFileException {
    return open(file, compactSlack, cap, null);
  }

  /** As {@link #open(Path, int, int)}, appending through {@code opener} when not null (tests inject failures). */
  static JournalTable open(Path file, int compactSlack, int cap, Journal.Opener opener) throws StateFileException {
    Path given = file.toAbsolutePath();
    Path parent = given.getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new StateFileException(given, "cannot create its directory: " + e, e);
    }
    // One registry, one lock, whatever path leads to it.
    Path absolute = StateLock.canonical(given);
    StateLock stateLock = StateLock.acquire(absolute);
    Journal journal = null;
    try {
      StateFormat.Loaded loaded = StateFormat.read(absolute);
      journal = opener == null ? Journal.create(absolute, loaded.peers(), loaded.keys())
          : Journal.create(absolute, loaded.peers(), loaded.keys(), opener);
      return new JournalTable(absolute, stateLock, loaded, journal, compactSlack, cap);
    } catch (IOException | RuntimeException e) {
      if (journal != null) {
        journal.close();
      }
      stateLock.close();
      if (e instanceof StateFileException) {
        throw (StateFileException) e;
      }
      if (e instanceof IOException) {
        throw new StateFileException(absolute, "cannot write it: " + e, e);
      }
      throw (RuntimeException) e;
    }
  }

  public Path file() {
    return file;
  }

  /** What the file held when it was opened (peers loaded, records replayed, a torn last line). */
  public StateFormat.Loaded loaded() {
    return loaded;
  }

  /** The base64url text of a key, as the state file and the wire hold it. */
  public static String text(byte[] key) {
    return key == null ? null : B64.encodeToString(key);
  }

  /**
   * Registers {@code name} if it is free and the table below its cap. The record is written now and the
   * future completes once it is on disk (group commit: one force covers every registration ready by
   * then), so the caller acknowledges only then. A refusal completes at once. If the record cannot be
   * written or forced, the registration is undone and the future fails.
   */
  public CompletableFuture<RegisterOutcome> register(String name, HostPort address, byte[] key, Instant lease) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    long seq;
    Registration added;
    synchronized (lock) {
      checkOpen();
      Registration holder = entries.get(name);
      if (holder != null) {
        return CompletableFuture.completedFuture(new RegisterOutcome.Taken(holder));
      }
      if (entries.size() >= cap) {
        return CompletableFuture.completedFuture(new RegisterOutcome.Full(cap));
      }
      added = new Registration(++lastPosition, name, address, key, lease);
      // In memory at once (before the record, which may compact), so that a second REGISTER of the name
      // is refused; undone if never durable.
      entries.put(name, added);
      pendingRegisters.put(name, NOT_WRITTEN);
      try {
        seq = record(StateFormat.register(name, address, text(key), added.leaseExpiry().orElse(null)));
        pendingRegisters.put(name, seq);
      } catch (IOException e) {
        entries.remove(name);
        pendingRegisters.remove(name);
        return CompletableFuture.failedFuture(e);
      }
    }
    return journal.durable(seq).handle((ok, error) -> {
      synchronized (lock) {
        pendingRegisters.remove(name);
      }
      if (error != null) {
        undo(added);
        throw new CompletionException(error instanceof CompletionException ? error.getCause() : error);
      }
      return new RegisterOutcome.Registered(added);
    });
  }

  /**
   * Removes {@code name} if {@code test} accepts its registration, as one step. With {@code wait} returns
   * once the removal is on disk, and the name leaves memory only then: if the record cannot be made
   * durable the call throws and the name stays registered, in memory as on disk. Without {@code wait}
   * the name leaves memory once its record is written and the next force makes it durable (a drop
   * acknowledges nothing, and may run on the journal's own ack thread, where waiting would wait on itself).
   */
  public Optional<Registration> removeIf(String name, Predicate<Registration> test, String why, boolean wait)
      throws IOException {
    long seq;
    Registration removed;
    synchronized (lock) {
      checkOpen();
      removed = entries.get(name);
      if (removed == null || !test.test(removed)) {
        return Optional.empty();
      }
      if (!wait) {
        seq = record(StateFormat.remove(name, why));
        entries.remove(name);
        journal.durable(seq);
        return Optional.of(removed);
      }
      pendingRemoves.put(name, NOT_WRITTEN);
      try {
        seq = record(StateFormat.remove(name, why));
        pendingRemoves.put(name, seq);
      } catch (IOException | RuntimeException e) {
        pendingRemoves.remove(name);
        throw e;
      }
    }
    try {
      journal.sync(seq);
    } finally {
      synchronized (lock) {
        pendingRemoves.remove(name);
      }
    }
    synchronized (lock) {
      Registration current = entries.get(name);
      if (current != null && current.position() == removed.position()) {
        entries.remove(name);
      }
    }
    return Optional.of(removed);
  }

  /** Moves {@code name}'s lease to {@code lease}; true if it is registered. Returns once on disk. */
  public boolean renew(String name, Instant lease) throws IOException {
    Objects.requireNonNull(lease, "lease");
    long seq;
    synchronized (lock) {
      checkOpen();
      Registration current = entries.get(name);
      if (current == null) {
        return false;
      }
      Registration renewed = current.withLeaseExpiry(lease);
      entries.put(name, renewed);
      seq = record(StateFormat.lease(name, renewed.leaseExpiry().orElseThrow()));
    }
    journal.sync(seq);
    return true;
  }

  /** Removes every registration whose lease ran out at or before {@code now}; returns them, oldest first. */
  public List<Registration> expire(Instant now) throws IOException {
    List<Registration> expired = new ArrayList<>();
    long seq = 0;
    synchronized (lock) {
      checkOpen();
      for (Registration r : List.copyOf(entries.values())) {
        if (r.expiredAt(now)) {
          entries.remove(r.name());
          expired.add(r);
          seq = record(StateFormat.remove(r.name(), "expired"));
        }
      }
    }
    if (seq > 0) {
      journal.sync(seq);
    }
    return expired;
  }

  public Optional<Registration> lookup(String name) {
    synchronized (lock) {
      return Optional.ofNullable(entries.get(name));
    }
  }

  /** Every registration, oldest first. */
  public List<Registration> list() {
    synchronized (lock) {
      return List.copyOf(entries.values());
    }
  }

  /** Up to {@code limit} registrations after position {@code after}, oldest first. O(n). */
  public Page page(long after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    synchronized (lock) {
      List<Registration> out = new ArrayList<>(Math.min(limit, entries.size()));
      for (Registration r : entries.values()) {
        if (r.position() <= after) {
          continue;
        }
        if (out.size() == limit) {
          return new Page(out, true);
        }
        out.add(r);
      }
      return new Page(out, false);
    }
  }

  public int size() {
    synchronized (lock) {
      return entries.size();
    }
  }

  public int cap() {
    return cap;
  }

  /**
   * Appends under the lock, compacting when the journal has grown well past the live entries. After a
   * write failure, first rewrites the file from what is durable (the journal's recovery): so once the disk
   * accepts writes again, the next change goes through without a restart.
   */
  private long record(byte[] line) throws IOException {
    if (journal.failed()) {
      Set<String> left = new HashSet<>();
      journal.recover(durable -> {
        // Kept: every change up to the last durable record (some were acknowledged while the write failed).
        pendingRegisters.forEach((name, seq) -> {
          if (seq > durable) {
            left.add(name);
          }
        });
        pendingRemoves.forEach((name, seq) -> {
          if (seq <= durable) {
            left.add(name);
          }
        });
        return new Journal.Snapshot(peers(left), keys(left));
      });
      appendLeases(left);
    }
    long seq = journal.append(line);
    if (journal.sinceCompaction() > 2L * entries.size() + compactSlack) {
      compact();
      seq = Math.max(seq, appendLeases(pendingRemoves.keySet()));
    }
    return seq;
  }

  /** A snapshot of what the file replays to: removals already written are left out. */
  private void compact() throws IOException {
    journal.compact(peers(pendingRemoves.keySet()), keys(pendingRemoves.keySet()));
  }

  private LinkedHashMap<String, HostPort> peers(Set<String> without) {
    LinkedHashMap<String, HostPort> peers = new LinkedHashMap<>();
    for (Registration r : entries.values()) {
      if (!without.contains(r.name())) {
        peers.put(r.name(), r.address());
      }
    }
    return peers;
  }

  private Map<String, String> keys(Set<String> without) {
    Map<String, String> keys = new HashMap<>();
    for (Registration r : entries.values()) {
      if (!without.contains(r.name())) {
        r.publicKey().ifPresent(k -> keys.put(r.name(), text(k)));
      }
    }
    return keys;
  }

  /** Appends the lease of every leased registration (after a snapshot); returns the last sequence number. */
  private long appendLeases() throws IOException {
    return appendLeases(Set.of());
  }

  /** As {@link #appendLeases()}, leaving out {@code without} (names the snapshot left out). */
  private long appendLeases(Set<String> without) throws IOException {
    long seq = 0;
    for (Registration r : entries.values()) {
      if (r.leaseExpiry().isPresent() && !without.contains(r.name())) {
        seq = journal.append(StateFormat.lease(r.name(), r.leaseExpiry().get()));
      }
    }
    return seq;
  }

  /** Writes a compacted snapshot, closes the file and releases its lock. Later changes throw. */
  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      try {
        compact();
        journal.sync(appendLeases());
      } catch (IOException | RuntimeException e) {
        log.warn("cannot compact {} on close (every acknowledged record is already in its journal): {}",
            file, e.toString());
      }
      journal.close();
      stateLock.close();
    }
  }

  private void undo(Registration added) {
    synchronized (lock) {
      Registration current = entries.get(added.name());
      if (current != null && current.position() == added.position()) {
        entries.remove(added.name());
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("registry closed: the server is stopping");
    }
  }
}
