package org.p2pchat.conformance;

import java.util.Locale;

/** Which side of the protocol the target implements, and so which cases apply to it. */
public enum Role {
  /** A rendezvous server: REGISTER, LISTPEER, EXIT_NETWORK. */
  SERVER,
  /** A chat peer that accepts chat requests automatically. */
  PEER;

  /** {@code server} or {@code peer}, as on the command line and in case ids. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code text} ({@code server} or {@code peer}, any case). */
  public static Role parse(String text) {
    for (Role role : values()) {
      if (role.label().equalsIgnoreCase(text.trim())) {
        return role;
      }
    }
    throw new IllegalArgumentException("role must be server or peer, got '" + text + "'");
  }
}
