package org.p2pchat.peer;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.p2pchat.filetransfer.FileTransferLimits;

/**
 * Loopback file transfer figures for docs/file-transfer.md: MB/s of a 100 MiB file between two reference peers
 * against a raw TCP copy of the same file ({@code cat FILE > /dev/tcp/...}, the floor), and chat-message latency
 * with and without a transfer running. A main, not a test: it asserts nothing about time.
 *
 * <pre>java -cp ... org.p2pchat.peer.FileTransferBenchmark [MiB] [dir]</pre>
 */
public final class FileTransferBenchmark {
  private FileTransferBenchmark() {}

  /** CPU seconds this process used during the last {@link #transfer} or {@link #rawCopySeconds}. */
  private static double lastCpuSeconds;
  /** Both peers with identities: the transfer is sealed in their session. */
  private static boolean sealed;

  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
        .getOperatingSystemMXBean()).getProcessCpuTime();
  }

  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Path dir = Files.createTempDirectory(Path.of(args.length > 1 ? args[1] : System.getProperty("java.io.tmpdir")),
        "ftbench");
    Path file = dir.resolve("payload.bin");
    Random random = new Random(1);
    byte[] buffer = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < mib; i++) {
        random.nextBytes(buffer);
        out.write(buffer);
      }
    }
    long size = Files.size(file);
    if (args.length > 2 && args[2].equals("latency")) {
      // Chat latency only: idle, during a transfer at the default rate, during one without a limit.
      FileTransferLimits free = FileTransferLimits.builder().bytesPerSecondPerPeer(Long.MAX_VALUE / 4).build();
      List<Double> idle = new ArrayList<>();
      transfer(dir, null, FileTransferLimits.defaults(), "idle", idle);
      List<Double> busy = new ArrayList<>();
      double atDefault = transfer(dir, file, FileTransferLimits.defaults(), "busy", busy);
      List<Double> busyFree = new ArrayList<>();
      double atFree = transfer(dir, file, free, "busyu", busyFree);
      System.out.printf(Locale.ROOT, "chat latency idle: %s%n", describe(idle));
      System.out.printf(Locale.ROOT, "chat latency during a transfer (default rate, %.1f MB/s): %s%n",
          size / atDefault / 1e6, describe(busy));
      System.out.printf(Locale.ROOT, "chat latency during a transfer (no rate limit, %.1f MB/s): %s%n",
          size / atFree / 1e6, describe(busyFree));
      return;
    }
    if (args.length > 2 && args[2].equals("sealed")) {
      // Clear against sealed (both peers with identities), CPU seconds for the same file.
      FileTransferLimits free = FileTransferLimits.builder().bytesPerSecondPerPeer(Long.MAX_VALUE / 4).build();
      for (int i = 0; i < 3; i++) {
        double clear = transfer(dir, file, free, "c" + i, null);
        double clearCpu = lastCpuSeconds;
        sealed = true;
        double box = transfer(dir, file, free, "s" + i, null);
        sealed = false;
        System.out.printf(Locale.ROOT, "clear %.1f MB/s, %.2f CPU s; sealed %.1f MB/s, %.2f CPU s; load %.1f%n",
            size / clear / 1e6, clearCpu, size / box / 1e6, lastCpuSeconds,
            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      }
      return;
    }
    if (args.length > 2 && args[2].equals("one")) {
      // One unthrottled transfer only (for a profiler): java ... FileTransferBenchmark 50 /dev/shm one
      // Optional: chunk size in KiB and window, to compare choices (defaults: the limits' defaults).
      FileTransferLimits.Builder b = FileTransferLimits.builder().bytesPerSecondPerPeer(Long.MAX_VALUE / 4);
      if (args.length > 4) {
        b.chunkSize(Integer.parseInt(args[3]) * 1024).window(Integer.parseInt(args[4]));
      }
      FileTransferLimits free = b.build();
      System.out.printf(Locale.ROOT, "chunk %d KiB, window %d%n", free.chunkSize() / 1024, free.window());
      for (int i = 0; i < 3; i++) {
        double raw = rawCopySeconds(file);
        double rawCpu = lastCpuSeconds;
        double seconds = transfer(dir, file, free, "one" + i, null);
        System.out.printf(Locale.ROOT, "raw copy %.0f MB/s, %.2f CPU s; p2pchat transfer, no rate limit: %.1f MB/s,"
            + " %.2f CPU s (both peers, hashing included); load %.1f%n", size / raw / 1e6, rawCpu,
            size / seconds / 1e6, lastCpuSeconds,
            java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      }
      return;
    }
    System.out.printf(Locale.ROOT, "file %d MiB in %s; %d cores; load %.1f%n", mib, dir,
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());

    List<Double> raw = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      raw.add(size / rawCopySeconds(file) / 1e6);
    }
    System.out.printf(Locale.ROOT, "raw TCP copy: %s MB/s (median %.0f)%n", raw, median(raw));

    FileTransferLimits unthrottled = FileTransferLimits.builder().bytesPerSecondPerPeer(Long.MAX_VALUE / 4).build();
    List<Double> p2p = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      p2p.add(size / transfer(dir, file, unthrottled, "u" + i, null) / 1e6);
    }
    System.out.printf(Locale.ROOT, "p2pchat transfer, no rate limit: %s MB/s (median %.0f)%n", p2p, median(p2p));
    double limited = size / transfer(dir, file, FileTransferLimits.defaults(), "d", null) / 1e6;
    System.out.printf(Locale.ROOT, "p2pchat transfer, default --file-rate 32M: %.0f MB/s%n", limited);

    List<Double> idle = new ArrayList<>();
    transfer(dir, null, FileTransferLimits.defaults(), "idle", idle);
    List<Double> busy = new ArrayList<>();
    transfer(dir, file, FileTransferLimits.defaults(), "busy", busy);
    List<Double> busyUnthrottled = new ArrayList<>();
    transfer(dir, file, unthrottled, "busyu", busyUnthrottled);
    System.out.printf(Locale.ROOT, "chat latency idle: %s%n", describe(idle));
    System.out.printf(Locale.ROOT, "chat latency during a transfer (default rate): %s%n", describe(busy));
    System.out.printf(Locale.ROOT, "chat latency during a transfer (no rate limit): %s%n", describe(busyUnthrottled));
  }

  /** Seconds to write the file into a loopback socket whose reader discards it, to end of stream. */
  private static double rawCopySeconds(Path file) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CountDownLatch done = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
          byte[] b = new byte[1 << 16];
          while (in.read(b) >= 0) {
            // discard, like /dev/null
          }
        } catch (Exception e) {
          e.printStackTrace();
        }
        done.countDown();
      });
      reader.start();
      long cpu = cpuNanos();
      long start = System.nanoTime();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
          OutputStream out = s.getOutputStream()) {
        Files.copy(file, out);
      }
      done.await(60, TimeUnit.SECONDS);
      double seconds = (System.nanoTime() - start) / 1e9;
      lastCpuSeconds = (cpuNanos() - cpu) / 1e9;
      return seconds;
    }
  }

  /**
   * Sends {@code file} (if not null) from one peer to another and returns the seconds from {@code send file} to the
   * verified file; with {@code latencies}, alice sends a chat message every 20 ms meanwhile (or 100 when idle) and
   * the milliseconds each took to show on bob's side are added.
   */
  private static double transfer(Path dir, Path file, FileTransferLimits limits, String tag, List<Double> latencies)
      throws Exception {
    Map<String, Long> shown = new ConcurrentHashMap<>();
    CountDownLatch received = new CountDownLatch(1);
    PeerOutput bobOut = line -> {
      if (line.startsWith("alice: ping ")) {
        shown.put(line.substring("alice: ".length()), System.nanoTime());
      } else if (line.startsWith("received ")) {
        received.countDown();
      } else if (line.startsWith("failed ") || line.startsWith("cancelled ")) {
        System.err.println("bob: " + line);
        received.countDown();
      }
    };
    CountDownLatch accepted = new CountDownLatch(1);
    PeerOutput aliceOut = line -> {
      if (sealed ? line.startsWith("chat with bob --- ") && line.contains("is verified")
          : line.startsWith("chat accept: ")) {
        accepted.countDown();
      } else if (line.startsWith("failed ") || line.startsWith("cancelled ") || line.startsWith("not ")) {
        System.err.println("alice: " + line);
      }
    };
    ChatPeer.Builder aliceBuilder = ChatPeer.builder().name("alice").server(Peers.deadAddress()).output(aliceOut)
        .fileLimits(limits).downloads(dir.resolve("a-" + tag));
    ChatPeer.Builder bobBuilder = ChatPeer.builder().name("bob").server(Peers.deadAddress()).output(bobOut)
        .autoAccept(true).autoAcceptFiles(true).downloads(dir.resolve("b-" + tag));
    if (sealed) {
      aliceBuilder.identity(org.p2pchat.identity.IdentityKeyPair.generate(new java.security.SecureRandom()),
          org.p2pchat.identity.KnownPeers.inMemory());
      bobBuilder.identity(org.p2pchat.identity.IdentityKeyPair.generate(new java.security.SecureRandom()),
          org.p2pchat.identity.KnownPeers.inMemory());
    }
    try (ChatPeer alice = aliceBuilder.build().start(); ChatPeer bob = bobBuilder.build().start()) {
      alice.execute("chat request 127.0.0.1 " + bob.address().port());
      accepted.await(10, TimeUnit.SECONDS);
      long cpu = cpuNanos();
      long start = System.nanoTime();
      if (file != null) {
        alice.execute("send file bob " + file);
      }
      Map<String, Long> sent = new ConcurrentHashMap<>();
      int n = 0;
      while (file == null ? n < 100 : received.getCount() > 0) {
        String text = "ping " + n++;
        sent.put(text, System.nanoTime());
        alice.execute("chat message bob " + text);
        if (latencies == null && file != null) {
          received.await(100, TimeUnit.MILLISECONDS);
        } else {
          received.await(20, TimeUnit.MILLISECONDS);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      lastCpuSeconds = (cpuNanos() - cpu) / 1e9;
      long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
      while (shown.size() < sent.size() && System.nanoTime() < deadline) {
        received.await(10, TimeUnit.MILLISECONDS);
      }
      if (latencies != null) {
        sent.forEach((text, at) -> {
          Long arrived = shown.get(text);
          if (arrived != null) {
            latencies.add((arrived - at) / 1e6);
          }
        });
      }
      return seconds;
    }
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  private static String describe(List<Double> ms) {
    if (ms.isEmpty()) {
      return "no samples";
    }
    List<Double> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    return String.format(Locale.ROOT, "%d messages, median %.2f ms, p99 %.2f ms, max %.2f ms", sorted.size(),
        sorted.get(sorted.size() / 2), sorted.get(Math.min(sorted.size() - 1, (int) (sorted.size() * 0.99))),
        sorted.get(sorted.size() - 1));
  }
}
