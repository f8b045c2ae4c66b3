package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.Register;

/** What the sender counts for each outcome, and what a stopped node does with a late send or a stuck handler. */
class SenderCountsTest {
  private static int freePort() throws Exception {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }

  @Test
  void everyFailedSendIsCountedOnceAndOnlyDeliveredOnesCountAsSent() throws Exception {
    Counters counters = new Counters();
    Codec codec = Codec.standard();
    try (Recorder r = Recorder.start();
        Sender sender = Sender.builder().codec(codec).maxBytes(4096).counters(counters).build()) {
      assertSame(codec, sender.codec());

      // Invalid: refused by the codec, nothing sent.
      SendException invalid = assertThrows(SendException.class, () ->
          sender.send(r.address(), new Register().withPeername("alice").withHost("localhost").withPort(70000)));
      assertEquals(SendException.Reason.INVALID_MESSAGE, invalid.reason());
      assertEquals(r.address(), invalid.target());
      assertEquals(1, counters.snapshot().sendFailures());
      assertEquals(0, counters.snapshot().sent());

      // Over the sender's cap: refused before connecting.
      assertThrows(SendException.class, () -> sender.sendRaw(r.address(), new byte[4097]));
      assertEquals(2, counters.snapshot().sendFailures());

      // Refused connection.
      SendException refused = assertThrows(SendException.class, () ->
          sender.send(new HostPort("127.0.0.1", freePort()), new ChatMessage().withPeername("a").withMessage("b")));
      assertEquals(SendException.Reason.REFUSED, refused.reason());
      assertEquals(3, counters.snapshot().sendFailures());
      assertEquals(0, counters.snapshot().sent());

      // Delivered.
      sender.send(r.address(), new ChatMessage().withPeername("a").withMessage("delivered"));
      assertEquals("delivered", r.nextMessage().getMessage());
      assertEquals(1, counters.snapshot().sent());
      assertEquals(3, counters.snapshot().sendFailures());
    }
  }

  @Test
  void aStoppedNodeSendsNothingAndInterruptsAHandlerThatOverstays() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    Dispatcher dispatcher = new Dispatcher().on(ChatMessage.class, (m, ctx) -> {
      entered.countDown();
      try {
        new CountDownLatch(1).await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted.countDown();
      }
    });
    Node node = Node.builder().dispatcher(dispatcher).build().start();
    HostPort self = node.address();
    node.send(self, new ChatMessage().withPeername("a").withMessage("stuck"));
    assertTrue(entered.await(5, TimeUnit.SECONDS), "the handler started");
    assertFalse(node.stop(Duration.ofMillis(100)), "the handler was still running");
    assertTrue(interrupted.await(5, TimeUnit.SECONDS), "stop interrupts a handler past the stop timeout");

    // The node's sender is closed with it: a late send fails at once, nothing is queued.
    ExecutionException late = assertThrows(ExecutionException.class,
        () -> node.sendAsync(self, new ChatMessage().withPeername("a").withMessage("late")).get(5, TimeUnit.SECONDS));
    assertEquals(SendException.Reason.IO, ((SendException) late.getCause()).reason());
    assertEquals(1, node.counters().sendFailures());
  }
}
