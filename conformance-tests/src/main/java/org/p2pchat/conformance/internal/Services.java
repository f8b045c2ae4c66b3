package org.p2pchat.conformance.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.p2pchat.protocol.MessageValidator;

/** What cases of one session share: the validator, the write watchdog, the shrink quota and the output folder. */
public final class Services {
  private final MessageValidator validator;
  private final ScheduledExecutorService guards;
  private final AtomicInteger shrinksLeft;
  private final Path configuredDir;
  private Path sequenceDir;

  public Services(MessageValidator validator, ScheduledExecutorService guards, int maxShrinks, Path sequenceDir) {
    this.validator = validator;
    this.guards = guards;
    this.shrinksLeft = new AtomicInteger(maxShrinks);
    this.configuredDir = sequenceDir;
  }

  public MessageValidator validator() {
    return validator;
  }

  public ScheduledExecutorService guards() {
    return guards;
  }

  /** Takes one shrink from the quota; false once it is used up. */
  public boolean takeShrink() {
    return shrinksLeft.getAndDecrement() > 0;
  }

  /** Where replay files go: the configured folder, else a new temporary one (made on first use). */
  public synchronized Path sequenceDir() throws IOException {
    if (sequenceDir == null) {
      sequenceDir = configuredDir != null ? Files.createDirectories(configuredDir)
          : Files.createTempDirectory("p2pchat-conformance-");
    }
    return sequenceDir;
  }
}
