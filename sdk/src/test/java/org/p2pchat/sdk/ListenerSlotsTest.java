package org.p2pchat.sdk;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The listener's connection slots, counted exactly: no connection accepted past maxConnections (it waits in
 * the backlog, even with its message complete), and the per-source count stays right as that source's
 * connections end one by one.
 */
class ListenerSlotsTest {
  private static final long WAIT_S = 5;

  private static final class Sink implements Listener.FrameSink {
    final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Rejection> rejections = new LinkedBlockingQueue<>();

    @Override
    public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
      frames.add(new String(frame, US_ASCII));
    }

    @Override
    public void onRejected(Rejection rejection) {
      rejections.add(rejection);
    }
  }

  private static Socket from(String source, Listener l) throws Exception {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(source, 0));
    s.connect(new InetSocketAddress("127.0.0.1", l.address().port()), 5000);
    return s;
  }

  private static void finish(Socket s, String text) throws Exception {
    s.getOutputStream().write(text.getBytes(US_ASCII));
    s.shutdownOutput();
  }

  @Test
  void withEverySlotTakenACompleteMessageWaitsUnreadUntilASlotFrees() throws Exception {
    Sink sink = new Sink();
    try (Listener l = Listener.builder().maxConnections(1).build().start(sink);
        Socket holder = from("127.0.0.1", l);
        Socket waiting = from("127.0.0.1", l)) {
      holder.getOutputStream().write('{');
      holder.getOutputStream().flush();
      finish(waiting, "second");
      // Never delivered while the only slot is taken (the listener does not accept it at all).
      assertNull(sink.frames.poll(300, TimeUnit.MILLISECONDS), "accepted past maxConnections");
      finish(holder, "}");
      assertEquals("{}", sink.frames.poll(WAIT_S, TimeUnit.SECONDS));
      assertEquals("second", sink.frames.poll(WAIT_S, TimeUnit.SECONDS), "served once the slot freed");
      assertTrue(sink.rejections.isEmpty(), "rejections: " + sink.rejections);
    }
  }

  @Test
  void aSourcesCountStaysRightWhileItsConnectionsEndOneByOne() throws Exception {
    Sink sink = new Sink();
    try (Listener l = Listener.builder().maxConnectionsPerSource(2).build().start(sink)) {
      Socket first = from("127.0.0.2", l);
      Socket second = from("127.0.0.2", l);
      first.getOutputStream().write('a');
      first.getOutputStream().flush();
      second.getOutputStream().write('b');
      second.getOutputStream().flush();
      try (Socket third = from("127.0.0.2", l)) {
        finish(third, "over");
        Rejection r = sink.rejections.poll(WAIT_S, TimeUnit.SECONDS);
        assertNotNull(r, "a third connection of the source is refused");
        assertEquals(RejectReason.OVERLOADED, r.reason());
        assertTrue(r.detail().contains("2 connections open already"), r.detail());
      }
      // One of its two ends; the other stays open: the source holds one slot now, not zero.
      finish(first, "1");
      assertEquals("a1", sink.frames.poll(WAIT_S, TimeUnit.SECONDS));
      try (Socket fourth = from("127.0.0.2", l)) {
        fourth.getOutputStream().write('c');
        fourth.getOutputStream().flush();
        try (Socket fifth = from("127.0.0.2", l)) {
          finish(fifth, "over again");
          Rejection again = sink.rejections.poll(WAIT_S, TimeUnit.SECONDS);
          assertNotNull(again, "with two open again (second and fourth), a further one is refused");
          assertEquals(RejectReason.OVERLOADED, again.reason());
        }
        finish(fourth, "4");
        finish(second, "2");
        String x = sink.frames.poll(WAIT_S, TimeUnit.SECONDS);
        String y = sink.frames.poll(WAIT_S, TimeUnit.SECONDS);
        assertEquals(java.util.Set.of("b2", "c4"), java.util.Set.of(String.valueOf(x), String.valueOf(y)));
      } finally {
        second.close();
        first.close();
      }
      // Another source was never limited by this one's count.
      try (Socket other = from("127.0.0.3", l)) {
        finish(other, "other");
      }
      assertEquals("other", sink.frames.poll(WAIT_S, TimeUnit.SECONDS));
    }
  }
}
