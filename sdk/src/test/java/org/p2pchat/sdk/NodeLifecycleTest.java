package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.model.ChatMessage;
import org.p2pchat.protocol.model.Disconnect;

class NodeLifecycleTest {
  @Test
  void bindsAFreePortAndReleasesItOnStop() throws Exception {
    Node node = Node.builder().build().start();
    int port = node.address().port();
    assertNotEquals(0, port);
    assertTrue(node.stop(Duration.ofSeconds(5)));
    try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      assertEquals(port, again.getLocalPort());
    }
  }

  @Test
  void stopWaitsForHandlersInFlight() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Dispatcher dispatcher = new Dispatcher().on(ChatMessage.class, (m, ctx) -> {
      entered.countDown();
      release.await(10, TimeUnit.SECONDS);
      finished.countDown();
    });
    Node node = Node.builder().dispatcher(dispatcher).build().start();
    node.send(node.address(), new ChatMessage().withPeername("a").withMessage("slow"));
    assertTrue(entered.await(10, TimeUnit.SECONDS));
    int port = node.address().port();
    Thread releaser = new Thread(() -> {
      // Release the handler only once stop() has begun, which closes the listening port first.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline && accepts(port)) {
        Thread.onSpinWait();
      }
      release.countDown();
    });
    releaser.start();
    assertTrue(node.stop(Duration.ofSeconds(10)), "stop waited for the handler");
    assertEquals(0, finished.getCount(), "the handler finished before stop returned");
    releaser.join(10_000);
  }

  private static boolean accepts(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Test
  void stopGivesUpOnAHandlerThatOverstaysTheTimeout() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    Dispatcher dispatcher = new Dispatcher().on(ChatMessage.class, (m, ctx) -> {
      entered.countDown();
      never.await(30, TimeUnit.SECONDS);
    });
    Node node = Node.builder().dispatcher(dispatcher).build().start();
    node.send(node.address(), new ChatMessage().withPeername("a").withMessage("stuck"));
    assertTrue(entered.await(10, TimeUnit.SECONDS));
    assertEquals(false, node.stop(Duration.ofMillis(100)));
  }

  @Test
  void registeringAHandlerTwiceIsAnError() {
    Dispatcher dispatcher = new Dispatcher().on(ChatMessage.class, (m, ctx) -> { });
    assertThrows(IllegalStateException.class, () -> dispatcher.on(ChatMessage.class, (m, ctx) -> { }));
  }

  @Test
  void aHandlerThatThrowsIsReportedAndTheNextMessageIsServed() throws Exception {
    java.util.concurrent.LinkedBlockingQueue<Rejection> errors = new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.LinkedBlockingQueue<String> served = new java.util.concurrent.LinkedBlockingQueue<>();
    Dispatcher dispatcher = new Dispatcher()
        .on(ChatMessage.class, (m, ctx) -> {
          if (m.getMessage().equals("boom")) {
            throw new IllegalStateException("boom");
          }
          served.add(m.getMessage());
        })
        .on(Disconnect.class, (m, ctx) -> served.add("disconnect " + m.getPeername()))
        .onError(errors::add);
    try (Node node = Node.builder().dispatcher(dispatcher).build().start()) {
      node.send(node.address(), new ChatMessage().withPeername("a").withMessage("boom"));
      Rejection r = errors.poll(10, TimeUnit.SECONDS);
      assertEquals(RejectReason.HANDLER_ERROR, r.reason());
      assertEquals("CHAT_MESSAGE", r.msgtype());
      assertTrue(r.toString().contains("127.0.0.1"), r.toString());
      node.send(node.address(), new ChatMessage().withPeername("a").withMessage("fine"));
      assertEquals("fine", served.poll(10, TimeUnit.SECONDS));
      assertEquals(1, node.counters().handlerErrors());
    }
  }
}
