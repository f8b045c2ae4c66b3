package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;

/**
 * A full disk, through an injected channel that refuses writes (or forces) while the test says so: nothing
 * is acknowledged meanwhile, an EXIT that could not be written leaves the name registered (in memory as
 * after a restart), and once writes succeed again the table works without a restart.
 */
class DiskFullTest {
  @TempDir
  Path dir;

  /** The real state file, with writes and forces that fail while {@code full} is set. */
  private static final class FlakyDisk {
    volatile boolean full;
    volatile boolean forcesFail;
    final List<String> calls = new CopyOnWriteArrayList<>();

    Journal.Opener opener(Path file) {
      return () -> {
        Journal.Storage real = Journal.FileStorage.open(file);
        return new Journal.Storage() {
          @Override
          public void write(ByteBuffer buffer) throws IOException {
            calls.add("write");
            if (full) {
              throw new IOException("No space left on device");
            }
            real.write(buffer);
          }

          @Override
          public void force() throws IOException {
            calls.add("force");
            if (forcesFail) {
              throw new IOException("fsync: Input/output error");
            }
            real.force();
          }

          @Override
          public void close() throws IOException {
            real.close();
          }
        };
      };
    }
  }

  private static final HostPort A = new HostPort("localhost", 4001);
  private static final HostPort B = new HostPort("localhost", 4002);
  private static final HostPort C = new HostPort("localhost", 4003);

  @Test
  void aFullDiskAcknowledgesNothingAndRecoversWithoutARestart() throws Exception {
    Path file = dir.resolve("state.jsonl");
    FlakyDisk disk = new FlakyDisk();
    try (PeerTable table = PeerTable.open(file, 10_000, disk.opener(file))) {
      assertTrue(table.register("alice", A).registered());
      disk.full = true;

      CompletionException refused = assertThrows(CompletionException.class,
          () -> table.registerDurably("bob", B).orTimeout(10, TimeUnit.SECONDS).join());
      assertTrue(refused.getCause() instanceof IOException, refused.toString());
      assertFalse(table.contains("bob"), "a registration that was not written is not in memory");
      assertThrows(IOException.class, () -> table.remove("alice", "exit"));
      assertEquals(Optional.of(A), table.addressOf("alice"), "an EXIT that was not written is not applied");
      assertThrows(IOException.class, () -> table.register("carol", C), "still full: still refused");

      disk.full = false;
      assertTrue(table.register("carol", C).registered(), "the disk took writes again: served, no restart");
      assertEquals(Optional.of(A), table.remove("alice", "exit"));
      assertFalse(table.contains("alice"));
    }
    try (PeerTable reopened = PeerTable.open(file)) {
      assertEquals(List.of("carol"), List.copyOf(reopened.snapshot().keySet()),
          "what was acknowledged, and only that, after a restart");
    }
  }

  @Test
  void aFailedForceFailsItsWaitersAndTheNextWriteRewritesTheFile() throws Exception {
    Path file = dir.resolve("state.jsonl");
    FlakyDisk disk = new FlakyDisk();
    try (PeerTable table = PeerTable.open(file, 10_000, disk.opener(file))) {
      assertTrue(table.register("alice", A).registered());
      disk.forcesFail = true;
      assertThrows(CompletionException.class,
          () -> table.registerDurably("bob", B).orTimeout(10, TimeUnit.SECONDS).join());
      // The undo runs once the failure is told; then bob is gone.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (table.contains("bob") && System.nanoTime() < deadline) {
        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
      }
      assertFalse(table.contains("bob"), "never acknowledged, never kept");
      assertThrows(IOException.class, () -> table.remove("alice", "exit"));
      assertTrue(table.contains("alice"));
      disk.forcesFail = false;
      assertTrue(table.register("carol", C).registered());
    }
    try (PeerTable reopened = PeerTable.open(file)) {
      assertEquals(List.of("alice", "carol"), List.copyOf(reopened.snapshot().keySet()));
    }
  }

  @Test
  void recordsAreWrittenThenForcedBeforeTheyAreAcknowledged() throws Exception {
    Path file = dir.resolve("state.jsonl");
    FlakyDisk disk = new FlakyDisk();
    try (PeerTable table = PeerTable.open(file, 10_000, disk.opener(file))) {
      disk.calls.clear();
      assertTrue(table.register("alice", A).registered());
      assertEquals("write", disk.calls.get(0));
      assertTrue(disk.calls.contains("force"), "acknowledged only after a force: " + disk.calls);
      disk.calls.clear();
      table.remove("alice", "exit");
      assertEquals(List.of("write", "force"), disk.calls.subList(0, 2));
    }
  }
}
