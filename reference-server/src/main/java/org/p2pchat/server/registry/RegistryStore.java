package org.p2pchat.server.registry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.p2pchat.protocol.HostPort;

/**
 * Where a rendezvous server keeps its registrations: the embedded journal ({@code file:PATH}) or a
 * PostgreSQL database shared by several servers ({@code jdbc:postgresql://...}). Open one with
 * {@link RegistryStores#open}.
 *
 * <p>Every method that changes something returns only once the change is durable (fsynced to the journal,
 * or committed), so whatever the caller acknowledges survives a crash. Names are compared exactly. Of two
 * concurrent registrations of one free name, from one server or several on one database, exactly one is
 * {@link RegisterOutcome.Registered}. The store never reads a clock: instants are passed in.
 *
 * <p>Each method throws {@link RegistryUnavailable} when the store cannot answer now (database down,
 * journal unwritable); the caller then answers nothing and the store recovers by itself. Methods called
 * after {@link #close} throw {@link IllegalStateException}. Thread-safe.
 *
 * <p>This is the write side; {@link org.p2pchat.server.Registry} stays the read-only in-process view.
 */
public interface RegistryStore extends AutoCloseable {
  /**
   * Registers {@code name} at {@code address} if the name is free and the registry below its cap.
   *
   * @param publicKey the key the name is bound to (identity), or null for a 2018 peer
   * @param leaseExpiry when the registration expires unless renewed, or null for no lease (2018 rule)
   */
  RegisterOutcome register(String name, HostPort address, byte[] publicKey, Instant leaseExpiry)
      throws RegistryUnavailable;

  /**
   * {@link #register} without holding the caller's thread while the journal is forced (group commit);
   * the future completes once the outcome is durable, or fails with {@link RegistryUnavailable}. The
   * default runs {@link #register} on the calling thread.
   */
  default CompletableFuture<RegisterOutcome> registerAsync(String name, HostPort address, byte[] publicKey,
      Instant leaseExpiry) {
    try {
      return CompletableFuture.completedFuture(register(name, address, publicKey, leaseExpiry));
    } catch (RegistryUnavailable e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Removes {@code name} only if it is bound to {@code publicKey} (null: only if it has no key), so the
   * check of a signed EXIT_NETWORK and the removal are one step; returns what was removed.
   */
  Optional<Registration> removeIfKey(String name, byte[] publicKey) throws RegistryUnavailable;

  /** Removes {@code name} (EXIT_NETWORK); returns what was removed, or empty if it was not registered. */
  Optional<Registration> remove(String name) throws RegistryUnavailable;

  /**
   * Removes {@code name} only if it is still registered at {@code address} (a reply there was refused);
   * a newer registration of the name elsewhere stays. True if it was removed.
   */
  boolean removeIfAt(String name, HostPort address) throws RegistryUnavailable;

  Optional<Registration> lookup(String name) throws RegistryUnavailable;

  /**
   * Claims the nonce {@code id} of a signed request until {@code expires}: true the first time, false if some
   * server sharing this store claimed it before (a replay from one server to another). Claims that expired
   * before {@code now} may be forgotten. A store only one server uses answers true: that server's own
   * seen-nonce cache already refuses replays to it.
   */
  default boolean claimNonce(String id, Instant now, Instant expires) throws RegistryUnavailable {
    return true;
  }

  /** Every registration, oldest first: what a full LISTPEER reply carries. */
  List<Registration> list() throws RegistryUnavailable;

  /**
   * Up to {@code limit} registrations whose position is after {@code after}, oldest first; pass 0 for the
   * first page and {@link Page#next()} for the following ones. Removals between pages never shift later
   * entries; a registration committed while paging may be missed by pages already past its position.
   */
  Page page(long after, int limit) throws RegistryUnavailable;

  int size() throws RegistryUnavailable;

  /**
   * Sets {@code name}'s lease to run out at {@code leaseExpiry} (a heartbeat); true if the name is
   * registered. Gives a lease to a registration that had none (e.g. after a restart of the file store,
   * which keeps leases in memory). The caller checks who may renew (identity) before calling.
   */
  boolean renew(String name, Instant leaseExpiry) throws RegistryUnavailable;

  /**
   * Removes every registration whose lease ran out at or before {@code now}; returns them, oldest first.
   * With several servers on one database each expired registration is returned to exactly one caller.
   */
  List<Registration> expire(Instant now) throws RegistryUnavailable;

  /** The largest number of registrations this store accepts; {@link Integer#MAX_VALUE} for no cap. */
  int cap();

  /** Where the registry lives, for log lines: a path or a URL without credentials. */
  String describe();

  /** Releases the journal lock or the connection pool. Idempotent. */
  @Override
  void close();
}
