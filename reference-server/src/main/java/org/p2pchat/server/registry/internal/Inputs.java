package org.p2pchat.server.registry.internal;

import java.util.Objects;
import org.p2pchat.protocol.HostPort;

/** What both stores refuse alike, so they behave the same on input PostgreSQL cannot hold. */
final class Inputs {
  private Inputs() {}

  static void check(String name, HostPort address) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    // PostgreSQL text cannot hold U+0000, and the state file refuses to load an empty name or host or a
    // port outside 1-65535 (as the schema does): refusing them here keeps both stores alike and loadable.
    if (name.isEmpty() || name.indexOf('\0') >= 0 || address.host().isEmpty()
        || address.host().indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a registered name or host is empty or holds U+0000");
    }
    if (address.port() < 1 || address.port() > 65535) {
      throw new IllegalArgumentException("port " + address.port() + " is not 1-65535");
    }
  }
}
