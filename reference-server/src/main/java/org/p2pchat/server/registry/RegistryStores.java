package org.p2pchat.server.registry;

import org.p2pchat.server.registry.internal.JournalRegistryStore;
import org.p2pchat.server.registry.internal.PostgresRegistryStore;

/** Opens the {@link RegistryStore} a {@link RegistryUrl} names. The one place the backends are chosen. */
public final class RegistryStores {
  private RegistryStores() {}

  /**
   * Opens the journal ({@code file:}) or connects to PostgreSQL, applying schema migrations, and checks
   * it can be used. Throws with one line to print on a bad state file, unreachable database, refused
   * login, missing rights or a schema newer than this server.
   */
  public static RegistryStore open(RegistryUrl url, RegistryOptions options) throws RegistryOpenException {
    switch (url.kind()) {
      case FILE:
        return JournalRegistryStore.open(url.file(), options.cap());
      case POSTGRESQL:
        return PostgresRegistryStore.open(url, url.password(), options);
      default:
        throw new IllegalStateException("unknown registry kind " + url.kind());
    }
  }
}
