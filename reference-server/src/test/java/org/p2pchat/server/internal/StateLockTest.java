package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  @Test
  void theCanonicalPathIsAbsoluteWithEveryLinkResolved() throws Exception {
    Path realDir = Files.createDirectory(dir.resolve("real"));
    Path linkDir = Files.createSymbolicLink(dir.resolve("linked"), realDir);
    Path realDirReal = realDir.toRealPath();
    assertEquals(realDirReal.resolve("new.jsonl"), StateLock.canonical(linkDir.resolve("new.jsonl")),
        "a file not there yet: its directory resolved");
    Path existing = Files.createFile(realDir.resolve("old.jsonl"));
    Path fileLink = Files.createSymbolicLink(dir.resolve("old-link.jsonl"), existing);
    assertEquals(realDirReal.resolve("old.jsonl"), StateLock.canonical(fileLink), "the file's own link resolved");
    assertEquals(realDirReal.resolve("old.jsonl"), StateLock.canonical(linkDir.resolve("x/../old.jsonl")));
    assertTrue(StateLock.canonical(Path.of("relative-state.jsonl")).isAbsolute());
    assertEquals(Path.of("/"), StateLock.canonical(Path.of("/")), "no parent: itself");
    StateFileException e = assertThrows(StateFileException.class,
        () -> StateLock.canonical(dir.resolve("missing").resolve("state.jsonl")));
    assertTrue(e.getMessage().contains("cannot resolve its real path"), e.getMessage());
  }

  @Test
  void theLockIsHeldUntilClosedAndASecondOwnerIsRefused() throws Exception {
    Path state = dir.toRealPath().resolve("state.jsonl");
    StateLock first = StateLock.acquire(state);
    assertEquals(dir.toRealPath().resolve("state.jsonl.lock"), first.lockFile());
    assertEquals(first.lockFile(), StateLock.lockFileOf(state));
    assertTrue(Files.exists(first.lockFile()), "the lock file is created");
    StateFileException e = assertThrows(StateFileException.class, () -> StateLock.acquire(state));
    assertTrue(e.getMessage().contains("in use by another running server (" + first.lockFile() + " is locked)"),
        e.getMessage());
    first.close();
    try (StateLock second = StateLock.acquire(state)) {
      assertEquals(first.lockFile(), second.lockFile(), "closing released the OS lock");
    }
  }

  @Test
  void aStateFileHeldOpenByAJournalIsRefusedAndTheLockFileLeftFree() throws Exception {
    Path state = dir.toRealPath().resolve("state.jsonl");
    Files.write(state, StateFormat.header());
    Journal.FileStorage journal = Journal.FileStorage.open(state);
    StateFileException e = assertThrows(StateFileException.class, () -> StateLock.acquire(state));
    assertTrue(e.getMessage().contains("the state file itself is locked"), e.getMessage());
    assertFalse(e.getMessage().contains("cannot open it to check"), "reported as itself: " + e.getMessage());
    journal.close();
    try (StateLock lock = StateLock.acquire(state)) {
      assertEquals(StateLock.lockFileOf(state), lock.lockFile(), "the refused attempt did not keep the lock file");
    }
  }

  @Test
  void aLockFileThatCannotBeCreatedIsReported() throws Exception {
    Path state = dir.toRealPath().resolve("state.jsonl");
    Files.createDirectory(StateLock.lockFileOf(state));
    StateFileException e = assertThrows(StateFileException.class, () -> StateLock.acquire(state));
    assertTrue(e.getMessage().contains("cannot create its lock file"), e.getMessage());
  }

  @Test
  void oneLinkIsFineTwoAreNot() throws Exception {
    Path state = dir.toRealPath().resolve("state.jsonl");
    Files.write(state, StateFormat.header());
    StateLock.acquire(state).close();
    Files.createLink(dir.resolve("second.jsonl"), state);
    StateFileException e = assertThrows(StateFileException.class, () -> StateLock.acquire(state));
    assertTrue(e.getMessage().contains("has 2 hard links"), e.getMessage());
    Files.delete(dir.resolve("second.jsonl"));
    StateLock.acquire(state).close();
  }

  private static long openFiles() throws Exception {
    try (java.util.stream.Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    }
  }

  @Test
  void refusedAndClosedLocksLeaveNoFileOpen() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "Linux only");
    Path state = dir.toRealPath().resolve("state.jsonl");
    Files.write(state, StateFormat.header());
    StateLock first = StateLock.acquire(state);
    assertThrows(StateFileException.class, () -> StateLock.acquire(state)); // warm-up: classes loaded
    long held = openFiles();
    for (int i = 0; i < 3; i++) {
      assertThrows(StateFileException.class, () -> StateLock.acquire(state));
    }
    assertEquals(held, openFiles(), "a refused attempt closes the lock file it opened");
    first.close();
    assertEquals(held - 1, openFiles(), "closing the lock closes its file");

    Journal.FileStorage journal = Journal.FileStorage.open(state);
    assertThrows(java.io.IOException.class, () -> Journal.FileStorage.open(state));
    long open = openFiles();
    for (int i = 0; i < 3; i++) {
      assertThrows(java.io.IOException.class, () -> Journal.FileStorage.open(state));
      assertThrows(StateFileException.class, () -> StateLock.acquire(state));
    }
    assertEquals(open, openFiles(), "refused opens of a state file in use close what they opened");
    journal.close();
    assertEquals(open - 1, openFiles());
  }
}
