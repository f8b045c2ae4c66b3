package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.model.ChatMessage;

/**
 * Order per sender through a whole node, real sockets: each sender sends its next message only after the
 * previous send completed (connect, write, close), one sender alone and several at once from different
 * addresses, with four workers (so frames of one sender could race if the hand-off let them).
 */
class NodeOrderTest {
  private static final long WAIT_S = 60;

  /** Handler that records, per sender name, the sequence numbers in the order they were handled. */
  private static final class Order {
    final Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    final List<Rejection> rejections = new CopyOnWriteArrayList<>();
    final CountDownLatch all;

    Order(int expected) {
      all = new CountDownLatch(expected);
    }

    Dispatcher dispatcher() {
      return new Dispatcher().on(ChatMessage.class, (msg, ctx) -> {
        // A list per sender, appended to by one worker at a time if order holds; synchronized anyway so
        // that a broken order shows as a wrong sequence, not as a corrupted list.
        List<Integer> mine = seen.computeIfAbsent(msg.getPeername(), k -> new ArrayList<>());
        synchronized (mine) {
          mine.add(Integer.parseInt(msg.getMessage()));
        }
        all.countDown();
      }).onError(rejections::add);
    }
  }

  private static void sendAll(Node node, String from, String name, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      try (Socket s = new Socket()) {
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", node.address().port()), 5000);
        s.getOutputStream().write(Recorder.chat(name, Integer.toString(i)).getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static void assertInOrder(Order order, String name, int count) {
    List<Integer> mine = order.seen.get(name);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      expected.add(i);
    }
    synchronized (mine) {
      assertEquals(count, mine.size(), name + ": all handled, none twice");
      int out = 0;
      for (int i = 0; i < mine.size(); i++) {
        if (mine.get(i) != i) {
          out++;
        }
      }
      assertEquals(0, out, name + ": " + out + " of " + count + " out of order");
      assertEquals(expected, mine);
    }
  }

  @Test
  void oneSenderSequentialMessagesAreHandledInSendingOrder() throws Exception {
    int count = 3_000;
    Order order = new Order(count);
    try (Node node = Node.builder().workerThreads(4).dispatcher(order.dispatcher()).build().start()) {
      sendAll(node, "127.0.0.1", "solo", count);
      assertTrue(order.all.await(WAIT_S, TimeUnit.SECONDS), "handled " + (count - order.all.getCount()));
      assertInOrder(order, "solo", count);
      assertTrue(order.rejections.isEmpty(), "rejections: " + order.rejections);
    }
  }

  @Test
  void severalSendersAtOnceEachKeepTheirOrder() throws Exception {
    int senders = 4;
    int count = 1_000;
    Order order = new Order(senders * count);
    ExecutorService pool = Executors.newFixedThreadPool(senders);
    try (Node node = Node.builder().workerThreads(4).dispatcher(order.dispatcher()).build().start()) {
      List<Future<?>> running = new ArrayList<>();
      for (int s = 0; s < senders; s++) {
        String from = "127.0.0." + (2 + s);
        String name = "sender" + s;
        running.add(pool.submit(() -> {
          sendAll(node, from, name, count);
          return null;
        }));
      }
      for (Future<?> f : running) {
        f.get(WAIT_S, TimeUnit.SECONDS);
      }
      assertTrue(order.all.await(WAIT_S, TimeUnit.SECONDS), "handled " + (senders * count - order.all.getCount()));
      for (int s = 0; s < senders; s++) {
        assertInOrder(order, "sender" + s, count);
      }
      assertTrue(order.rejections.isEmpty(), "rejections: " + order.rejections);
    } finally {
      pool.shutdownNow();
    }
  }
}
