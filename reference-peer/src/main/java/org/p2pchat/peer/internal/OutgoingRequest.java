package org.p2pchat.peer.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import org.p2pchat.protocol.HostPort;

/**
 * A chat request this peer sent and awaits an answer to: the address it went to and what that
 * address resolved to when it was sent. Equal by target, so one request per address at a time.
 */
final class OutgoingRequest {
  private final HostPort target;
  private final List<InetAddress> resolved;
  /** The peer's name if the user gave one ({@code chat request PEERNAME}), else null. */
  private final String name;
  private final Instant sentAt;

  private OutgoingRequest(HostPort target, List<InetAddress> resolved, String name, Instant sentAt) {
    this.target = target;
    this.resolved = resolved;
    this.name = name;
    this.sentAt = sentAt;
  }

  static OutgoingRequest to(HostPort target) {
    return to(target, null, Instant.now());
  }

  /** Resolves now, on the command thread, so matching an answer later never waits for DNS. */
  static OutgoingRequest to(HostPort target, String name, Instant sentAt) {
    List<InetAddress> resolved;
    try {
      resolved = List.of(InetAddress.getAllByName(target.host()));
    } catch (UnknownHostException | SecurityException e) {
      resolved = List.of();
    }
    return new OutgoingRequest(target, resolved, name, sentAt);
  }

  HostPort target() {
    return target;
  }

  Instant sentAt() {
    return sentAt;
  }

  /** {@code bob at localhost:4000}, or just the address when no name was given. */
  String describe() {
    return name == null ? target.toString() : Lines.printable(name) + " at " + target;
  }

  /** True if a connection from {@code source} could come from the peer this request went to. */
  boolean cameFrom(InetAddress source) {
    return source != null && resolved.contains(source);
  }

  /**
   * True if an answer advertising {@code answerer}, arriving from {@code source}, is from this
   * request's target: the same address, or the same port reached through the connection's source IP
   * (a 2018 peer always advertises "localhost", whatever address we used).
   */
  boolean answeredBy(HostPort answerer, InetAddress source) {
    if (answerer.port() != target.port()) {
      return false;
    }
    return answerer.host().equalsIgnoreCase(target.host()) || cameFrom(source);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutgoingRequest && ((OutgoingRequest) o).target.equals(target);
  }

  @Override
  public int hashCode() {
    return target.hashCode();
  }

  @Override
  public String toString() {
    return target.toString();
  }
}
