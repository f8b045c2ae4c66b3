package org.p2pchat.server.registry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.p2pchat.protocol.HostPort;

/**
 * One registration as the store holds it: a name, the address it advertised, and optionally the public
 * key it registered with and the instant its lease runs out.
 *
 * <p>Immutable. {@code position} is the registration order: it only grows, is unique within one store,
 * and is the cursor for {@link RegistryStore#page}. A registration without a lease never expires (the 2018
 * rule: it leaves on EXIT_NETWORK or when a reply to it is refused).
 */
public final class Registration {
  private final long position;
  private final String name;
  private final HostPort address;
  private final byte[] publicKey;
  private final Instant leaseExpiry;

  /**
   * {@code publicKey} and {@code leaseExpiry} may be null (none). The lease is kept to the microsecond,
   * PostgreSQL's precision, so both stores hold the same value.
   */
  public Registration(long position, String name, HostPort address, byte[] publicKey, Instant leaseExpiry) {
    this.position = position;
    this.name = Objects.requireNonNull(name, "name");
    this.address = Objects.requireNonNull(address, "address");
    this.publicKey = publicKey == null ? null : publicKey.clone();
    this.leaseExpiry = leaseExpiry == null ? null : leaseExpiry.truncatedTo(ChronoUnit.MICROS);
  }

  public long position() {
    return position;
  }

  public String name() {
    return name;
  }

  public HostPort address() {
    return address;
  }

  /** A copy of the key registered with the name, if any. */
  public Optional<byte[]> publicKey() {
    return publicKey == null ? Optional.empty() : Optional.of(publicKey.clone());
  }

  /** When the lease runs out, if the registration has one. */
  public Optional<Instant> leaseExpiry() {
    return Optional.ofNullable(leaseExpiry);
  }

  /** True if the registration has a lease that has run out at {@code now}. */
  public boolean expiredAt(Instant now) {
    return leaseExpiry != null && !leaseExpiry.isAfter(now);
  }

  /** The same registration with another lease expiry (null: none). */
  public Registration withLeaseExpiry(Instant expiry) {
    return new Registration(position, name, address, publicKey, expiry);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Registration)) {
      return false;
    }
    Registration other = (Registration) o;
    return position == other.position && name.equals(other.name) && address.equals(other.address)
        && Arrays.equals(publicKey, other.publicKey) && Objects.equals(leaseExpiry, other.leaseExpiry);
  }

  @Override
  public int hashCode() {
    return Objects.hash(position, name, address, Arrays.hashCode(publicKey), leaseExpiry);
  }

  @Override
  public String toString() {
    return "#" + position + " " + name + " at " + address + (publicKey == null ? "" : " (keyed)")
        + (leaseExpiry == null ? "" : " lease until " + leaseExpiry);
  }
}
