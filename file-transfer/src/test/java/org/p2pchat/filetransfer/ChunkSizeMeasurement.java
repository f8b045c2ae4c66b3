package org.p2pchat.filetransfer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Measures what the chunk size costs, to choose it (docs/file-transfer.md). Not a test and not part of the
 * engine (it opens sockets and reads the clock): run it by hand with
 * {@code java -cp file-transfer/target/classes:file-transfer/target/test-classes
 * org.p2pchat.filetransfer.ChunkSizeMeasurement [MiB [DIR]]}.
 *
 * <p>For each chunk size it pushes a random file through the real engine (Outgoing.chunk: read + CRC; base64;
 * the FILE_CHUNK JSON text as bytes; on the other side base64 decode, Incoming.accept: CRC, write, SHA-256,
 * sidecar) and then sends the same messages over loopback, one TCP connection each, read to end of stream: the
 * protocol's real cost. Best of three runs each.
 */
public final class ChunkSizeMeasurement {
  private static final int[] KIB = {8, 16, 32, 48, 64, 128, 256, 512};

  public static void main(String[] args) throws Exception {
    int mib = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    // Second argument: where to put the files (a tmpfs such as /dev/shm isolates CPU cost from the disk).
    Path dir = args.length > 1 ? Files.createTempDirectory(Path.of(args[1]), "chunk-measure")
        : Files.createTempDirectory("chunk-measure");
    try {
      Path source = dir.resolve("source.bin");
      byte[] block = new byte[1 << 20];
      Random random = new Random(1);
      try (OutputStream out = Files.newOutputStream(source)) {
        for (int i = 0; i < mib; i++) {
          random.nextBytes(block);
          out.write(block);
        }
      }
      System.out.printf("file %d MiB, %s, %d CPUs, load %s%n", mib, System.getProperty("java.vm.version"),
          Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).trim());
      int rounds = 5;
      double[][] engine = new double[KIB.length][rounds];
      double[][] wire = new double[KIB.length][rounds];
      long[] messageBytes = new long[KIB.length];
      long size = Files.size(source);
      for (int k = 0; k < KIB.length; k++) {
        run(dir, source, KIB[k] * 1024, "warm" + k, new long[1]); // JIT warm-up, discarded
      }
      for (int round = 0; round < rounds; round++) {
        for (int j = 0; j < KIB.length; j++) {
          int k = (j + round) % KIB.length; // rotate the order so drift spreads over every size
          double[] r = run(dir, source, KIB[k] * 1024, "r" + round + "-" + k, messageBytes);
          engine[k][round] = r[0];
          wire[k][round] = r[1];
          messageBytes[k] = (long) r[2];
        }
      }
      System.out.println("| chunk | messages | bytes a message | overhead vs raw | engine MB/s (read+CRC+base64+JSON"
          + "+decode+CRC+write+SHA-256+mark) | loopback MB/s (1 connection a message) | µs a message on loopback |");
      System.out.println("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
      for (int k = 0; k < KIB.length; k++) {
        int count = (int) ((size + KIB[k] * 1024L - 1) / (KIB[k] * 1024L));
        double e = median(engine[k]);
        double w = median(wire[k]);
        System.out.printf("| %d KiB | %d | %,d | %.1f %% | %.0f | %.0f | %.0f |%n", KIB[k], count,
            messageBytes[k] / count, 100.0 * (messageBytes[k] - size) / size, size / e / 1e6, size / w / 1e6,
            w * 1e6 / count);
      }
      System.out.println("median of " + rounds + " interleaved rounds after a warm-up round");
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private static double median(double[] v) {
    double[] c = v.clone();
    java.util.Arrays.sort(c);
    return c[c.length / 2];
  }

  /** One run: {engine seconds, loopback seconds, total message bytes}. */
  private static double[] run(Path dir, Path source, int chunkSize, String tag, long[] unused) throws Exception {
    Path downloads = Files.createDirectories(dir.resolve("dl-" + tag));
    byte[][] wire;
    long messageBytes = 0;
    long t0;
    long t1;
    try (Outgoing out = Outgoing.open(source, "0123456789abcdef", "source.bin", chunkSize)) {
      Offer offer = out.offer();
      int count = offer.chunkCount();
      FileTransferLimits limits = FileTransferLimits.builder().chunkSize(chunkSize).window(1).build();
      Incoming in = Incoming.open(downloads, offer, limits);
      wire = new byte[count][];
      t0 = System.nanoTime();
      for (int i = 0; i < count; i++) {
        Chunk c = out.chunk(i);
        byte[] json = ("{\"msgtype\": \"FILE_CHUNK\", \"msgdata\": {\"peername\": \"alice\", \"transfer\": \""
            + c.transferId() + "\", \"index\": " + i + ", \"crc32c\": " + c.crc32c() + ", \"data\": \""
            + c.base64() + "\"}}").getBytes(StandardCharsets.UTF_8);
        messageBytes += json.length;
        wire[i] = json;
        String text = new String(json, StandardCharsets.UTF_8);
        int from = text.indexOf("\"data\": \"") + 9;
        String data = text.substring(from, text.indexOf('"', from));
        ChunkResult r = in.accept(Chunk.fromWire(c.transferId(), i, data, c.crc32c()));
        if (r.status() == ChunkResult.Status.FAILED) {
          throw new IllegalStateException(r.toString());
        }
      }
      t1 = System.nanoTime();
      Path done = in.outcome().orElseThrow().file();
      Files.delete(done);
    }
    return new double[] {(t1 - t0) / 1e9, loopback(wire), messageBytes};
  }

  /** Seconds to deliver every message on its own loopback connection, read to end of stream. */
  private static double loopback(byte[][] messages) throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      int port = server.getLocalPort();
      long[] received = new long[1];
      Thread reader = new Thread(() -> {
        byte[] buf = new byte[64 * 1024];
        try {
          for (int i = 0; i < messages.length; i++) {
            try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
              int n;
              while ((n = in.read(buf)) > 0) {
                received[0] += n;
              }
            }
          }
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }, "measure-reader");
      reader.start();
      long t0 = System.nanoTime();
      for (byte[] m : messages) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
          s.getOutputStream().write(m);
          s.shutdownOutput();
        }
      }
      reader.join(120_000);
      return (System.nanoTime() - t0) / 1e9;
    }
  }
}
