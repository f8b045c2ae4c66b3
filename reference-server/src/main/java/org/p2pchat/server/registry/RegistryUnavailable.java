package org.p2pchat.server.registry;

import java.io.IOException;

/**
 * The store cannot answer now: the database is unreachable or refused the statement, or the journal
 * cannot be written. Nothing was acknowledged by the failed call; a register whose commit was cut off may
 * or may not have taken effect, so the caller must answer nothing rather than guess. The store keeps
 * trying on later calls (the connection pool reconnects by itself). The message is one line without
 * credentials.
 */
public final class RegistryUnavailable extends IOException {
  public RegistryUnavailable(String message, Throwable cause) {
    super(message, cause);
  }
}
