package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;

/**
 * A tarpit reply address (a listener whose accept queue is full, so connects hang until their deadline)
 * named by REGISTERs at 50 a second from one source does not delay replies to anyone else: every other
 * peer's REGISTER_SUCCESS arrives within 6 s, while the server's connect deadline is 8 s (a reply that
 * waited behind one tarpit connect would take at least 8 s; before the per-destination queues, replies
 * waited for 32 such connects at once). The tarpit's registrations are not kept.
 */
class TarpitTest {
  private static final int ATTACK_PER_SECOND = 50;
  private static final int ATTACK_SECONDS = 4;
  private static final int OTHERS = 30;
  private static final int REPLY_WITHIN_SECONDS = 6;

  @TempDir
  Path dir;

  @Test
  void aTarpitAddressDelaysOnlyItsOwnReplies() throws Exception {
    InetAddress attacker = InetAddress.getByName("127.0.0.2");
    InetAddress others = InetAddress.getByName("127.0.0.1");
    List<Socket> fillers = new ArrayList<>();
    ExecutorService attack = Executors.newSingleThreadExecutor();
    try (ServerSocket tarpit = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        Replies replies = new Replies();
        RendezvousServer server = RendezvousServer.builder().port(0).host("127.0.0.1")
            .replyTimeout(Duration.ofSeconds(8)).stateFile(dir.resolve("state.jsonl")).build().start()) {
      fillTheAcceptQueue(tarpit, fillers);
      HostPort to = server.address();
      Future<?> flood = attack.submit(() -> {
        long start = System.nanoTime();
        for (int i = 0; i < ATTACK_PER_SECOND * ATTACK_SECONDS; i++) {
          long due = start + i * 1_000_000_000L / ATTACK_PER_SECOND;
          while (System.nanoTime() < due) {
            java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
          }
          Replies.sendFrom(attacker, to, Replies.register("tarpit-" + i, "127.0.0.1", tarpit.getLocalPort()));
        }
        return null;
      });
      long worst = 0;
      for (int i = 0; i < OTHERS; i++) {
        long sent = System.nanoTime();
        Replies.sendFrom(others, to, Replies.register("peer-" + i, "127.0.0.1", replies.port()));
        String reply = replies.nextText(REPLY_WITHIN_SECONDS);
        worst = Math.max(worst, System.nanoTime() - sent);
        assertTrue(reply.contains("REGISTER_SUCCESS"), reply);
        replies.frames.poll(ATTACK_SECONDS * 1000 / OTHERS, TimeUnit.MILLISECONDS);
      }
      flood.get(60, TimeUnit.SECONDS);
      System.out.printf("tarpit: %d other REGISTERs answered during %d tarpit REGISTERs, the slowest in %d ms%n",
          OTHERS, ATTACK_PER_SECOND * ATTACK_SECONDS, worst / 1_000_000);
      // Each tarpit registration is dropped once its REGISTER_SUCCESS fails (timed out, or failed at once
      // behind a timed-out connect): none is kept.
      Poll.until(Duration.ofSeconds(60), () -> server.registry().snapshot().keySet().stream()
          .noneMatch(n -> n.startsWith("tarpit-")), () -> "tarpit names still registered: "
          + server.registry().snapshot().keySet().stream().filter(n -> n.startsWith("tarpit-")).count());
      assertTrue(server.registry().size() == OTHERS, () -> "registered: " + server.registry().snapshot().keySet());
    } finally {
      attack.shutdownNow();
      for (Socket s : fillers) {
        s.close();
      }
    }
  }

  /** Connects until a connect times out: from then on, the tarpit's accept queue is full. */
  private static void fillTheAcceptQueue(ServerSocket tarpit, List<Socket> fillers) throws Exception {
    for (int i = 0; i < 64; i++) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(tarpit.getInetAddress(), tarpit.getLocalPort()), 300);
        fillers.add(s);
      } catch (SocketTimeoutException e) {
        s.close();
        return;
      }
    }
    throw new AssertionError("the tarpit's accept queue never filled");
  }
}
