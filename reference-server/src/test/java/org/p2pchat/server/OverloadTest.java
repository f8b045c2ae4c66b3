package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.sdk.Listener;
import org.p2pchat.sdk.Rejection;

/**
 * Accepted means handled: a burst far beyond what the workers keep up with is held back in the kernel's
 * backlog, never accepted and dropped. Every REGISTER whose connect and write succeeded is answered.
 */
class OverloadTest {
  private static final int SENDERS = 32;
  private static final int EACH = 1_000;

  @TempDir
  Path dir;

  @Test
  void everyRegisterWhoseWriteSucceededIsAnswered() throws Exception {
    Semaphore successes = new Semaphore(0);
    AtomicInteger otherReplies = new AtomicInteger();
    // The peers' side: one listener standing for all the advertised addresses, counting replies.
    Listener replies = Listener.builder().build().start(new Listener.FrameSink() {
      @Override
      public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
        if (new String(frame, StandardCharsets.UTF_8).contains("\"REGISTER_SUCCESS\"")) {
          successes.release();
        } else {
          otherReplies.incrementAndGet();
        }
      }

      @Override
      public void onRejected(Rejection rejection) {
        otherReplies.incrementAndGet();
      }
    });
    ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
    try (replies; RendezvousServer server = RendezvousServer.builder().port(0).host("127.0.0.1")
        // One loopback address stands for 32 hosts: held to no per-source rate or name limit here.
        .exemptSources(java.util.Set.of(java.net.InetAddress.getByName("127.0.0.1")))
        .stateFile(dir.resolve("state.jsonl")).build().start()) {
      HostPort to = server.address();
      HostPort back = replies.address();
      List<Future<Integer>> written = new ArrayList<>();
      for (int t = 0; t < SENDERS; t++) {
        int sender = t;
        written.add(pool.submit(() -> {
          int ok = 0;
          for (int i = 0; i < EACH; i++) {
            String json = "{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"s" + sender + "-" + i
                + "\", \"host\": \"127.0.0.1\", \"port\": " + back.port() + "}}";
            try (Socket s = new Socket()) {
              s.connect(new InetSocketAddress(to.host(), to.port()), 10_000);
              OutputStream out = s.getOutputStream();
              out.write(json.getBytes(StandardCharsets.UTF_8));
              out.flush();
              ok++;
            } catch (java.io.IOException e) {
              // Not written: not owed a reply. Counted by its absence from ok.
            }
          }
          return ok;
        }));
      }
      int sent = 0;
      for (Future<Integer> f : written) {
        sent += f.get(100, TimeUnit.SECONDS);
      }
      assertTrue(sent > 0, "no REGISTER could be written at all");
      boolean all = successes.tryAcquire(sent, 100, TimeUnit.SECONDS);
      int got = all ? sent : successes.availablePermits();
      System.out.printf("overload: %d of %d REGISTERs written, %d REGISTER_SUCCESS received, rejected %s%n",
          sent, SENDERS * EACH, got, server.counters());
      assertTrue(all, () -> "REGISTER_SUCCESS received " + successes.availablePermits() + " of " + SENDERS * EACH
          + " written");
      assertEquals(0, otherReplies.get(), "no other reply, no broken reply connection");
      assertEquals(0, server.counters().rejectedTotal(), "nothing accepted was rejected");
    } finally {
      pool.shutdownNow();
    }
  }
}
