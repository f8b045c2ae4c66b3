package org.p2pchat.filetransfer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files through Outgoing → (wire encoding) → Incoming, in memory, arrive bit-identical or fail visibly. */
class RoundTripTest {
  private static final int CHUNK = 64 * 1024;
  private static final FileTransferLimits LIMITS = FileTransferLimits.defaults();

  @TempDir
  Path dir;

  private Path source(String name, long size, long seed) throws IOException {
    Path p = dir.resolve("src").resolve(name);
    Files.createDirectories(p.getParent());
    Random random = new Random(seed);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(p)) {
      for (long left = size; left > 0; left -= block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
    return p;
  }

  private Path downloads() {
    return dir.resolve("downloads");
  }

  /** What the wire does to a chunk: base64 and back, CRC carried as a number. */
  private static Chunk overTheWire(Chunk c) {
    return Chunk.fromWire(c.transferId(), c.index(), c.base64(), c.crc32c());
  }

  /** Sends every chunk from {@code start}, a window at a time, each window shuffled (connections race). */
  private static ChunkResult send(Outgoing out, Incoming in, int start, Random order) throws TransferException {
    SendWindow window = new SendWindow(out.offer().chunkCount(), start, LIMITS.window());
    ChunkResult last = null;
    while (window.canSend()) {
      List<Integer> batch = new ArrayList<>();
      while (window.canSend()) {
        batch.add(window.take());
      }
      Collections.shuffle(batch, order);
      for (int i : batch) {
        last = in.accept(overTheWire(out.chunk(i)));
        if (last.status() == ChunkResult.Status.FAILED) {
          return last;
        }
      }
      assertEquals(SendWindow.Ack.ADVANCED, window.onAck(last.next()), "ack " + last.next());
    }
    return last;
  }

  private ChunkResult roundTrip(Path src) throws Exception {
    try (Outgoing out = Outgoing.open(src, "t1", src.getFileName().toString(), CHUNK)) {
      Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
      if (out.offer().chunkCount() == 0) {
        return in.finish();
      }
      return send(out, in, 0, new Random(7));
    }
  }

  private void assertArrivedIdentical(Path src, ChunkResult r) throws IOException {
    assertEquals(ChunkResult.Status.COMPLETED, r.status(), r::toString);
    assertEquals(downloads().resolve(src.getFileName().toString()), r.file());
    assertEquals(-1L, Files.mismatch(src, r.file()));
    try (Stream<Path> left = Files.list(downloads())) {
      assertEquals(List.of(r.file()), left.toList(), "no .part or sidecar left behind");
    }
  }

  @Test
  void emptyFileArrives() throws Exception {
    Path src = source("empty.txt", 0, 1);
    assertArrivedIdentical(src, roundTrip(src));
  }

  @Test
  void oneByteFileArrives() throws Exception {
    Path src = source("one.bin", 1, 2);
    assertArrivedIdentical(src, roundTrip(src));
  }

  @Test
  void exactChunkMultipleArrives() throws Exception {
    Path src = source("exact.bin", 5L * CHUNK, 3);
    try (Outgoing out = Outgoing.open(src, "t", "exact.bin", CHUNK)) {
      assertEquals(5, out.offer().chunkCount());
      assertEquals(CHUNK, out.offer().chunkLength(4));
    }
    assertArrivedIdentical(src, roundTrip(src));
  }

  @Test
  void fiftyMebibyteRandomBinaryArrivesBitIdentical() throws Exception {
    Path src = source("big.bin", 50L * 1024 * 1024 + 12345, 4);
    assertArrivedIdentical(src, roundTrip(src));
  }

  @Test
  void receiverRestartResumesFromLastVerifiedChunk() throws Exception {
    Path src = source("resume.bin", 20L * CHUNK + 100, 5);
    try (Outgoing out = Outgoing.open(src, "first", "resume.bin", CHUNK)) {
      Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
      for (int i = 0; i < 7; i++) {
        assertEquals(ChunkResult.Status.ACCEPTED, in.accept(overTheWire(out.chunk(i))).status());
      }
      // Chunk 8 arrived early and waits in memory for 7: it is lost with the process.
      assertEquals(7, in.accept(overTheWire(out.chunk(8))).next());
      in.close(); // the receiver dies here
    }
    // The sender restarts too: new id, same file.
    try (Outgoing out = Outgoing.open(src, "second", "resume.bin", CHUNK)) {
      assertEquals(7, Incoming.resumePoint(downloads(), out.offer()), "answer to the re-offer");
      Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
      assertEquals(7, in.next());
      assertEquals(7, in.resumedFrom());
      assertEquals(7L * CHUNK, in.verifiedBytes());
      ChunkResult r = send(out, in, in.next(), new Random(9));
      assertArrivedIdentical(src, r);
    }
  }

  @Test
  void resumeDistrustsASidecarThatClaimsMoreThanThePartFileHolds() throws Exception {
    Path src = source("torn.bin", 10L * CHUNK, 6);
    try (Outgoing out = Outgoing.open(src, "a", "torn.bin", CHUNK)) {
      Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
      for (int i = 0; i < 4; i++) {
        in.accept(overTheWire(out.chunk(i)));
      }
      in.close();
      // A torn write: the part file lost the end of chunk 3.
      try (var ch = java.nio.channels.FileChannel.open(in.partFile(), java.nio.file.StandardOpenOption.WRITE)) {
        ch.truncate(3L * CHUNK + 10);
      }
      Incoming again = Incoming.open(downloads(), out.offer(), LIMITS);
      assertEquals(3, again.next());
      assertArrivedIdentical(src, send(out, again, 3, new Random(1)));
    }
  }

  @Test
  void tamperedChunkWithMatchingCrcFailsAtTheEndKeepsPartialAndNeverRenames() throws Exception {
    Path src = source("report.pdf", 6L * CHUNK, 7);
    try (Outgoing out = Outgoing.open(src, "t", "report.pdf", CHUNK)) {
      Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
      ChunkResult r = null;
      for (int i = 0; i < 6; i++) {
        Chunk c = out.chunk(i);
        if (i == 2) {
          byte[] evil = c.data();
          evil[100] ^= 1;
          c = Chunk.of(c.transferId(), i, evil); // a deliberate change with a fresh CRC
        }
        r = in.accept(overTheWire(c));
      }
      assertEquals(ChunkResult.Status.FAILED, r.status());
      assertEquals(FailureReason.CHECKSUM_MISMATCH, r.reason());
      assertFalse(Files.exists(downloads().resolve("report.pdf")), "never shown as complete");
      assertTrue(Files.exists(in.partFile()), "partial kept");
      assertEquals(6L * CHUNK, Files.size(in.partFile()));
      assertEquals(0, Incoming.resumePoint(downloads(), out.offer()), "which chunk is bad is unknown: start over");
      assertEquals(r, in.accept(overTheWire(out.chunk(0))), "a failed transfer stays failed");
      // Sent again from the start, the same file completes.
      Incoming again = Incoming.open(downloads(), out.offer(), LIMITS);
      assertArrivedIdentical(src, send(out, again, 0, new Random(2)));
    }
  }

  @Test
  void damagedChunkFailsAtOnceAndKeepsTheVerifiedPrefix() throws Exception {
    Path src = source("photo.jpg", 4L * CHUNK, 8);
    try (Outgoing out = Outgoing.open(src, "t", "photo.jpg", CHUNK)) {
      Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
      in.accept(overTheWire(out.chunk(0)));
      Chunk good = out.chunk(1);
      byte[] bad = good.data();
      bad[0] ^= (byte) 0x80;
      ChunkResult r = in.accept(Chunk.fromWire("t", 1, ChunkEncoding.encode(bad), good.crc32c()));
      assertEquals(FailureReason.CORRUPT_CHUNK, r.reason());
      assertEquals(1, r.next());
      assertEquals(1, Incoming.resumePoint(downloads(), out.offer()));
      assertFalse(Files.exists(downloads().resolve("photo.jpg")));
    }
  }

  @Test
  void outOfRangeChunksFail() throws Exception {
    Path src = source("a.bin", 3L * CHUNK, 9);
    try (Outgoing out = Outgoing.open(src, "t", "a.bin", CHUNK)) {
      byte[] data = out.chunk(0).data();
      for (long index : new long[] {-1, 3, Integer.MAX_VALUE, 1L << 40}) {
        Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
        ChunkResult r = in.accept(Chunk.fromWire("t", index, ChunkEncoding.encode(data),
            ChunkEncoding.crc32c(data)));
        assertEquals(FailureReason.OUT_OF_RANGE, r.reason(), "index " + index);
        in.close();
      }
      assertThrows(TransferException.class, () -> out.chunk(3));
    }
  }

  @Test
  void chunkBeyondTheWindowFails() throws Exception {
    Path src = source("w.bin", 20L * CHUNK, 10);
    try (Outgoing out = Outgoing.open(src, "t", "w.bin", CHUNK)) {
      Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
      assertEquals(ChunkResult.Status.ACCEPTED, in.accept(overTheWire(out.chunk(LIMITS.window() - 1))).status());
      ChunkResult r = in.accept(overTheWire(out.chunk(LIMITS.window())));
      assertEquals(FailureReason.OUT_OF_RANGE, r.reason());
    }
  }

  @Test
  void duplicateChunksFailWhetherWrittenOrStillWaiting() throws Exception {
    Path src = source("d.bin", 5L * CHUNK, 11);
    try (Outgoing out = Outgoing.open(src, "t", "d.bin", CHUNK)) {
      Incoming written = Incoming.open(downloads(), out.offer(), LIMITS);
      written.accept(overTheWire(out.chunk(0)));
      assertEquals(FailureReason.DUPLICATE_CHUNK, written.accept(overTheWire(out.chunk(0))).reason());
      written.close();
      Incoming waiting = Incoming.open(downloads(), out.offer(), LIMITS);
      assertEquals(1, waiting.next());
      waiting.accept(overTheWire(out.chunk(3)));
      assertEquals(FailureReason.DUPLICATE_CHUNK, waiting.accept(overTheWire(out.chunk(3))).reason());
    }
  }

  @Test
  void chunkOfWrongLengthOrForAnotherTransferFails() throws Exception {
    Path src = source("l.bin", 2L * CHUNK, 12);
    try (Outgoing out = Outgoing.open(src, "t", "l.bin", CHUNK)) {
      Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
      assertEquals(FailureReason.CORRUPT_CHUNK, in.accept(Chunk.of("t", 0, new byte[10])).reason());
      Incoming other = Incoming.open(downloads(), out.offer(), LIMITS);
      assertEquals(FailureReason.PROTOCOL, other.accept(Chunk.of("u", 0, out.chunk(0).data())).reason());
    }
  }

  @Test
  void chunkThatIsNotBase64FailsAsCorrupt() throws Exception {
    Path src = source("b.bin", 10, 17);
    try (Outgoing out = Outgoing.open(src, "t", "b.bin", CHUNK)) {
      Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
      ChunkResult r = in.acceptWire("t", 0, "not base64!", 0);
      assertEquals(FailureReason.CORRUPT_CHUNK, r.reason());
      assertEquals(r, in.acceptWire("t", 0, out.chunk(0).base64(), out.chunk(0).crc32c()));
    }
  }

  @Test
  void wireFieldsOfEveryChunkRoundTrip() throws Exception {
    Path src = source("w.bin", 3L * CHUNK + 1, 18);
    try (Outgoing out = Outgoing.open(src, "t", "w.bin", CHUNK)) {
      Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
      ChunkResult r = null;
      for (int i = 0; i < out.offer().chunkCount(); i++) {
        Chunk c = out.chunk(i);
        r = in.acceptWire(c.transferId(), c.index(), c.base64(), c.crc32c());
      }
      assertArrivedIdentical(src, r);
    }
  }

  @Test
  void resumeWithADifferentChunkSizeKeepsTheVerifiedBytesRoundedDown() throws Exception {
    Path src = source("r.bin", 10L * CHUNK, 19);
    try (Outgoing out = Outgoing.open(src, "a", "r.bin", CHUNK)) {
      Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
      for (int i = 0; i < 3; i++) {
        in.accept(overTheWire(out.chunk(i)));
      }
      in.close();
    }
    try (Outgoing out = Outgoing.open(src, "b", "r.bin", 2 * CHUNK)) {
      Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
      assertEquals(1, in.next(), "3 small chunks verified = 1 big chunk and a half, rounded down");
      assertArrivedIdentical(src, send(out, in, 1, new Random(4)));
    }
  }

  @Test
  void offerOverTheSizeLimitIsRefusedBeforeAnyFileExists() throws Exception {
    Offer offer = new Offer("t", "huge.iso", 11, "0".repeat(64), 4);
    FileTransferLimits small = FileTransferLimits.builder().maxFileSize(10).build();
    TransferException e = assertThrows(TransferException.class, () -> Incoming.open(downloads(), offer, small));
    assertEquals(FailureReason.TOO_LARGE, e.reason());
    assertFalse(Files.exists(downloads()));
  }

  @Test
  void finishedFileNeverOverwritesAnExistingOne() throws Exception {
    Path src = source("notes.txt", 1000, 13);
    Files.createDirectories(downloads());
    Files.writeString(downloads().resolve("notes.txt"), "mine");
    ChunkResult r = roundTrip(src);
    assertEquals(downloads().resolve("notes (1).txt"), r.file());
    assertEquals("mine", Files.readString(downloads().resolve("notes.txt")));
    assertEquals(-1L, Files.mismatch(src, r.file()));
  }

  @Test
  void hostileOfferedNameLandsInsideDownloads() throws Exception {
    Path src = source("x.bin", 10, 14);
    try (Outgoing out = Outgoing.open(src, "t", "../../etc/passwd", CHUNK)) {
      Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
      assertEquals(downloads(), in.partFile().getParent());
      ChunkResult r = in.accept(overTheWire(out.chunk(0)));
      assertEquals(downloads().resolve("passwd"), r.file());
    }
  }

  @Test
  void senderNoticesTheSourceChanged() throws Exception {
    Path src = source("c.bin", 3L * CHUNK, 15);
    try (Outgoing out = Outgoing.open(src, "t", "c.bin", CHUNK)) {
      Files.write(src, new byte[10], java.nio.file.StandardOpenOption.APPEND);
      assertEquals(FailureReason.SOURCE_CHANGED, assertThrows(TransferException.class, () -> out.chunk(0)).reason());
    }
  }

  @Test
  void cancelKeepsThePartialForLater() throws Exception {
    Path src = source("k.bin", 3L * CHUNK, 16);
    try (Outgoing out = Outgoing.open(src, "t", "k.bin", CHUNK)) {
      Incoming in = Incoming.open(downloads(), out.offer(), LIMITS);
      in.accept(overTheWire(out.chunk(0)));
      ChunkResult r = in.cancel(FailureReason.CANCELLED, "by the user");
      assertEquals(FailureReason.CANCELLED, r.reason());
      assertNull(r.file());
      assertEquals(1, Incoming.resumePoint(downloads(), out.offer()));
    }
  }

  @Test
  void base64IsStrictAndChunksSurviveIt() {
    byte[] all = new byte[256];
    for (int i = 0; i < all.length; i++) {
      all[i] = (byte) i;
    }
    Chunk c = Chunk.of("t", 0, all);
    assertArrayEquals(all, overTheWire(c).data());
    assertTrue(c.base64().matches("[A-Za-z0-9+/=]*"));
    assertEquals(ChunkEncoding.encodedLength(all.length), c.base64().length());
    assertThrows(IllegalArgumentException.class, () -> ChunkEncoding.decode("abc"));
    assertThrows(IllegalArgumentException.class, () -> ChunkEncoding.decode("ab!d"));
  }

  @Test
  void offerChecksItsFields() {
    String sha = "a".repeat(64);
    assertEquals(3, new Offer("x", "n", 2L * 10 + 1, sha, 10).chunkCount());
    assertEquals(0, new Offer("x", "n", 0, sha, 10).chunkCount());
    assertTrue(new Offer("x", "n", 21, sha, 10).hasChunkCount(3));
    assertFalse(new Offer("x", "n", 21, sha, 10).hasChunkCount(2));
    assertThrows(IllegalArgumentException.class, () -> new Offer("bad id", "n", 1, sha, 10));
    assertThrows(IllegalArgumentException.class, () -> new Offer("x", "", 1, sha, 10));
    assertThrows(IllegalArgumentException.class, () -> new Offer("x", "n", -1, sha, 10));
    assertThrows(IllegalArgumentException.class, () -> new Offer("x", "n", 1, "A".repeat(64), 10));
    assertThrows(IllegalArgumentException.class, () -> new Offer("x", "n", 1, sha, Offer.MAX_CHUNK_SIZE + 1));
    assertThrows(IllegalArgumentException.class, () -> new Offer("x", "n", Long.MAX_VALUE, sha, 1));
  }
}
