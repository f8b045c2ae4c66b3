package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.p2pchat.protocol.model.ChatMessage;

/** The sender's own bounds: the exact size cap, the async queue, and what a closed sender does. */
class SenderLimitsTest {
  @Test
  void aMessageOfExactlyMaxBytesIsSentAndOneByteMoreIsNot() throws Exception {
    Counters counters = new Counters();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Sender sender = Sender.builder().maxBytes(100).counters(counters).build()) {
      HostPort to = new HostPort("127.0.0.1", server.getLocalPort());
      byte[] exact = new byte[100];
      Arrays.fill(exact, (byte) 'a');
      sender.sendRaw(to, exact);
      try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
        assertEquals(100, in.readAllBytes().length);
      }
      SendException e = assertThrows(SendException.class, () -> sender.sendRaw(to, new byte[101]));
      assertEquals(SendException.Reason.OVERSIZED, e.reason());
      assertEquals(to, e.target());
      assertTrue(e.getMessage().contains("101 bytes is over the sender's limit of 100"), e.getMessage());
      assertEquals(1, counters.snapshot().sent());
      assertEquals(1, counters.snapshot().sendFailures());
    }
  }

  @Test
  void aFullAsyncQueueFailsTheNewSendAtOnceAndAClosedSenderSendsNothing() throws Exception {
    Counters counters = new Counters();
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      HostPort to = new HostPort("127.0.0.1", server.getLocalPort());
      // One thread, a queue of one; the thread is held by a large write nobody reads (cut at 1 s).
      Sender sender = Sender.builder().asyncThreads(1).asyncQueue(1).writeTimeout(Duration.ofSeconds(1))
          .counters(counters).build();
      ChatMessage huge = new ChatMessage().withPeername("a").withMessage("x".repeat(8 * 1024 * 1024));
      CompletableFuture<Void> stuck = sender.sendAsync(to, huge);
      CompletableFuture<Void> queued = sender.sendAsync(to, new ChatMessage().withPeername("a").withMessage("q"));
      CompletableFuture<Void> refused = sender.sendAsync(to, new ChatMessage().withPeername("a").withMessage("r"));
      // The third may be refused at once (queue full) or, if the first had not started yet, be queued.
      ExecutionException full = assertThrows(ExecutionException.class, () -> {
        refused.get(10, TimeUnit.SECONDS);
        stuck.get(10, TimeUnit.SECONDS);
      });
      assertTrue(full.getCause() instanceof SendException, String.valueOf(full.getCause()));
      SendException cause = (SendException) full.getCause();
      assertTrue(cause.reason() == SendException.Reason.IO || cause.reason() == SendException.Reason.TIMED_OUT,
          cause.toString());
      sender.close();
      ExecutionException closed = assertThrows(ExecutionException.class,
          () -> sender.sendAsync(to, new ChatMessage().withPeername("a").withMessage("late")).get(10, TimeUnit.SECONDS));
      SendException late = (SendException) closed.getCause();
      assertEquals(SendException.Reason.IO, late.reason());
      assertTrue(late.getMessage().contains("send queue full or sender closed"), late.getMessage());
      assertTrue(counters.snapshot().sendFailures() >= 2, counters.snapshot().toString());
      queued.handle((ok, error) -> null).get(10, TimeUnit.SECONDS);
    }
  }
}
