package org.p2pchat.sdk;

import java.net.InetSocketAddress;
import org.p2pchat.protocol.HostPort;

/** Small conversions between socket addresses and the protocol's {@link HostPort}. */
public final class Addresses {
  private Addresses() {}

  /** {@code host:port} of a socket address, without a reverse DNS lookup. */
  public static String describe(InetSocketAddress address) {
    if (address == null) {
      return "unknown";
    }
    return address.getHostString() + ":" + address.getPort();
  }

  /** The socket address to connect to for an advertised address (resolved when connecting). */
  public static InetSocketAddress toSocketAddress(HostPort address) {
    return InetSocketAddress.createUnresolved(address.host(), address.port());
  }

  /** The HostPort of a socket address, using its literal host string. */
  public static HostPort of(InetSocketAddress address) {
    return new HostPort(address.getHostString(), address.getPort());
  }
}
