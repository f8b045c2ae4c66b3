package org.p2pchat.server.registry.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.StateFileException;
import org.p2pchat.server.internal.PeerTable;
import org.p2pchat.server.registry.Page;
import org.p2pchat.server.registry.RegisterOutcome;
import org.p2pchat.server.registry.Registration;
import org.p2pchat.server.registry.RegistryOpenException;
import org.p2pchat.server.registry.RegistryStore;
import org.p2pchat.server.registry.RegistryUnavailable;

/**
 * The embedded journal as a {@link RegistryStore}: {@link PeerTable} keeps names and addresses durable in
 * the state file, in today's format, and this class keeps an index beside it for positions, keys and
 * leases.
 *
 * <p>Keys and leases live in memory only: the journal format has no place for them yet. After a restart
 * every registration is loaded without key or lease, positions are renumbered 1..n in file order, and a
 * leased peer gets its lease back with its next {@link #renew}.
 *
 * <p>Operations on one name are serialised by a striped lock held across the journal write, so the index
 * always agrees with the table; operations on different names run concurrently and share the journal's
 * fsyncs. The index lock is never held across I/O. Thread-safe.
 */
public final class JournalRegistryStore implements RegistryStore {
  private static final int STRIPES = 64;

  private final PeerTable table;
  private final int cap;
  private final Object[] stripes = new Object[STRIPES];
  private final Object indexLock = new Object();
  private final Map<String, Registration> byName = new HashMap<>();
  private final TreeMap<Long, Registration> byPosition = new TreeMap<>();
  private long lastPosition;
  /** Registrations being written: they count against the cap before they are indexed. */
  private int pending;
  private volatile boolean closed;

  private JournalRegistryStore(PeerTable table, int cap) {
    this.table = table;
    this.cap = cap;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Object();
    }
    table.snapshot().forEach((name, address) -> index(new Registration(++lastPosition, name, address, null, null)));
  }

  /** Opens (locks and replays) the state file at {@code file}. */
  public static JournalRegistryStore open(Path file, int cap) throws RegistryOpenException {
    try {
      return new JournalRegistryStore(PeerTable.open(file), cap);
    } catch (StateFileException e) {
      throw new RegistryOpenException(oneLine(e.getMessage()), e);
    }
  }

  /** Wraps an open table; the store owns it from now on. */
  public static JournalRegistryStore over(PeerTable table, int cap) {
    return new JournalRegistryStore(Objects.requireNonNull(table, "table"), cap);
  }

  @Override
  public RegisterOutcome register(String name, HostPort address, byte[] publicKey, Instant leaseExpiry)
      throws RegistryUnavailable {
    Inputs.check(name, address);
    checkOpen();
    synchronized (stripe(name)) {
      synchronized (indexLock) {
        Registration holder = byName.get(name);
        if (holder != null) {
          return new RegisterOutcome.Taken(holder);
        }
        if (byName.size() + pending >= cap) {
          return new RegisterOutcome.Full(cap);
        }
        pending++;
      }
      PeerTable.Outcome outcome;
      try {
        outcome = table.register(name, address);
      } catch (IOException e) {
        synchronized (indexLock) {
          pending--;
        }
        throw unavailable("register " + name, e);
      } catch (RuntimeException e) {
        synchronized (indexLock) {
          pending--;
        }
        throw e;
      }
      synchronized (indexLock) {
        pending--;
        if (!outcome.registered()) {
          // The table and the index disagree; trust the table, which is what the file holds.
          Registration holder = new Registration(++lastPosition, name, outcome.holder(), null, null);
          index(holder);
          return new RegisterOutcome.Taken(holder);
        }
        Registration registration = new Registration(++lastPosition, name, address, publicKey, leaseExpiry);
        index(registration);
        return new RegisterOutcome.Registered(registration);
      }
    }
  }

  @Override
  public Optional<Registration> remove(String name) throws RegistryUnavailable {
    synchronized (stripe(name)) {
      Optional<HostPort> removed;
      try {
        removed = table.remove(name, "exit");
      } catch (IOException e) {
        throw unavailable("remove " + name, e);
      }
      synchronized (indexLock) {
        Registration gone = unindex(name);
        if (removed.isEmpty()) {
          return Optional.empty();
        }
        return Optional.of(gone != null ? gone : new Registration(0, name, removed.get(), null, null));
      }
    }
  }

  @Override
  public boolean removeIfAt(String name, HostPort address) throws RegistryUnavailable {
    synchronized (stripe(name)) {
      return removeIfAt(name, address, "dropped") != null;
    }
  }

  /** Under the name's stripe: removes it if at {@code address}; returns what was removed, or null. */
  private Registration removeIfAt(String name, HostPort address, String why) throws RegistryUnavailable {
    boolean removed;
    try {
      removed = table.removeIfAt(name, address, why);
    } catch (IOException e) {
      throw unavailable("remove " + name, e);
    }
    if (!removed) {
      return null;
    }
    synchronized (indexLock) {
      Registration gone = unindex(name);
      return gone != null ? gone : new Registration(0, name, address, null, null);
    }
  }

  @Override
  public Optional<Registration> lookup(String name) {
    checkOpen();
    synchronized (indexLock) {
      return Optional.ofNullable(byName.get(name));
    }
  }

  @Override
  public List<Registration> list() {
    checkOpen();
    synchronized (indexLock) {
      return List.copyOf(byPosition.values());
    }
  }

  @Override
  public Page page(long after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    checkOpen();
    synchronized (indexLock) {
      List<Registration> entries = new ArrayList<>(Math.min(limit, byPosition.size()));
      for (Registration r : byPosition.tailMap(after, false).values()) {
        if (entries.size() == limit) {
          return new Page(entries, true);
        }
        entries.add(r);
      }
      return new Page(entries, false);
    }
  }

  @Override
  public int size() {
    checkOpen();
    synchronized (indexLock) {
      return byName.size();
    }
  }

  @Override
  public boolean renew(String name, Instant leaseExpiry) {
    Objects.requireNonNull(leaseExpiry, "leaseExpiry");
    checkOpen();
    // Under the name's stripe, so a renewal never lands between an expiry's check and its removal.
    synchronized (stripe(name)) {
      synchronized (indexLock) {
        Registration current = byName.get(name);
        if (current == null) {
          return false;
        }
        index(current.withLeaseExpiry(leaseExpiry));
        return true;
      }
    }
  }

  @Override
  public List<Registration> expire(Instant now) throws RegistryUnavailable {
    List<Registration> candidates = new ArrayList<>();
    checkOpen();
    synchronized (indexLock) {
      for (Registration r : byPosition.values()) {
        if (r.expiredAt(now)) {
          candidates.add(r);
        }
      }
    }
    List<Registration> expired = new ArrayList<>();
    for (Registration candidate : candidates) {
      synchronized (stripe(candidate.name())) {
        Registration current;
        synchronized (indexLock) {
          current = byName.get(candidate.name());
        }
        // Renewed, removed or re-registered meanwhile: not ours to expire.
        if (current == null || current.position() != candidate.position() || !current.expiredAt(now)) {
          continue;
        }
        Registration gone = removeIfAt(current.name(), current.address(), "expired");
        if (gone != null) {
          expired.add(gone);
        }
      }
    }
    return expired;
  }

  @Override
  public int cap() {
    return cap;
  }

  @Override
  public String describe() {
    return "file:" + table.file();
  }

  /** The table underneath, for the server's read-only {@link org.p2pchat.server.Registry} view. */
  public PeerTable table() {
    return table;
  }

  @Override
  public void close() {
    closed = true;
    table.close();
  }

  private void index(Registration r) {
    Registration previous = byName.put(r.name(), r);
    if (previous != null) {
      byPosition.remove(previous.position());
    }
    byPosition.put(r.position(), r);
  }

  private Registration unindex(String name) {
    Registration gone = byName.remove(name);
    if (gone != null) {
      byPosition.remove(gone.position());
    }
    return gone;
  }

  private Object stripe(String name) {
    return stripes[Math.floorMod(name.hashCode(), STRIPES)];
  }

  private void checkOpen() {
    // PeerTable refuses writes once closed; reads check here so a closed store never answers.
    if (closed) {
      throw new IllegalStateException("registry closed: the server is stopping");
    }
  }

  private static RegistryUnavailable unavailable(String what, IOException e) {
    return new RegistryUnavailable(what + ": the journal cannot be written: " + oneLine(e.getMessage()), e);
  }

  static String oneLine(String s) {
    if (s == null) {
      return "unknown error";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }
}
