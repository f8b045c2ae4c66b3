package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;

/**
 * The sender's write watchdog: a socket write has no timeout of its own, so a receiver that accepts and
 * never reads must not hold a sending thread. The 3 s waits below only keep a broken watchdog from
 * hanging the build; they assert no duration.
 */
class SenderWatchdogTest {
  private static final long HANG_GUARD_S = 3;

  private static byte[] big(int n) {
    byte[] bytes = new byte[n];
    Arrays.fill(bytes, (byte) 'z');
    return bytes;
  }

  @Test
  void aLargeWriteToAReceiverThatNeverReadsFailsAsTimedOut() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Sender sender = Sender.builder().writeTimeout(Duration.ofMillis(200)).build()) {
      server.setReceiveBufferSize(4096);
      server.setSoTimeout(10_000);
      HostPort target = new HostPort("127.0.0.1", server.getLocalPort());
      CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
        try {
          sender.sendRaw(target, big(16 * 1024 * 1024 - 1));
        } catch (SendException e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      try (Socket stalled = server.accept()) {
        ExecutionException e = assertThrows(ExecutionException.class,
            () -> send.get(HANG_GUARD_S, TimeUnit.SECONDS), "the watchdog ends the stuck write");
        SendException cause = assertInstanceOf(SendException.class, e.getCause());
        assertEquals(SendException.Reason.TIMED_OUT, cause.reason(), cause.getMessage());
        assertTrue(cause.getMessage().contains("200 ms"), cause.getMessage());
      }
    }
  }

  @Test
  void aLargeWriteToAReceiverThatReadsIsDeliveredWhole() throws Exception {
    byte[] bytes = big(512 * 1024);
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Sender sender = Sender.builder().writeTimeout(Duration.ofSeconds(30)).build()) {
      server.setSoTimeout(10_000);
      HostPort target = new HostPort("127.0.0.1", server.getLocalPort());
      CompletableFuture<Void> send = CompletableFuture.runAsync(() -> {
        try {
          sender.sendRaw(target, bytes);
        } catch (SendException e) {
          throw new java.util.concurrent.CompletionException(e);
        }
      });
      try (Socket s = server.accept()) {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        in.transferTo(got);
        send.get(10, TimeUnit.SECONDS);
        assertArrayEquals(bytes, got.toByteArray());
      }
    }
  }

  @Test
  void aSmallWriteNeedsNoReaderToComplete() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Sender sender = Sender.builder().writeTimeout(Duration.ofMillis(100)).build()) {
      // Fits the kernel's buffers: it completes although nobody has even accepted it yet.
      sender.sendRaw(new HostPort("127.0.0.1", server.getLocalPort()), big(1000));
      server.setSoTimeout(10_000);
      try (Socket s = server.accept()) {
        assertEquals(1000, s.getInputStream().readAllBytes().length);
      }
    }
  }

  @Test
  void theSendersOwnSizeLimitIsExact() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Sender sender = Sender.builder().maxBytes(2000).build()) {
      HostPort target = new HostPort("127.0.0.1", server.getLocalPort());
      SendException e = assertThrows(SendException.class, () -> sender.sendRaw(target, big(2001)));
      assertEquals(SendException.Reason.OVERSIZED, e.reason());
      assertTrue(e.getMessage().contains("2001 bytes"), e.getMessage());
      sender.sendRaw(target, big(2000));
      server.setSoTimeout(10_000);
      try (Socket s = server.accept()) {
        assertEquals(2000, s.getInputStream().readAllBytes().length, "exactly maxBytes is sent");
      }
    }
  }

  @Test
  void timeoutsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> Sender.builder().writeTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> Sender.builder().connectTimeout(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> Sender.builder().writeTimeout(null));
    Sender.builder().writeTimeout(Duration.ofMillis(1)).connectTimeout(Duration.ofMillis(1));
  }
}
