package org.p2pchat.server.registry;

/**
 * The registry cannot be opened: a bad {@code --registry} URL, an unreachable database, a refused login,
 * missing rights, a schema newer than this server, or an unusable state file. The message is one line,
 * names what to fix, and never carries a password; the CLI prints it and exits 2.
 */
public final class RegistryOpenException extends java.io.IOException {
  public RegistryOpenException(String message) {
    super(message);
  }

  public RegistryOpenException(String message, Throwable cause) {
    super(message, cause);
  }
}
