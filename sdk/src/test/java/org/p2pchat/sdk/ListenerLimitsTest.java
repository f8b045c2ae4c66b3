package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The listener's own limits, seen through a bare FrameSink: the exact size cap, the read deadline, the connection cap. */
class ListenerLimitsTest {
  private static final long WAIT_S = 10;

  /** Records what the listener delivers. */
  private static final class Sink implements Listener.FrameSink {
    final LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Rejection> rejections = new LinkedBlockingQueue<>();

    @Override
    public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
      frames.add(frame);
    }

    @Override
    public void onRejected(Rejection rejection) {
      rejections.add(rejection);
    }

    byte[] nextFrame() throws InterruptedException {
      byte[] f = frames.poll(WAIT_S, TimeUnit.SECONDS);
      assertNotNull(f, "no frame delivered; rejections: " + rejections);
      return f;
    }

    Rejection nextRejection() throws InterruptedException {
      Rejection r = rejections.poll(WAIT_S, TimeUnit.SECONDS);
      assertNotNull(r, "no rejection delivered; frames: " + frames.size());
      return r;
    }
  }

  private static void sendAndClose(Listener l, byte[] bytes) throws Exception {
    try (Socket s = new Socket(l.address().host(), l.address().port())) {
      s.getOutputStream().write(bytes);
      s.shutdownOutput();
    }
  }

  private static byte[] filled(int n, byte b) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, b);
    return bytes;
  }

  @Test
  void aMessageOfExactlyMaxBytesIsDeliveredAndOneByteMoreIsRejected() throws Exception {
    Sink sink = new Sink();
    try (Listener l = Listener.builder().maxBytes(3000).build().start(sink)) {
      assertEquals(3000, l.maxBytes());
      byte[] exact = filled(3000, (byte) 'a');
      sendAndClose(l, exact);
      assertArrayEquals(exact, sink.nextFrame());

      sendAndClose(l, filled(3001, (byte) 'b'));
      Rejection r = sink.nextRejection();
      assertEquals(RejectReason.TOO_LARGE, r.reason());
      assertTrue(r.detail().contains("exceeds 3000 bytes"), r.detail());
      assertNull(sink.frames.poll(), "an oversized message is never delivered");

      // The next valid message is served.
      sendAndClose(l, filled(10, (byte) 'c'));
      assertArrayEquals(filled(10, (byte) 'c'), sink.nextFrame());
    }
  }

  @Test
  void anOversizedSenderThatKeepsWritingIsCutOffNotBuffered() throws Exception {
    Sink sink = new Sink();
    try (Listener l = Listener.builder().maxBytes(4096).build().start(sink);
        Socket s = new Socket(l.address().host(), l.address().port())) {
      OutputStream out = s.getOutputStream();
      out.write(filled(4097, (byte) 'x'));
      out.flush();
      // No shutdownOutput: the cap alone must end this connection.
      Rejection r = sink.nextRejection();
      assertEquals(RejectReason.TOO_LARGE, r.reason());
      assertTrue(s.getInputStream().read() < 0, "the listener closed the connection");
    }
  }

  @Test
  void aSenderThatNeverFinishesIsCutOffAtTheReadDeadline() throws Exception {
    Sink sink = new Sink();
    try (Listener l = Listener.builder().readTimeout(Duration.ofMillis(200)).build().start(sink);
        Socket silent = new Socket(l.address().host(), l.address().port());
        Socket partial = new Socket(l.address().host(), l.address().port())) {
      partial.getOutputStream().write(filled(5, (byte) '{'));
      partial.getOutputStream().flush();
      Rejection a = sink.nextRejection();
      Rejection b = sink.nextRejection();
      assertEquals(RejectReason.READ_TIMEOUT, a.reason());
      assertEquals(RejectReason.READ_TIMEOUT, b.reason());
      String details = a.detail() + " | " + b.detail();
      assertTrue(details.contains("sent nothing within the read deadline"), details);
      assertTrue(details.contains("sent 5 bytes but no end of stream"), details);
      assertTrue(silent.getInputStream().read() < 0, "the silent connection was closed");
      assertTrue(sink.frames.isEmpty());
    }
  }

  @Test
  void aSlowSenderWithinTheDeadlineIsDelivered() throws Exception {
    Sink sink = new Sink();
    try (Listener l = Listener.builder().readTimeout(Duration.ofSeconds(30)).build().start(sink);
        Socket slow = new Socket(l.address().host(), l.address().port())) {
      slow.setTcpNoDelay(true);
      OutputStream out = slow.getOutputStream();
      out.write('{');
      out.flush();
      // Let several sweeps (every 20 ms) pass while the slow connection is open, by completing other
      // messages until 300 ms have gone by: a deadline computed wrongly would cut the slow sender off.
      long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
      int others = 0;
      while (System.nanoTime() - until < 0 && others < 10_000) {
        sendAndClose(l, filled(3, (byte) 'o'));
        sink.nextFrame();
        others++;
      }
      out.write('}');
      slow.shutdownOutput();
      assertArrayEquals(new byte[] {'{', '}'}, sink.nextFrame());
      assertTrue(sink.rejections.isEmpty(), "rejections: " + sink.rejections);
    }
  }

  @Test
  void beyondMaxConnectionsNewConnectionsWaitUnacceptedAndAreServedWhenASlotFrees() throws Exception {
    Sink sink = new Sink();
    try (Listener l = Listener.builder().maxConnections(2).build().start(sink);
        Socket one = new Socket(l.address().host(), l.address().port());
        Socket two = new Socket(l.address().host(), l.address().port())) {
      one.getOutputStream().write('{');
      one.getOutputStream().flush();
      two.getOutputStream().write('{');
      two.getOutputStream().flush();
      try (Socket three = new Socket(l.address().host(), l.address().port())) {
        // The third waits in the accept backlog: its message is complete but not read yet.
        OutputStream out = three.getOutputStream();
        out.write(filled(3, (byte) 't'));
        three.shutdownOutput();
        // Finishing one frees its slot: the waiting connection is accepted, read and delivered.
        one.getOutputStream().write('}');
        one.shutdownOutput();
        List<String> got = new java.util.ArrayList<>();
        got.add(new String(sink.nextFrame(), java.nio.charset.StandardCharsets.US_ASCII));
        got.add(new String(sink.nextFrame(), java.nio.charset.StandardCharsets.US_ASCII));
        java.util.Collections.sort(got);
        assertEquals(List.of("ttt", "{}"), got);
      }
      assertTrue(sink.rejections.isEmpty(), "rejections: " + sink.rejections);
    }
  }

  @Test
  void anEmptyConnectionIsRejectedAsEmpty() throws Exception {
    Sink sink = new Sink();
    try (Listener l = Listener.builder().build().start(sink)) {
      sendAndClose(l, new byte[0]);
      assertEquals(RejectReason.EMPTY, sink.nextRejection().reason());
      assertTrue(sink.frames.isEmpty());
    }
  }
}
