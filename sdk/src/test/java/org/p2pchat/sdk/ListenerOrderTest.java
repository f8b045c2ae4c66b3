package org.p2pchat.sdk;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Order per source in the listener, with real sockets and the I/O thread held on purpose: a message whose
 * connection was accepted early (before its bytes came) and one accepted later become ready in the same
 * pass over the selector. The earlier one must be delivered first, whichever the selector lists first.
 */
class ListenerOrderTest {
  private static final long WAIT_S = 10;

  /** Records frames; holds the I/O thread inside the frame named "hold" until released. */
  private static final class HoldingSink implements Listener.FrameSink {
    final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Rejection> rejections = new LinkedBlockingQueue<>();
    volatile CountDownLatch held = new CountDownLatch(1);
    volatile CountDownLatch release = new CountDownLatch(1);

    @Override
    public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
      String text = new String(frame, US_ASCII);
      if (text.equals("hold")) {
        held.countDown();
        try {
          release.await(WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return;
      }
      frames.add(text);
    }

    @Override
    public void onRejected(Rejection rejection) {
      rejections.add(rejection);
    }

    String next() throws InterruptedException {
      String f = frames.poll(WAIT_S, TimeUnit.SECONDS);
      if (f == null) {
        throw new AssertionError("no frame delivered; rejections: " + rejections);
      }
      return f;
    }
  }

  private static Socket connect(Listener l, String from) throws Exception {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress("127.0.0.1", l.address().port()), 5000);
    return s;
  }

  private static void send(Socket s, String text) throws Exception {
    OutputStream out = s.getOutputStream();
    out.write(text.getBytes(US_ASCII));
    out.flush();
    s.close();
  }

  @Test
  void aMessageCompletedEarlierOnAConnectionAcceptedEarlierIsDeliveredFirst() throws Exception {
    HoldingSink sink = new HoldingSink();
    List<String> got = new ArrayList<>();
    try (Listener l = Listener.builder().build().start(sink)) {
      for (int round = 0; round < 30; round++) {
        sink.held = new CountDownLatch(1);
        sink.release = new CountDownLatch(1);
        // A is accepted before it has sent anything (then waits in the selector) ...
        Socket a = connect(l, "127.0.0.1");
        // ... and the I/O thread is held by a message from another host, accepted after A.
        try (Socket other = connect(l, "127.0.0.2")) {
          send(other, "hold");
        }
        assertTrue(sink.held.await(WAIT_S, TimeUnit.SECONDS), "the I/O thread never got the holding message");
        // While it is held, A is sent in full, and only then B is sent: B follows A.
        send(a, "A" + round);
        try (Socket b = connect(l, "127.0.0.1")) {
          send(b, "B" + round);
        }
        sink.release.countDown();
        got.add(sink.next());
        got.add(sink.next());
      }
      List<String> expected = new ArrayList<>();
      for (int round = 0; round < 30; round++) {
        expected.add("A" + round);
        expected.add("B" + round);
      }
      assertEquals(expected, got);
      assertTrue(sink.rejections.isEmpty(), "rejections: " + sink.rejections);
    }
  }

  @Test
  void aStalledConnectionDoesNotHoldUpTheNextMessageOfItsSource() throws Exception {
    HoldingSink sink = new HoldingSink();
    try (Listener l = Listener.builder().build().start(sink); Socket stalled = connect(l, "127.0.0.1")) {
      stalled.getOutputStream().write('{');
      stalled.getOutputStream().flush();
      try (Socket next = connect(l, "127.0.0.1")) {
        send(next, "next");
      }
      assertEquals("next", sink.next(), "a sender that has not finished is overtaken");
      send(stalled, "}");
      assertEquals("{}", sink.next());
      assertTrue(sink.rejections.isEmpty(), "rejections: " + sink.rejections);
    }
  }
}
