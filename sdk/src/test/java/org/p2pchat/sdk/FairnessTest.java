package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.model.ChatMessage;

/**
 * One source floods (four threads, 127.0.0.2) while a polite one (127.0.0.1) sends one message at a time:
 * the polite messages are all handled, each after only a few of the flood's, and none of the flood's is
 * lost in silence (each is handled or rejected OVERLOADED). Counts, not times: how many flood messages
 * were handled between a polite send and its handling.
 */
class FairnessTest {
  private static final int SHARE = 500;
  private static final double RATE = 20;
  private static final int POLITE = 20;
  /**
   * Once read, a polite message waits for at most the flood message in hand (round-robin); before that it
   * waits in the kernel's accept queue behind flood connections, which the listener sheds quickly. Served
   * first-come, it would wait for the flood's whole share (500 at 20 a second).
   */
  private static final long MAX_FLOOD_BETWEEN = 40;

  @Test
  void aFloodingSourceDelaysOnlyItself() throws Exception {
    AtomicLong floodHandled = new AtomicLong();
    LinkedBlockingQueue<Long> politeHandledAfter = new LinkedBlockingQueue<>();
    List<Rejection> rejections = new CopyOnWriteArrayList<>();
    Dispatcher dispatcher = new Dispatcher().on(ChatMessage.class, (msg, ctx) -> {
      if (msg.getPeername().equals("flood")) {
        floodHandled.incrementAndGet();
      } else {
        politeHandledAfter.add(floodHandled.get());
      }
    }).onError(rejections::add);
    AtomicBoolean flooding = new AtomicBoolean(true);
    AtomicInteger floodSent = new AtomicInteger();
    ExecutorService flooders = Executors.newFixedThreadPool(4);
    Node node = Node.builder().workerThreads(1).maxQueuedPerSource(SHARE).messagesPerSecondPerSource(RATE)
        .dispatcher(dispatcher).build().start();
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        running.add(flooders.submit(() -> {
          while (flooding.get() && floodSent.get() < 50_000) {
            if (send(node, "127.0.0.2", Recorder.chat("flood", "x"))) {
              floodSent.incrementAndGet();
            }
          }
          return null;
        }));
      }
      // Wait until the flood has its share waiting: from then on it is over its rate and its share.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (floodSent.get() < SHARE * 2 && System.nanoTime() - deadline < 0) {
        Thread.onSpinWait();
      }
      assertTrue(floodSent.get() >= SHARE * 2, "the flood did not get going");

      long worst = 0;
      for (int i = 0; i < POLITE; i++) {
        assertTrue(send(node, "127.0.0.1", Recorder.chat("polite", Integer.toString(i))), "polite send " + i);
        long before = floodHandled.get();
        Long after = politeHandledAfter.poll(30, TimeUnit.SECONDS);
        assertNotNull(after, "polite message " + i + " not handled while the flood ran");
        worst = Math.max(worst, after - before);
      }
      assertTrue(worst <= MAX_FLOOD_BETWEEN, "a polite message waited for " + worst + " flood messages");
      assertTrue(floodHandled.get() < floodSent.get(), "the flood was held to its rate");

      flooding.set(false);
      for (Future<?> f : running) {
        f.get(30, TimeUnit.SECONDS);
      }
      // One more polite message: once it is handled, every flood connection before it in the accept queue
      // was read (and queued) or shed. Stopping then rejects what still waits for the flood's rate.
      assertTrue(send(node, "127.0.0.1", Recorder.chat("polite", "last")));
      assertNotNull(politeHandledAfter.poll(30, TimeUnit.SECONDS), "last polite message");
      node.close();
      // Nothing from the flood is lost in silence: handled, or rejected with a reason.
      long overloaded = rejections.stream().filter(r -> r.reason() == RejectReason.OVERLOADED).count();
      assertEquals(floodSent.get(), floodHandled.get() + overloaded, "flood: handled + rejected = sent");
      assertTrue(overloaded > 0, "the flood past its share was shed");
      assertTrue(rejections.stream().allMatch(r -> r.reason() == RejectReason.OVERLOADED
          && r.remote().getAddress().getHostAddress().equals("127.0.0.2")), "only the flood was shed: " + rejections);
    } finally {
      node.close();
      flooding.set(false);
      flooders.shutdownNow();
      flooders.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  /** Connect, write, close; false if the connection was refused or reset (the flood may meet that). */
  private static boolean send(Node node, String from, String text) {
    try (Socket s = new Socket()) {
      s.bind(new InetSocketAddress(from, 0));
      s.connect(new InetSocketAddress("127.0.0.1", node.address().port()), 5000);
      s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
