package org.p2pchat.bench.internal;

import java.io.IOException;
import org.p2pchat.protocol.HostPort;

/** A receiving end under test, run in its own process by {@link org.p2pchat.bench.ReceiverMain}. */
public interface Receiver extends AutoCloseable {
  /** Binds 127.0.0.1 on a free port and starts receiving; returns the address. */
  HostPort start() throws IOException;

  /** Messages fully received and handled so far. */
  Progress progress();

  /** Messages or connections refused or failed so far. */
  long rejected();

  @Override
  void close();
}
