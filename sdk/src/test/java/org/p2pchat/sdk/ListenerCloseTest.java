package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What closing a listener releases (its port, its thread, the connections it holds), and one rejection per connection. */
class ListenerCloseTest {
  private static final long WAIT_S = 5;

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
  }

  private static Thread ioThread(int port) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("p2pchat-io-" + port)) {
        return t;
      }
    }
    return null;
  }

  @Test
  void closeReleasesThePortEndsTheThreadAndClosesOpenConnections() throws Exception {
    Sink sink = new Sink();
    Listener l = Listener.builder().build().start(sink);
    int port = l.address().port();
    Thread io = ioThread(port);
    assertNotNull(io, "the I/O thread is named after its port");
    assertTrue(io.isDaemon(), "the I/O thread never keeps the JVM alive");
    try (Socket open = new Socket("127.0.0.1", port)) {
      open.getOutputStream().write('{');
      open.getOutputStream().flush();
      open.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_S));
      l.close();
      assertFalse(io.isAlive(), "close waits for the I/O thread to end");
      // The connection it was reading is closed by close(), not left to its read deadline (10 s).
      try {
        assertEquals(-1, open.getInputStream().read(), "end of stream from the closed listener");
      } catch (SocketException reset) {
        // closed with our byte unread: a reset is just as closed
      }
    }
    // The port is free again at once.
    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      assertEquals(port, again.getLocalPort());
    }
    assertTrue(sink.frames.isEmpty(), "an unfinished message is never delivered");
    l.close(); // twice: nothing happens
  }

  @Test
  void anOversizedMessageIsOneRejectionNamingTheBytesRead() throws Exception {
    Sink sink = new Sink();
    try (Listener l = Listener.builder().maxBytes(3000).maxConnections(1).build().start(sink)) {
      try (Socket s = new Socket("127.0.0.1", l.address().port())) {
        s.getOutputStream().write(new byte[3001]);
        s.shutdownOutput();
        Rejection r = sink.rejections.poll(WAIT_S, TimeUnit.SECONDS);
        assertNotNull(r, "the oversized message was rejected");
        assertEquals(RejectReason.TOO_LARGE, r.reason());
        assertTrue(r.detail().endsWith("connection closed after reading 3001"), r.detail());
      }
      // With one connection slot, the next two messages are served one after the other: the slot of the
      // rejected connection was freed exactly once, and nothing else was reported about it.
      for (int i = 0; i < 2; i++) {
        try (Socket s = new Socket("127.0.0.1", l.address().port())) {
          s.getOutputStream().write(new byte[] {'o', 'k'});
          s.shutdownOutput();
        }
        assertNotNull(sink.frames.poll(WAIT_S, TimeUnit.SECONDS), "message " + i + " served; " + sink.rejections);
      }
      assertNull(sink.rejections.poll(), "one rejection for the oversized connection, none after it");
    }
  }
}
