package org.p2pchat.server.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.Optional;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.Registry;
import org.p2pchat.server.StateFileException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry and its state file, as one: every change is applied in memory and appended to the
 * journal under one lock, so the file replays to exactly what memory holds. {@link #register} returns
 * only once the registration is on disk.
 *
 * <p>Lookups, insertions and removals are O(1) (a {@link LinkedHashMap}, which also keeps registration
 * order); a snapshot is O(n). Thread-safe.
 */
public final class PeerTable implements Registry, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PeerTable.class);
  /** Compact when the journal holds this many records beyond twice the live entries. */
  private static final int DEFAULT_COMPACT_SLACK = 10_000;

  /** What a register call did. */
  public record Outcome(boolean registered, HostPort holder) {
    static Outcome registered(HostPort address) {
      return new Outcome(true, address);
    }

    static Outcome taken(HostPort holder) {
      return new Outcome(false, holder);
    }
  }

  private final Object lock = new Object();
  private final LinkedHashMap<String, HostPort> peers;
  /** Name to the identity key (base64url) it is bound to, for keyed registrations only. */
  private final Map<String, String> keys;
  private final Path file;
  private final StateLock stateLock;
  private final Journal journal;
  private final StateFormat.Loaded loaded;
  private final int compactSlack;
  private boolean closed;
  /** Registrations in memory whose record is not yet durable (left out of a recovery snapshot). */
  private final Set<String> pendingRegisters = new HashSet<>();
  /** Removals whose record is not yet durable: still in memory, left out of a compaction snapshot. */
  private final Set<String> pendingRemoves = new HashSet<>();

  private PeerTable(Path file, StateLock stateLock, StateFormat.Loaded loaded, Journal journal, int compactSlack) {
    this.file = file;
    this.compactSlack = compactSlack;
    this.stateLock = stateLock;
    this.loaded = loaded;
    this.peers = loaded.peers();
    this.keys = new HashMap<>(loaded.keys());
    this.journal = journal;
  }

  /**
   * Locks {@code file}, replays it and rewrites it compacted. Throws, leaving the file untouched, if it
   * is locked by another server, unreadable or corrupt.
   */
  public static PeerTable open(Path file) throws StateFileException {
    return open(file, DEFAULT_COMPACT_SLACK);
  }

  static PeerTable open(Path file, int compactSlack) throws StateFileException {
    return open(file, compactSlack, null);
  }

  /** As {@link #open(Path)}, appending through {@code opener} when not null (tests inject failures). */
  static PeerTable open(Path file, int compactSlack, Journal.Opener opener) throws StateFileException {
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
    try {
      StateFormat.Loaded loaded = StateFormat.read(absolute);
      Journal journal = opener == null ? Journal.create(absolute, loaded.peers(), loaded.keys())
          : Journal.create(absolute, loaded.peers(), loaded.keys(), opener);
      return new PeerTable(absolute, stateLock, loaded, journal, compactSlack);
    } catch (StateFileException | RuntimeException e) {
      stateLock.close();
      throw e;
    }
  }

  public Path file() {
    return file;
  }

  /** What the file held when it was opened (peers loaded, records replayed, a torn last line). */
  public StateFormat.Loaded loaded() {
    return loaded;
  }

  /**
   * Registers {@code peername} at {@code address} if the name is free. Of two concurrent calls for one
   * name exactly one succeeds. Returns once a successful registration is on disk; if it cannot be
   * written, it is undone and the call throws.
   */
  public Outcome register(String peername, HostPort address) throws IOException {
    try {
      return registerDurably(peername, address).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException) {
        throw (IOException) e.getCause();
      }
      throw e;
    }
  }

  /**
   * {@link #register} without blocking: the record is written now and the future completes once it is
   * on disk (group commit: one force covers every registration ready by then), so the caller acknowledges
   * only then, and a worker never waits for a disk. A refusal (name taken) completes at once. If the
   * record cannot be written or forced, the registration is undone and the future fails.
   */
  public CompletableFuture<Outcome> registerDurably(String peername, HostPort address) {
    return registerDurably(peername, address, null);
  }

  /**
   * As {@link #registerDurably(String, HostPort)}, binding the name to {@code idkey} (base64url) for as
   * long as it stays registered; null registers it without a key (2018).
   */
  public CompletableFuture<Outcome> registerDurably(String peername, HostPort address, String idkey) {
    Objects.requireNonNull(peername, "peername");
    Objects.requireNonNull(address, "address");
    long seq;
    synchronized (lock) {
      checkOpen();
      HostPort holder = peers.get(peername);
      if (holder != null) {
        return CompletableFuture.completedFuture(Outcome.taken(holder));
      }
      // In memory at once (before the record, which may compact), so that a second REGISTER of the name
      // is refused; undone if never durable.
      peers.put(peername, address);
      if (idkey != null) {
        keys.put(peername, idkey);
      }
      pendingRegisters.add(peername);
      try {
        seq = record(StateFormat.register(peername, address, idkey));
      } catch (IOException e) {
        peers.remove(peername);
        keys.remove(peername);
        pendingRegisters.remove(peername);
        return CompletableFuture.failedFuture(e);
      }
    }
    return journal.durable(seq).handle((ok, error) -> {
      synchronized (lock) {
        pendingRegisters.remove(peername);
      }
      if (error != null) {
        undo(peername, address);
        throw new CompletionException(error instanceof CompletionException ? error.getCause() : error);
      }
      return Outcome.registered(address);
    });
  }

  /**
   * Removes {@code peername}; returns where it was registered, or empty if it was not. The name leaves
   * memory only once its record is durable: if it cannot be written, the call throws and the name stays
   * registered, in memory as on disk.
   */
  public Optional<HostPort> remove(String peername, String why) throws IOException {
    long seq;
    HostPort removed;
    String key;
    synchronized (lock) {
      checkOpen();
      removed = peers.get(peername);
      if (removed == null) {
        return Optional.empty();
      }
      key = keys.get(peername);
      seq = recordRemove(peername, why);
    }
    return Optional.of(finishRemove(peername, removed, key, seq));
  }

  /** Writes a removal, marked pending first so that a compaction in {@link #record} leaves the name out. */
  private long recordRemove(String peername, String why) throws IOException {
    pendingRemoves.add(peername);
    try {
      return record(StateFormat.remove(peername, why));
    } catch (IOException | RuntimeException e) {
      pendingRemoves.remove(peername);
      throw e;
    }
  }

  /** Waits for a removal's record, then applies it in memory; on failure the name stays. */
  private HostPort finishRemove(String peername, HostPort removed, String key, long seq) throws IOException {
    try {
      journal.sync(seq);
    } finally {
      synchronized (lock) {
        pendingRemoves.remove(peername);
      }
    }
    synchronized (lock) {
      if (removed.equals(peers.get(peername)) && Objects.equals(key, keys.get(peername))) {
        peers.remove(peername);
        keys.remove(peername);
      }
    }
    return removed;
  }

  /**
   * Removes {@code peername} only if it is still bound to {@code idkey} (null: only if it is registered
   * without a key), so a check of the key and the removal are one step. Returns where it was registered,
   * or empty if it was not (or is bound otherwise).
   */
  public Optional<HostPort> removeIfKey(String peername, String idkey, String why) throws IOException {
    long seq;
    HostPort removed;
    synchronized (lock) {
      checkOpen();
      if (!peers.containsKey(peername) || !Objects.equals(idkey, keys.get(peername))) {
        return Optional.empty();
      }
      removed = peers.get(peername);
      seq = recordRemove(peername, why);
    }
    return Optional.of(finishRemove(peername, removed, idkey, seq));
  }

  @Override
  public Optional<String> keyOf(String peername) {
    synchronized (lock) {
      return Optional.ofNullable(keys.get(peername));
    }
  }

  /** A copy of every name-to-key binding (keyed registrations only). */
  public Map<String, String> keysSnapshot() {
    synchronized (lock) {
      return new HashMap<>(keys);
    }
  }

  /** Removes {@code peername} only if it is still registered at {@code address}; true if it was. */
  public boolean removeIfAt(String peername, HostPort address, String why) throws IOException {
    long seq;
    synchronized (lock) {
      checkOpen();
      if (!address.equals(peers.get(peername))) {
        return false;
      }
      peers.remove(peername);
      keys.remove(peername);
      seq = record(StateFormat.remove(peername, why));
    }
    // Not waited for: a drop acknowledges nothing to anyone, and it may run on the journal's own ack
    // thread (a reply future that failed at once), where waiting for durability would wait on itself.
    // The next force makes it durable; lost in a crash, the registration is only dropped again later.
    journal.durable(seq);
    return true;
  }

  @Override
  public Optional<HostPort> addressOf(String peername) {
    synchronized (lock) {
      return Optional.ofNullable(peers.get(peername));
    }
  }

  @Override
  public int size() {
    synchronized (lock) {
      return peers.size();
    }
  }

  @Override
  public LinkedHashMap<String, HostPort> snapshot() {
    synchronized (lock) {
      return new LinkedHashMap<>(peers);
    }
  }

  /**
   * Appends under the lock, compacting when the journal has grown well past the live entries. After a
   * write failure, first rewrites the file from what is durable (the journal's recovery): so once the disk
   * accepts writes again, the next change goes through without a restart.
   */
  private long record(byte[] line) throws IOException {
    if (journal.failed()) {
      journal.recover(without(peers, pendingRegisters), without(keys, pendingRegisters));
    }
    long seq = journal.append(line);
    if (journal.sinceCompaction() > 2L * peers.size() + compactSlack) {
      compact();
    }
    return seq;
  }

  /** A snapshot of what the file replays to: removals already written are left out. */
  private void compact() throws IOException {
    journal.compact(without(peers, pendingRemoves), without(keys, pendingRemoves));
  }

  private static <V> Map<String, V> without(Map<String, V> map, Set<String> names) {
    if (names.isEmpty()) {
      return map;
    }
    LinkedHashMap<String, V> copy = new LinkedHashMap<>(map);
    copy.keySet().removeAll(names);
    return copy;
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
      } catch (IOException e) {
        log.warn("cannot compact {} on close (every acknowledged record is already in its journal): {}",
            file, e.toString());
      }
      journal.close();
      stateLock.close();
    }
  }

  private void undo(String peername, HostPort address) {
    synchronized (lock) {
      if (address.equals(peers.get(peername))) {
        peers.remove(peername);
        keys.remove(peername);
      }
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("registry closed: the server is stopping");
    }
  }
}
