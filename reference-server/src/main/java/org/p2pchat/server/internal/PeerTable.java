package org.p2pchat.server.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.Registry;
import org.p2pchat.server.StateFileException;
import org.p2pchat.server.registry.RegisterOutcome;
import org.p2pchat.server.registry.Registration;
import org.p2pchat.server.registry.RegistryStore;
import org.p2pchat.server.registry.RegistryUnavailable;
import org.p2pchat.server.registry.internal.JournalRegistryStore;

/**
 * The registry as the handlers use it, over a {@link RegistryStore}: the embedded journal (one server)
 * or PostgreSQL (several servers on one database). Keys are passed as the base64url text of the wire.
 *
 * <p>Changes return (or complete) only once durable. The read-only {@link Registry} methods cannot throw
 * a checked exception: when the store cannot answer they throw {@link UncheckedIOException}, so the
 * request is answered by nothing (never wrongly). Thread-safe.
 */
public final class PeerTable implements Registry, AutoCloseable {
  private static final Base64.Decoder B64 = Base64.getUrlDecoder();

  /** What a register call did. {@code holder} is null when the registry is full. */
  public record Outcome(boolean registered, HostPort holder) {
    static Outcome registered(HostPort address) {
      return new Outcome(true, address);
    }

    static Outcome taken(HostPort holder) {
      return new Outcome(false, holder);
    }
  }

  private final RegistryStore store;
  /** The journal underneath for a file store (its path and what it loaded), else null. */
  private final JournalTable journal;

  private PeerTable(RegistryStore store, JournalTable journal) {
    this.store = store;
    this.journal = journal;
  }

  /**
   * Locks {@code file}, replays it and rewrites it compacted. Throws, leaving the file untouched, if it
   * is locked by another server, unreadable or corrupt.
   */
  public static PeerTable open(Path file) throws StateFileException {
    return open(file, JournalTable.DEFAULT_COMPACT_SLACK);
  }

  static PeerTable open(Path file, int compactSlack) throws StateFileException {
    return open(file, compactSlack, null);
  }

  /** As {@link #open(Path, int)}, appending through {@code opener} when not null (tests inject failures). */
  static PeerTable open(Path file, int compactSlack, Journal.Opener opener) throws StateFileException {
    JournalTable table = JournalTable.open(file, compactSlack, Integer.MAX_VALUE, opener);
    return new PeerTable(JournalRegistryStore.over(table), table);
  }

  /** A table over an open store, which it owns from now on (closes it on {@link #close}). */
  public static PeerTable over(RegistryStore store) {
    Objects.requireNonNull(store, "store");
    return new PeerTable(store, store instanceof JournalRegistryStore ? ((JournalRegistryStore) store).table()
        : null);
  }

  /** The state file, or empty when the registry is a database. */
  public Optional<Path> stateFile() {
    return journal == null ? Optional.empty() : Optional.of(journal.file());
  }

  /** The state file; only for a file store. */
  public Path file() {
    return stateFile().orElseThrow(() -> new IllegalStateException("the registry is " + store.describe()));
  }

  /** What the file held when it was opened; only for a file store. */
  public StateFormat.Loaded loaded() {
    if (journal == null) {
      throw new IllegalStateException("the registry is " + store.describe());
    }
    return journal.loaded();
  }

  /** Where the registry lives, without credentials. */
  public String describe() {
    return store.describe();
  }

  /** Registers {@code peername} at {@code address} if the name is free; returns once on disk. */
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

  public CompletableFuture<Outcome> registerDurably(String peername, HostPort address) {
    return registerDurably(peername, address, null, null);
  }

  /**
   * Registers {@code peername} at {@code address} bound to {@code idkey} (base64url; null: no key, 2018)
   * if the name is free. Of two concurrent calls for one name, on one server or several, exactly one
   * succeeds. The future completes once the registration is durable, so the caller acknowledges only then.
   */
  public CompletableFuture<Outcome> registerDurably(String peername, HostPort address, String idkey) {
    return registerDurably(peername, address, idkey, null);
  }

  /** As {@link #registerDurably(String, HostPort, String)}, with a lease running out at {@code lease} (null: none). */
  public CompletableFuture<Outcome> registerDurably(String peername, HostPort address, String idkey, Instant lease) {
    Objects.requireNonNull(peername, "peername");
    Objects.requireNonNull(address, "address");
    return store.registerAsync(peername, address, key(idkey), lease).thenApply(outcome -> {
      if (outcome instanceof RegisterOutcome.Registered) {
        return Outcome.registered(address);
      }
      if (outcome instanceof RegisterOutcome.Taken) {
        return Outcome.taken(((RegisterOutcome.Taken) outcome).holder().address());
      }
      return new Outcome(false, null);
    });
  }

  /** Removes {@code peername}; returns where it was registered, or empty if it was not. */
  public Optional<HostPort> remove(String peername, String why) throws IOException {
    return store.remove(peername).map(Registration::address);
  }

  /**
   * Removes {@code peername} only if it is still bound to {@code idkey} (null: only if it is registered
   * without a key), as one step. Returns where it was registered, or empty.
   */
  public Optional<HostPort> removeIfKey(String peername, String idkey, String why) throws IOException {
    return store.removeIfKey(peername, key(idkey)).map(Registration::address);
  }

  /** Removes {@code peername} only if it is still registered at {@code address}; true if it was. */
  public boolean removeIfAt(String peername, HostPort address, String why) throws IOException {
    return store.removeIfAt(peername, address);
  }

  /** Moves {@code peername}'s lease to {@code lease}; true if it is registered. */
  public boolean renew(String peername, Instant lease) throws IOException {
    return store.renew(peername, lease);
  }

  /** Removes every registration whose lease ran out at {@code now}; returns them, oldest first. */
  public List<Registration> expire(Instant now) throws IOException {
    return store.expire(now);
  }

  /** The whole registration of {@code peername} (key, lease), if registered. */
  /** Claims a signed request's nonce across every server sharing the store (see {@link RegistryStore#claimNonce}). */
  public boolean claimNonce(String id, Instant now, Instant expires) throws IOException {
    return store.claimNonce(id, now, expires);
  }

  public Optional<Registration> lookup(String peername) throws IOException {
    return store.lookup(peername);
  }

  @Override
  public Optional<String> keyOf(String peername) {
    return read(() -> store.lookup(peername)).flatMap(Registration::publicKey).map(JournalTable::text);
  }

  /** A copy of every name-to-key binding (keyed registrations only). */
  public Map<String, String> keysSnapshot() {
    Map<String, String> keys = new HashMap<>();
    for (Registration r : read(store::list)) {
      r.publicKey().ifPresent(k -> keys.put(r.name(), JournalTable.text(k)));
    }
    return keys;
  }

  @Override
  public Optional<HostPort> addressOf(String peername) {
    return read(() -> store.lookup(peername)).map(Registration::address);
  }

  @Override
  public int size() {
    return read(store::size);
  }

  @Override
  public LinkedHashMap<String, HostPort> snapshot() {
    LinkedHashMap<String, HostPort> peers = new LinkedHashMap<>();
    for (Registration r : read(store::list)) {
      peers.put(r.name(), r.address());
    }
    return peers;
  }

  /** Closes the store: the journal is written compacted and unlocked, or the pool closed. */
  @Override
  public void close() {
    store.close();
  }

  private static byte[] key(String idkey) {
    return idkey == null ? null : B64.decode(idkey);
  }

  private interface Read<T> {
    T get() throws RegistryUnavailable;
  }

  private static <T> T read(Read<T> read) {
    try {
      return read.get();
    } catch (RegistryUnavailable e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }
}
