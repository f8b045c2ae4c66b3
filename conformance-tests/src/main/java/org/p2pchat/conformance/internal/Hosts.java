package org.p2pchat.conformance.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Whether two host strings name the same machine, without asking DNS. */
final class Hosts {
  private static final Pattern IP_LITERAL = Pattern.compile("^[0-9.]+$|^\\[?[0-9a-fA-F]*:[0-9a-fA-F:.]*]?$");

  private Hosts() {}

  static boolean same(String a, String b) {
    if (a.equalsIgnoreCase(b)) {
      return true;
    }
    InetAddress x = literal(a);
    InetAddress y = literal(b);
    if (x == null || y == null) {
      return false;
    }
    return x.equals(y) || (x.isLoopbackAddress() && y.isLoopbackAddress());
  }

  /** The address of an IP literal or {@code localhost}; null for any other name. */
  private static InetAddress literal(String host) {
    if (!host.equalsIgnoreCase("localhost") && !IP_LITERAL.matcher(host).matches()) {
      return null;
    }
    try {
      return host.equalsIgnoreCase("localhost") ? InetAddress.getLoopbackAddress()
          : InetAddress.getByName(host.replace("[", "").replace("]", ""));
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
