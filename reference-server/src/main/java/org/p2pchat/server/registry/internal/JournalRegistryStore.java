package org.p2pchat.server.registry.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.StateFileException;
import org.p2pchat.server.internal.JournalTable;
import org.p2pchat.server.registry.Page;
import org.p2pchat.server.registry.RegisterOutcome;
import org.p2pchat.server.registry.Registration;
import org.p2pchat.server.registry.RegistryOpenException;
import org.p2pchat.server.registry.RegistryStore;
import org.p2pchat.server.registry.RegistryUnavailable;

/**
 * The embedded journal as a {@link RegistryStore}: a thin adapter over {@link JournalTable}, which keeps
 * names, addresses, keys and leases in the state file. Positions are renumbered 1..n in file order when
 * the file is opened. Thread-safe.
 */
public final class JournalRegistryStore implements RegistryStore {
  private final JournalTable table;
  private volatile boolean closed;

  private JournalRegistryStore(JournalTable table) {
    this.table = table;
  }

  /** Opens (locks and replays) the state file at {@code file}. */
  public static JournalRegistryStore open(Path file, int cap) throws RegistryOpenException {
    try {
      return new JournalRegistryStore(JournalTable.open(file, JournalTable.DEFAULT_COMPACT_SLACK, cap));
    } catch (StateFileException e) {
      throw new RegistryOpenException(oneLine(e.getMessage()), e);
    }
  }

  /** Wraps an open table; the store owns it from now on. */
  public static JournalRegistryStore over(JournalTable table) {
    return new JournalRegistryStore(Objects.requireNonNull(table, "table"));
  }

  /** The table underneath: its file and what it loaded, for the server's start-up lines. */
  public JournalTable table() {
    return table;
  }

  @Override
  public RegisterOutcome register(String name, HostPort address, byte[] publicKey, Instant leaseExpiry)
      throws RegistryUnavailable {
    try {
      return registerAsync(name, address, publicKey, leaseExpiry).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RegistryUnavailable) {
        throw (RegistryUnavailable) e.getCause();
      }
      throw e;
    }
  }

  @Override
  public CompletableFuture<RegisterOutcome> registerAsync(String name, HostPort address, byte[] publicKey,
      Instant leaseExpiry) {
    Inputs.check(name, address);
    return table.register(name, address, publicKey, leaseExpiry).handle((outcome, error) -> {
      if (error != null) {
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        throw new CompletionException(cause instanceof IOException
            ? unavailable("register " + name, (IOException) cause) : cause);
      }
      return outcome;
    });
  }

  @Override
  public Optional<Registration> removeIfKey(String name, byte[] publicKey) throws RegistryUnavailable {
    try {
      return table.removeIf(name, r -> Arrays.equals(r.publicKey().orElse(null), publicKey), "exit", true);
    } catch (IOException e) {
      throw unavailable("remove " + name, e);
    }
  }

  @Override
  public Optional<Registration> remove(String name) throws RegistryUnavailable {
    try {
      return table.removeIf(name, r -> true, "exit", true);
    } catch (IOException e) {
      throw unavailable("remove " + name, e);
    }
  }

  @Override
  public boolean removeIfAt(String name, HostPort address) throws RegistryUnavailable {
    Objects.requireNonNull(address, "address");
    try {
      return table.removeIf(name, r -> r.address().equals(address), "dropped", false).isPresent();
    } catch (IOException e) {
      throw unavailable("remove " + name, e);
    }
  }

  @Override
  public Optional<Registration> lookup(String name) {
    checkOpen();
    return table.lookup(name);
  }

  @Override
  public List<Registration> list() {
    checkOpen();
    return table.list();
  }

  @Override
  public Page page(long after, int limit) {
    checkOpen();
    return table.page(after, limit);
  }

  @Override
  public int size() {
    checkOpen();
    return table.size();
  }

  @Override
  public boolean renew(String name, Instant leaseExpiry) throws RegistryUnavailable {
    try {
      return table.renew(name, leaseExpiry);
    } catch (IOException e) {
      throw unavailable("renew " + name, e);
    }
  }

  @Override
  public List<Registration> expire(Instant now) throws RegistryUnavailable {
    Objects.requireNonNull(now, "now");
    try {
      return table.expire(now);
    } catch (IOException e) {
      throw unavailable("expire", e);
    }
  }

  @Override
  public int cap() {
    return table.cap();
  }

  @Override
  public String describe() {
    return "file:" + table.file();
  }

  @Override
  public void close() {
    closed = true;
    table.close();
  }

  private void checkOpen() {
    // The table refuses writes once closed; reads check here so a closed store never answers.
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
