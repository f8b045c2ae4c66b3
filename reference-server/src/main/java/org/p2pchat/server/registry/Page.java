package org.p2pchat.server.registry;

import java.util.List;
import java.util.OptionalLong;

/**
 * Some registrations in registration order, as {@link RegistryStore#page} returns them. Immutable.
 *
 * @param entries at most the limit asked for, oldest first
 * @param more true if registrations follow the last entry
 */
public record Page(List<Registration> entries, boolean more) {
  public Page {
    entries = List.copyOf(entries);
  }

  /** The cursor to ask for the next page with, present only if {@link #more()}. */
  public OptionalLong next() {
    return more && !entries.isEmpty() ? OptionalLong.of(entries.get(entries.size() - 1).position())
        : OptionalLong.empty();
  }
}
