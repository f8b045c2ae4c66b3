package org.p2pchat.server.internal;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;
import org.p2pchat.protocol.HostPort;

/**
 * What one source address (a connection's remote IP) may do: messages a second, LISTPEER requests a
 * second (token buckets), and names registered at once. Exempt addresses are held to none of these.
 * The clock is passed in; no sockets, no threads. Thread-safe.
 *
 * <p>Names are counted in memory from the REGISTERs this process answered: after a restart, names loaded
 * from the state file count for no source. A name stops counting once it is no longer registered at the
 * address it was registered with, however it left (EXIT_NETWORK, a drop, an expiry): a source at its
 * limit has its names checked against the registry before it is refused.
 */
public final class SourceLimits {
  /** Sources that hold bucket state at once (the fullest are forgotten beyond it). */
  private static final int MAX_TRACKED = 65_536;

  /** The limits; every one applies per source address. */
  public record Settings(double messagesPerSecond, int messageBurst, double listpeersPerSecond, int listpeerBurst,
      int namesPerSource, Set<InetAddress> exempt) {
    public Settings {
      if (namesPerSource < 1) {
        throw new IllegalArgumentException("namesPerSource must be at least 1, got " + namesPerSource);
      }
      exempt = Set.copyOf(exempt);
    }
  }

  private record Owner(InetAddress source, HostPort address) {}

  private final Settings settings;
  private final TokenBuckets<InetAddress> messages;
  private final TokenBuckets<InetAddress> listpeers;
  /** Guarded by this. */
  private final Map<String, Owner> owners = new HashMap<>();
  private final Map<InetAddress, Set<String>> namesBySource = new HashMap<>();
  private final Map<InetAddress, Integer> reserved = new HashMap<>();

  public SourceLimits(Settings settings, LongSupplier nanoClock) {
    this.settings = settings;
    this.messages = new TokenBuckets<>(settings.messagesPerSecond(), settings.messageBurst(), MAX_TRACKED,
        nanoClock);
    this.listpeers = new TokenBuckets<>(settings.listpeersPerSecond(), settings.listpeerBurst(), MAX_TRACKED,
        nanoClock);
  }

  public Settings settings() {
    return settings;
  }

  public boolean exempt(InetAddress source) {
    return settings.exempt().contains(source);
  }

  /** Counts one message from {@code source}; false if it is over its rate (the message is not served). */
  public boolean admitMessage(InetAddress source) {
    return exempt(source) || messages.tryTake(source);
  }

  /** Counts one LISTPEER from {@code source}; false if it is over its rate. */
  public boolean admitListpeer(InetAddress source) {
    return exempt(source) || listpeers.tryTake(source);
  }

  /**
   * Reserves room for one more name from {@code source}; false if it already holds its limit of names
   * still registered ({@code live} tells whether a name is still registered at an address). A true
   * answer must be followed by {@link #registered} or {@link #cancel}.
   */
  public synchronized boolean reserveName(InetAddress source, BiPredicate<String, HostPort> live) {
    if (exempt(source)) {
      return true;
    }
    if (held(source) >= settings.namesPerSource()) {
      forgetGone(source, live);
      if (held(source) >= settings.namesPerSource()) {
        return false;
      }
    }
    reserved.merge(source, 1, Integer::sum);
    return true;
  }

  /** A reservation became a registration of {@code name} at {@code address}. */
  public synchronized void registered(InetAddress source, String name, HostPort address) {
    if (exempt(source)) {
      return;
    }
    release(source);
    Owner previous = owners.put(name, new Owner(source, address));
    if (previous != null) {
      Set<String> old = namesBySource.get(previous.source());
      if (old != null) {
        old.remove(name);
      }
    }
    namesBySource.computeIfAbsent(source, s -> new HashSet<>()).add(name);
  }

  /** A reservation that did not become a registration (name taken, write failed). */
  public synchronized void cancel(InetAddress source) {
    if (!exempt(source)) {
      release(source);
    }
  }

  /** Names {@code source} holds now, reservations included (for tests and log lines). */
  public synchronized int held(InetAddress source) {
    Set<String> names = namesBySource.get(source);
    return (names == null ? 0 : names.size()) + reserved.getOrDefault(source, 0);
  }

  private void release(InetAddress source) {
    reserved.computeIfPresent(source, (s, n) -> n > 1 ? n - 1 : null);
  }

  private void forgetGone(InetAddress source, BiPredicate<String, HostPort> live) {
    Set<String> names = namesBySource.get(source);
    if (names == null) {
      return;
    }
    Iterator<String> it = names.iterator();
    while (it.hasNext()) {
      String name = it.next();
      Owner owner = owners.get(name);
      if (owner == null || !live.test(name, owner.address())) {
        it.remove();
        owners.remove(name);
      }
    }
    if (names.isEmpty()) {
      namesBySource.remove(source);
    }
  }
}
