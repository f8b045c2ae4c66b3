package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.WireJson;
import org.p2pchat.protocol.model.ChatMessage;

/** Every node setting, set through the builder, reaches the running node; the builder is copied at build(). */
class NodeBuilderTest {
  @Test
  void everySettingIsTakenAndLaterBuilderChangesChangeNothing() throws Exception {
    java.util.concurrent.LinkedBlockingQueue<ChatMessage> got = new java.util.concurrent.LinkedBlockingQueue<>();
    java.util.concurrent.LinkedBlockingQueue<Rejection> rejected = new java.util.concurrent.LinkedBlockingQueue<>();
    Dispatcher dispatcher = new Dispatcher().on(ChatMessage.class, (msg, ctx) -> got.add(msg)).onError(rejected::add);
    Node.Builder builder = Node.builder()
        .name("built")
        .host("127.0.0.1")
        .port(0)
        .maxMessageBytes(200)
        .maxSendBytes(300)
        .readTimeout(Duration.ofSeconds(5))
        .connectTimeout(Duration.ofSeconds(2))
        .writeTimeout(Duration.ofSeconds(2))
        .sendThreads(2)
        .sendQueue(10)
        .stopTimeout(Duration.ofSeconds(2))
        .maxConnections(16)
        .maxConnectionsPerSource(8)
        .exemptSources(Set.of(InetAddress.getByName("127.0.0.9")))
        .workerThreads(2)
        .workQueue(100)
        .maxQueuedPerSource(50)
        .messagesPerSecondPerSource(0)
        .validateIncoming(true)
        .validateOutgoing(true)
        .style(WireJson.Style.PYTHON)
        .dispatcher(dispatcher);
    Node node = builder.build().start();
    builder.port(1).maxMessageBytes(10); // after build: no effect on the node
    try {
      assertTrue(node.handles(MessageType.CHAT_MESSAGE));
      assertFalse(node.handles(MessageType.DISCONNECT));
      assertEquals("127.0.0.1", node.address().host());
      assertTrue(node.address().port() > 1);

      node.send(node.address(), new ChatMessage().withPeername("me").withMessage("hello"));
      assertEquals("hello", got.poll(10, TimeUnit.SECONDS).getMessage());
      node.sendAsync(node.address(), new ChatMessage().withPeername("me").withMessage("async")).get(10, TimeUnit.SECONDS);
      assertEquals("async", got.poll(10, TimeUnit.SECONDS).getMessage());

      // maxSendBytes 300: a bigger message is refused before any connection.
      SendException big = assertThrows(SendException.class,
          () -> node.send(node.address(), new ChatMessage().withPeername("me").withMessage("x".repeat(400))));
      assertEquals(SendException.Reason.OVERSIZED, big.reason());
      // maxMessageBytes 200: a 250-byte message is sent (under 300) and rejected on arrival.
      node.sender().sendRaw(node.address(), Recorder.chat("me", "y".repeat(200)).getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
      assertEquals(RejectReason.TOO_LARGE, rejected.poll(10, TimeUnit.SECONDS).reason());

      // A handler's message is counted as dispatched when the handler returns, just after we saw it.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (node.counters().dispatched() < 2 && System.nanoTime() - deadline < 0) {
        Thread.onSpinWait();
      }
      Counters.Snapshot c = node.counters();
      assertEquals(2, c.dispatched());
      assertEquals(3, c.sent(), "two messages and the raw one");
      assertEquals(1, c.sendFailures(), "the oversized one");
    } finally {
      assertTrue(node.stop(Duration.ofSeconds(5)), "no handler in flight");
    }
  }

  @Test
  void invalidIncomingMessagesPassOnlyWithValidationOff() throws Exception {
    java.util.concurrent.LinkedBlockingQueue<ChatMessage> got = new java.util.concurrent.LinkedBlockingQueue<>();
    Dispatcher dispatcher = new Dispatcher().on(ChatMessage.class, (msg, ctx) -> got.add(msg));
    try (Node lax = Node.builder().validateIncoming(false).dispatcher(dispatcher).build().start()) {
      lax.sender().sendRaw(lax.address(), "{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"a\"}}"
          .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertEquals("a", got.poll(10, TimeUnit.SECONDS).getPeername());
    }
  }
}
