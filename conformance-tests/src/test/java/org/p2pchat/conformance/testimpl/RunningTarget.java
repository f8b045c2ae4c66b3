package org.p2pchat.conformance.testimpl;

import org.p2pchat.protocol.HostPort;

/** An implementation under test, started on a free loopback port. */
public interface RunningTarget extends AutoCloseable {
  HostPort address();

  @Override
  void close();
}
