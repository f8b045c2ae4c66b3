package org.p2pchat.filetransfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The flow-control bug behind "FILE_ACK next 266 impossible" in a 50 MiB transfer, reproduced without sockets.
 *
 * <p>Each FILE_ACK travels on its own connection. The peer's listener reads connections as they become ready, so
 * when two ack connections are ready in one pass it may deliver the later one first (the listener reads a
 * connection it has just accepted at once, while one accepted earlier waits for the selector). Acks are cumulative,
 * so the older one says nothing new; the window used to call any ack below the last one "going backwards" and
 * failed the transfer as a protocol error. Here the acks are delivered in swapped pairs, deterministically.
 */
class AckReorderTest {
  private static final int CHUNK = 4 * 1024;

  @TempDir
  Path dir;

  @Test
  void acksOvertakingEachOtherDoNotFailTheTransfer() throws Exception {
    Path src = dir.resolve("src.bin");
    byte[] content = new byte[CHUNK * 100 + 17];
    new Random(266).nextBytes(content);
    Files.write(src, content);
    FileTransferLimits limits = FileTransferLimits.builder().window(8).build();
    Outcome o = transfer(src, limits, true);
    assertEquals(ChunkResult.Status.COMPLETED, o.last.status(), o.toString());
    assertTrue(o.stale > 0, "the reordering happened (stale acks seen): " + o);
    assertEquals(0, o.impossible, o.toString());
    assertEquals(-1L, Files.mismatch(src, o.last.file()));
  }

  @Test
  void inOrderAcksAreNeverStale() throws Exception {
    Path src = dir.resolve("src2.bin");
    byte[] content = new byte[CHUNK * 40];
    new Random(4).nextBytes(content);
    Files.write(src, content);
    Outcome o = transfer(src, FileTransferLimits.builder().window(8).build(), false);
    assertEquals(ChunkResult.Status.COMPLETED, o.last.status(), o.toString());
    assertEquals(0, o.stale, o.toString());
  }

  private record Outcome(ChunkResult last, int stale, int impossible, int acks) {}

  /**
   * Runs a whole transfer: the sender fills its window, the receiver takes each chunk and queues the acks it owes;
   * with {@code swapPairs}, two queued acks are delivered newest first.
   */
  private Outcome transfer(Path src, FileTransferLimits limits, boolean swapPairs) throws IOException,
      TransferException {
    try (Outgoing out = Outgoing.open(src, "t266", "src.bin", CHUNK)) {
      Incoming in = Incoming.open(dir.resolve("downloads"), out.offer(), limits);
      SendWindow window = new SendWindow(out.offer().chunkCount(), 0, limits.window());
      Deque<Long> acksOnTheWire = new ArrayDeque<>();
      ChunkResult last = null;
      int stale = 0;
      int impossible = 0;
      int acks = 0;
      while (last == null || last.status() == ChunkResult.Status.ACCEPTED) {
        while (window.canSend()) {
          last = in.accept(wire(out.chunk(window.take())));
          if (last.status() != ChunkResult.Status.ACCEPTED || last.ackDue()) {
            acksOnTheWire.add((long) last.next());
          }
          if (last.status() != ChunkResult.Status.ACCEPTED) {
            break;
          }
        }
        List<Long> delivered = new ArrayList<>(acksOnTheWire);
        acksOnTheWire.clear();
        if (swapPairs) {
          for (int i = 0; i + 1 < delivered.size(); i += 2) {
            Long a = delivered.get(i);
            delivered.set(i, delivered.get(i + 1));
            delivered.set(i + 1, a);
          }
        }
        for (long next : delivered) {
          acks++;
          switch (window.onAck(next)) {
            case STALE -> stale++;
            case IMPOSSIBLE -> impossible++;
            default -> { }
          }
        }
        if (delivered.isEmpty() && !window.canSend() && last.status() == ChunkResult.Status.ACCEPTED) {
          throw new AssertionError("deadlock: window full and no ack owed at chunk " + last.next());
        }
      }
      return new Outcome(last, stale, impossible, acks);
    }
  }

  private static Chunk wire(Chunk c) {
    return Chunk.fromWire(c.transferId(), c.index(), c.base64(), c.crc32c());
  }
}
