package org.p2pchat.server;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The server's state file cannot be used: unreadable, corrupt, not a state file, or in use by another
 * server. The file is left exactly as it was; the message says which file and what is wrong.
 */
public final class StateFileException extends IOException {
  private final Path file;

  public StateFileException(Path file, String problem, Throwable cause) {
    super("state file " + file + ": " + problem, cause);
    this.file = file;
  }

  public StateFileException(Path file, String problem) {
    this(file, problem, null);
  }

  public Path file() {
    return file;
  }
}
