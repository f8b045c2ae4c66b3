package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The listener's settings are checked at the edge of their ranges; starting is once, binding fails clearly. */
class ListenerBuilderTest {
  private static final Listener.FrameSink NOTHING = new Listener.FrameSink() {
    @Override
    public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
    }

    @Override
    public void onRejected(Rejection rejection) {
    }
  };

  @Test
  void settingsAreCheckedAtTheEdgesOfTheirRanges() {
    assertThrows(IllegalArgumentException.class, () -> Listener.builder().port(-1));
    assertThrows(IllegalArgumentException.class, () -> Listener.builder().port(65536));
    Listener.builder().port(0).port(65535);
    assertThrows(IllegalArgumentException.class, () -> Listener.builder().maxBytes(1));
    assertEquals(2, Listener.builder().maxBytes(2).build().maxBytes());
    assertThrows(IllegalArgumentException.class, () -> Listener.builder().maxConnections(0));
    Listener.builder().maxConnections(1);
    assertThrows(IllegalArgumentException.class, () -> Listener.builder().maxConnectionsPerSource(0));
    Listener.builder().maxConnectionsPerSource(1);
    assertThrows(IllegalArgumentException.class, () -> Listener.builder().readTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> Listener.builder().readTimeout(Duration.ofSeconds(-1)));
    assertEquals(1024 * 1024, Listener.builder().build().maxBytes(), "default 1 MiB");
  }

  @Test
  void startsOnceAndABusyPortIsAClearError() throws Exception {
    try (Listener first = Listener.builder().build().start(NOTHING)) {
      assertEquals("127.0.0.1", first.address().host());
      assertTrue(first.address().port() > 0);
      assertThrows(IllegalStateException.class, () -> first.start(NOTHING));
      // SO_REUSEADDR does not let two listeners share a port that is listening.
      Listener second = Listener.builder().port(first.address().port()).build();
      IOException e = assertThrows(IOException.class, () -> second.start(NOTHING));
      assertTrue(e.getMessage().startsWith("cannot listen on 127.0.0.1:" + first.address().port()), e.getMessage());
    }
  }
}
