package org.p2pchat.server.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the state file lives when none is given. */
public final class StateLocations {
  private StateLocations() {}

  /**
   * {@code ~/.p2pchat/server-state-PORT.jsonl} for a fixed port, so a restart on that port finds its
   * registry and servers on different ports never share one.
   */
  public static Path forPort(int port) {
    return Path.of(System.getProperty("user.home"), ".p2pchat", "server-state-" + port + ".jsonl");
  }

  /**
   * A new temporary file, for a server on a free port: no later server can be reached at the same
   * address, so there is no registry worth keeping for it.
   */
  public static Path temporary() throws IOException {
    return Files.createTempFile("p2pchat-server-state-", ".jsonl");
  }
}
