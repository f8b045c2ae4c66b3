package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.model.ChatMessage;

class ConcurrencyTest {
  @Test
  void dispatchesEveryMessageFromManySendersExactlyOnce() throws Exception {
    int senders = 8;
    int perSender = 150;
    try (Recorder r = Recorder.start(); Sender sender = Sender.builder().build()) {
      ExecutorService pool = Executors.newFixedThreadPool(senders);
      try {
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
          int id = s;
          done.add(CompletableFuture.runAsync(() -> {
            for (int i = 0; i < perSender; i++) {
              try {
                sender.send(r.address(), new ChatMessage().withPeername("s" + id).withMessage(id + ":" + i));
              } catch (SendException e) {
                throw new IllegalStateException(e);
              }
            }
          }, pool));
        }
        CompletableFuture.allOf(done.toArray(new CompletableFuture<?>[0])).get(60, TimeUnit.SECONDS);
      } finally {
        pool.shutdownNow();
      }
      Set<String> seen = new HashSet<>();
      for (int n = 0; n < senders * perSender; n++) {
        String text = r.nextMessage().getMessage();
        assertTrue(seen.add(text), "dispatched twice: " + text);
      }
      assertEquals(senders * perSender, seen.size());
      // Nothing more arrives: no duplicates trail behind.
      assertEquals(null, r.messages.poll(200, TimeUnit.MILLISECONDS));
      assertEquals(senders * perSender, r.node.counters().dispatched());
    }
  }

  @Test
  void aValidMessageIsHandledWhileManyConnectionsSitIdle() throws Exception {
    // A long read deadline: if idle connections held up the listener, the valid message would wait for it.
    try (Recorder r = new Recorder(Node.builder().name("test").readTimeout(Duration.ofSeconds(60)))) {
      List<Socket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 150; i++) {
          Socket s = r.connect();
          s.getOutputStream().write('{');
          idle.add(s);
        }
        long start = System.nanoTime();
        // From another source: the idle ones' source holds its 64 connections, the rest were refused.
        r.sendRawFrom("127.0.0.2", Recorder.chat("alice", "still served"));
        assertEquals("still served", r.nextMessage().getMessage());
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 10_000, "took " + millis + " ms with 150 idle connections");
      } finally {
        for (Socket s : idle) {
          s.close();
        }
      }
    }
  }

  @Test
  void beyondTheConnectionLimitNewConnectionsWaitUnacceptedAndAreServedLater() throws Exception {
    try (Recorder r = new Recorder(Node.builder().name("test").maxConnections(5).readTimeout(Duration.ofSeconds(60)))) {
      List<Socket> idle = new ArrayList<>();
      try {
        for (int i = 0; i < 5; i++) {
          idle.add(r.connect());
        }
        // The sixth connects (the kernel's backlog) and writes; the listener does not accept it yet.
        try (Socket extra = r.connect()) {
          extra.getOutputStream().write(Recorder.chat("alice", "waited in the backlog").getBytes(java.nio.charset.StandardCharsets.UTF_8));
          extra.shutdownOutput();
          for (Socket s : idle) {
            s.close();
          }
          idle.clear();
          assertEquals("waited in the backlog", r.nextMessage().getMessage());
        }
      } finally {
        for (Socket s : idle) {
          s.close();
        }
      }
      for (int i = 0; i < 5; i++) {
        assertEquals(RejectReason.EMPTY, r.nextRejection().reason());
      }
      r.sendRaw(Recorder.chat("alice", "after overload"));
      assertEquals("after overload", r.nextMessage().getMessage());
    }
  }

  @Test
  void oneSourceBeyondItsShareIsClosedUnreadUnlessExempt() throws Exception {
    try (Recorder r = new Recorder(Node.builder().name("test").maxConnectionsPerSource(2)
        .readTimeout(Duration.ofSeconds(60)))) {
      try (Socket a = r.connect(); Socket b = r.connect(); Socket extra = r.connect()) {
        extra.setSoTimeout(5000);
        assertEquals(-1, extra.getInputStream().read(), "the third connection of one source is closed");
        assertEquals(RejectReason.OVERLOADED, r.nextRejection().reason());
      }
      // Once the listener has seen both close, the source has room again.
      assertEquals(RejectReason.EMPTY, r.nextRejection().reason());
      assertEquals(RejectReason.EMPTY, r.nextRejection().reason());
      r.sendRaw(Recorder.chat("alice", "after"));
      assertEquals("after", r.nextMessage().getMessage());
    }
    java.util.Set<java.net.InetAddress> loopback = java.util.Set.of(java.net.InetAddress.getByName("127.0.0.1"));
    try (Recorder r = new Recorder(Node.builder().name("test").maxConnectionsPerSource(2).exemptSources(loopback)
        .readTimeout(Duration.ofSeconds(60)))) {
      try (Socket a = r.connect(); Socket b = r.connect(); Socket extra = r.connect()) {
        extra.getOutputStream().write(Recorder.chat("alice", "exempt").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        extra.shutdownOutput();
        assertEquals("exempt", r.nextMessage().getMessage());
      }
    }
  }
}
