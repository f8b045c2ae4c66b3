package org.p2pchat.bench.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.p2pchat.protocol.HostPort;

/** A receiver process under chat load: where it listens, pinned to the target CPU, and a tally of what it shows. */
record ChatTarget(String name, ChildProcess process, HostPort address, ChatTally tally) {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  /** Waits for {@code process} to listen, pins it, and taps its output; both go on {@code open} to be closed. */
  static ChatTarget of(String name, ChildProcess process, Path out, List<AutoCloseable> open) throws IOException {
    open.add(process);
    HostPort address = process.awaitListening(START_TIMEOUT);
    Cpus.pin(process.pid(), Cpus.TARGET_CPU);
    ChatTally tally = new ChatTally(out.resolve(name + ".counter"));
    open.add(tally);
    process.tap(tally);
    return new ChatTarget(name, process, address, tally);
  }
}
