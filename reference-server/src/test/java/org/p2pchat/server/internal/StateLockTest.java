package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.StateFileException;

/** One registry, one owner: whatever path, link or missing lock file leads a second server to it. */
class StateLockTest {
  @TempDir
  Path dir;

  private static final HostPort A = new HostPort("localhost", 4001);

  @Test
  void aSymlinkedPathReachesTheSameLock() throws Exception {
    Path real = dir.resolve("state.jsonl");
    Path link = dir.resolve("link.jsonl");
    try (PeerTable first = PeerTable.open(real)) {
      first.register("alice", A);
      Files.createSymbolicLink(link, real);
      StateFileException e = assertThrows(StateFileException.class, () -> PeerTable.open(link));
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }
    try (PeerTable viaLink = PeerTable.open(link)) {
      assertEquals(real.toRealPath(), viaLink.file(), "the canonical path is used");
      assertTrue(viaLink.contains("alice"));
      viaLink.register("bob", A);
    }
    assertTrue(Files.isSymbolicLink(link), "compaction kept the link a link");
    try (PeerTable again = PeerTable.open(real)) {
      assertTrue(again.contains("bob"), "written through the link, read through the real path");
    }
  }

  @Test
  void aSymlinkedDirectoryReachesTheSameLock() throws Exception {
    Path realDir = Files.createDirectory(dir.resolve("real"));
    Path linkDir = Files.createSymbolicLink(dir.resolve("linked"), realDir);
    try (PeerTable first = PeerTable.open(realDir.resolve("state.jsonl"))) {
      assertThrows(StateFileException.class, () -> PeerTable.open(linkDir.resolve("state.jsonl")));
      assertThrows(StateFileException.class, () -> PeerTable.open(realDir.resolve("./state.jsonl")));
    }
  }

  @Test
  void aHardLinkedStateFileIsRefused() throws Exception {
    Path real = dir.resolve("state.jsonl");
    try (PeerTable first = PeerTable.open(real)) {
      first.register("alice", A);
    }
    Files.createLink(dir.resolve("hard.jsonl"), real);
    StateFileException e = assertThrows(StateFileException.class, () -> PeerTable.open(real));
    assertTrue(e.getMessage().contains("hard links"), e.getMessage());
    assertThrows(StateFileException.class, () -> PeerTable.open(dir.resolve("hard.jsonl")));
  }

  @Test
  void aDeletedLockFileDoesNotLetASecondServerIn() throws Exception {
    Path state = dir.resolve("state.jsonl");
    try (PeerTable first = PeerTable.open(state)) {
      first.register("alice", A);
      Files.delete(StateLock.lockFileOf(state));
      StateFileException e = assertThrows(StateFileException.class, () -> PeerTable.open(state));
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
      first.register("bob", A);
    }
    try (PeerTable next = PeerTable.open(state)) {
      assertTrue(next.contains("alice") && next.contains("bob"), "nothing acknowledged was lost");
    }
  }
}
