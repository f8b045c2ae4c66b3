package org.p2pchat.filetransfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LegacyTextReceiverTest {
  private static final long SECOND = 1_000_000_000L;

  @TempDir
  Path dir;

  /** The text cut as the 2018 program cuts it: 128 characters a chunk. */
  private static List<String> chunks(String text) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < text.length(); i += 128) {
      out.add(text.substring(i, Math.min(text.length(), i + 128)));
    }
    return out;
  }

  @Test
  void reassemblesChunksInAnyOrderAndWritesTheTextFile() throws Exception {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      b.append("line ").append(i).append(": naïve café, ünïcode ✓\n");
    }
    String text = b.toString();
    List<String> parts = chunks(text);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(3));
    LegacyTextReceiver r = new LegacyTextReceiver(dir, FileTransferLimits.defaults());
    LegacyTextReceiver.Result last = null;
    for (int k = 0; k < order.size(); k++) {
      int i = order.get(k);
      last = r.receive("patchouli", "notes.txt", parts.size(), i, parts.get(i), k);
      if (k < order.size() - 1) {
        assertEquals(LegacyTextReceiver.Result.Status.COLLECTING, last.status());
        assertEquals(k + 1, last.received());
        assertFalse(Files.exists(dir.resolve("notes.txt")), "nothing written before the last chunk");
      }
    }
    assertEquals(LegacyTextReceiver.Result.Status.SAVED, last.status());
    assertEquals(dir.resolve("notes.txt"), last.file());
    assertEquals(text, Files.readString(last.file()));
    assertEquals(0, r.pending());
  }

  @Test
  void theProtocolVectorsTwoChunkFileArrives() throws Exception {
    LegacyTextReceiver r = new LegacyTextReceiver(dir, FileTransferLimits.defaults());
    r.receive("patchouli", "notes.txt", 2, 0, "The first chunk of notes.txt.\n", 0);
    LegacyTextReceiver.Result done = r.receive("patchouli", "notes.txt", 2, 1, "The second.\n", 1);
    assertEquals("The first chunk of notes.txt.\nThe second.\n", Files.readString(done.file()));
  }

  @Test
  void hostileNameIsSavedSafelyAndNeverOverwrites() throws Exception {
    Files.writeString(dir.resolve("passwd"), "keep");
    LegacyTextReceiver r = new LegacyTextReceiver(dir, FileTransferLimits.defaults());
    LegacyTextReceiver.Result done = r.receive("mallory", "../../etc/passwd", 1, 0, "root::0:0", 0);
    assertEquals(dir.resolve("passwd (1)"), done.file());
    assertEquals("keep", Files.readString(dir.resolve("passwd")));
  }

  @Test
  void senderAndNameKeepTransfersApart() throws Exception {
    LegacyTextReceiver r = new LegacyTextReceiver(dir, FileTransferLimits.defaults());
    r.receive("alice", "a.txt", 2, 0, "alice-0 ", 0);
    r.receive("bob", "a.txt", 2, 0, "bob-0 ", 0);
    assertEquals(2, r.pending());
    Path alice = r.receive("alice", "a.txt", 2, 1, "alice-1", 0).file();
    Path bob = r.receive("bob", "a.txt", 2, 1, "bob-1", 0).file();
    assertEquals("alice-0 alice-1", Files.readString(alice));
    assertEquals("bob-0 bob-1", Files.readString(bob));
  }

  @Test
  void rejectsContradictionsAndOutOfRangeChunks() {
    LegacyTextReceiver r = new LegacyTextReceiver(dir, FileTransferLimits.defaults());
    assertEquals(LegacyTextReceiver.Result.Status.REJECTED, r.receive("a", "f", 0, 0, "x", 0).status());
    assertEquals(LegacyTextReceiver.Result.Status.REJECTED, r.receive("a", "f", 2, 2, "x", 0).status());
    assertEquals(LegacyTextReceiver.Result.Status.REJECTED, r.receive("a", "f", 2, -1, "x", 0).status());
    assertEquals(LegacyTextReceiver.Result.Status.REJECTED, r.receive("a", "f", 2, 0, "x".repeat(129), 0).status());
    assertEquals(LegacyTextReceiver.Result.Status.REJECTED, r.receive("a", "f", 1_000_000, 0, "x", 0).status());
    assertEquals(0, r.pending());
    r.receive("a", "f", 3, 0, "x", 0);
    assertEquals("repeated chunk ignored", r.receive("a", "f", 3, 0, "x", 0).detail());
    assertEquals(LegacyTextReceiver.Result.Status.REJECTED, r.receive("a", "f", 3, 0, "y", 0).status());
    assertEquals(0, r.pending(), "a contradiction drops the collection");
    r.receive("a", "f", 3, 0, "x", 0);
    assertEquals(LegacyTextReceiver.Result.Status.REJECTED, r.receive("a", "f", 4, 1, "x", 0).status());
    assertEquals(0, r.pending());
  }

  @Test
  void idleAndExcessCollectionsAreDropped() {
    FileTransferLimits limits = FileTransferLimits.builder().legacyMaxPending(2)
        .stallTimeout(Duration.ofSeconds(30)).build();
    LegacyTextReceiver r = new LegacyTextReceiver(dir, limits);
    r.receive("a", "1", 2, 0, "x", 0);
    r.receive("a", "2", 2, 0, "x", 10 * SECOND);
    r.receive("a", "3", 2, 0, "x", 20 * SECOND); // drops "1", the least recently fed
    assertEquals(2, r.pending());
    LegacyTextReceiver.Result restarted = r.receive("a", "1", 2, 1, "y", 21 * SECOND);
    assertEquals(LegacyTextReceiver.Result.Status.COLLECTING, restarted.status());
    assertNull(restarted.file());
    // "2" was dropped to make room for "1"; "3" was fed at 20 s, "1" at 21 s.
    assertEquals(1, r.expire(50 * SECOND));
    assertEquals(1, r.pending());
    assertEquals(1, r.expire(51 * SECOND));
    assertEquals(0, r.pending());
  }
}
