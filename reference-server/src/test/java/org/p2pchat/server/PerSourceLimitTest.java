package org.p2pchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.sdk.Listener;
import org.p2pchat.sdk.RejectReason;
import org.p2pchat.sdk.Rejection;

/**
 * One source holding 1,024 idle connections takes at most its share (64) of the connection slots:
 * another source's REGISTERs are all answered meanwhile. Two loopback addresses stand for two hosts.
 */
class PerSourceLimitTest {
  private static final int IDLE = 1_024;
  private static final int REGISTERS = 200;

  @TempDir
  Path dir;

  @Test
  void oneSourcesIdleSocketsDoNotStarveAnother() throws Exception {
    InetAddress hog = InetAddress.getByName("127.0.0.2");
    InetAddress other = InetAddress.getByName("127.0.0.1");
    Semaphore successes = new Semaphore(0);
    Listener replies = Listener.builder().build().start(new Listener.FrameSink() {
      @Override
      public void onFrame(byte[] frame, InetSocketAddress remote, Instant receivedAt) {
        if (new String(frame, StandardCharsets.UTF_8).contains("\"REGISTER_SUCCESS\"")) {
          successes.release();
        }
      }

      @Override
      public void onRejected(Rejection rejection) {
      }
    });
    List<Socket> idle = new ArrayList<>();
    // A read deadline far beyond the test: the idle sockets are never cut by it.
    try (replies; RendezvousServer server = RendezvousServer.builder().port(0).host("127.0.0.1")
        .readTimeout(Duration.ofMinutes(5)).stateFile(dir.resolve("state.jsonl")).build().start()) {
      HostPort to = server.address();
      for (int i = 0; i < IDLE; i++) {
        Socket s = new Socket();
        idle.add(s);
        s.bind(new InetSocketAddress(hog, 0));
        s.connect(new InetSocketAddress(to.host(), to.port()), 5_000);
      }
      // All but 64 of them are accepted and closed unread, each counted as OVERLOADED.
      Poll.until(Duration.ofSeconds(60), () -> server.counters().rejected(RejectReason.OVERLOADED) >= IDLE - 64,
          () -> "OVERLOADED " + server.counters().rejected(RejectReason.OVERLOADED));
      for (int i = 0; i < REGISTERS; i++) {
        try (Socket s = new Socket()) {
          s.bind(new InetSocketAddress(other, 0));
          s.connect(new InetSocketAddress(to.host(), to.port()), 5_000);
          OutputStream out = s.getOutputStream();
          out.write(("{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"p" + i
              + "\", \"host\": \"127.0.0.1\", \"port\": " + replies.address().port() + "}}")
              .getBytes(StandardCharsets.UTF_8));
        }
      }
      assertTrue(successes.tryAcquire(REGISTERS, 60, TimeUnit.SECONDS),
          () -> "REGISTER_SUCCESS " + successes.availablePermits() + " of " + REGISTERS);
      assertEquals(IDLE - 64, server.counters().rejected(RejectReason.OVERLOADED),
          "exactly the hog's connections beyond its 64 were refused");
      assertEquals(REGISTERS, server.registry().size());
    } finally {
      for (Socket s : idle) {
        s.close();
      }
    }
  }
}
