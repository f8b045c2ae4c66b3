package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.StateFileException;
import org.p2pchat.server.registry.Page;
import org.p2pchat.server.registry.RegisterOutcome;
import org.p2pchat.server.registry.Registration;

/**
 * The table and its file as one: after every change the file replays to exactly what memory holds (names,
 * addresses, keys, leases), every change that returns has been forced, and compaction comes exactly when
 * the journal has grown past twice the live entries plus the slack.
 */
class JournalTableTest {
  private static final long WAIT_SECONDS = 5;
  private static final HostPort A = new HostPort("localhost", 4001);
  private static final HostPort B = new HostPort("localhost", 4002);
  private static final HostPort C = new HostPort("localhost", 4003);
  private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");
  private static final byte[] KEY = new byte[32];

  static {
    for (int i = 0; i < KEY.length; i++) {
      KEY[i] = (byte) (i + 1);
    }
  }

  @TempDir
  Path dir;

  /** The real state file, counting forces; writes fail while {@code full} is set. */
  private static final class Disk implements Journal.Opener {
    final Path file;
    final AtomicInteger forces = new AtomicInteger();
    volatile boolean full;
    volatile boolean forcesFail;
    /** With {@link #holdForces}: released as each force starts; each force then waits for {@link #letForce}. */
    final java.util.concurrent.Semaphore forcing = new java.util.concurrent.Semaphore(0);
    final java.util.concurrent.Semaphore letForce = new java.util.concurrent.Semaphore(0);
    volatile boolean holdForces;

    Disk(Path file) {
      this.file = file;
    }

    @Override
    public Journal.Storage open() throws IOException {
      Journal.Storage real = Journal.FileStorage.open(file);
      return new Journal.Storage() {
        @Override
        public void write(ByteBuffer buffer) throws IOException {
          if (full) {
            throw new IOException("No space left on device");
          }
          real.write(buffer);
        }

        @Override
        public void force() throws IOException {
          forces.incrementAndGet();
          if (holdForces) {
            forcing.release();
            try {
              if (!letForce.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("the test never let the force go");
              }
            } catch (InterruptedException e) {
              throw new IOException(e);
            }
          }
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
    }
  }

  /** What the file replays to equals what the table holds: names in order, addresses, keys and leases. */
  private static void assertFileIsMemory(JournalTable table) throws Exception {
    StateFormat.Loaded loaded = StateFormat.read(table.file());
    LinkedHashMap<String, HostPort> peers = new LinkedHashMap<>();
    Map<String, String> keys = new HashMap<>();
    Map<String, Instant> leases = new HashMap<>();
    for (Registration r : table.list()) {
      peers.put(r.name(), r.address());
      r.publicKey().ifPresent(k -> keys.put(r.name(), JournalTable.text(k)));
      r.leaseExpiry().ifPresent(l -> leases.put(r.name(), l));
    }
    assertEquals(List.copyOf(peers.entrySet()), List.copyOf(loaded.peers().entrySet()), "names and addresses");
    assertEquals(keys, loaded.keys(), "keys");
    assertEquals(leases, loaded.leases(), "leases");
  }

  private static long lines(Path file) throws IOException {
    return Files.readAllLines(file).size();
  }

  private static RegisterOutcome join(java.util.concurrent.CompletableFuture<RegisterOutcome> f) throws Exception {
    return f.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void everyChangeIsInTheFileAndForcedWhenItReturns() throws Exception {
    Path file = dir.resolve("state.jsonl");
    Disk disk = new Disk(file);
    try (JournalTable table = JournalTable.open(file, 10_000, 100, disk)) {
      assertEquals(file.toRealPath(), table.file());
      assertEquals(100, table.cap());
      int forces = disk.forces.get();
      RegisterOutcome alice = join(table.register("alice", A, KEY, T0.plusSeconds(60)));
      assertTrue(alice.registered());
      assertEquals(1, ((RegisterOutcome.Registered) alice).registration().position());
      assertTrue(disk.forces.get() > forces, "acknowledged after a force");
      assertFileIsMemory(table);
      assertTrue(join(table.register("bob", B, null, null)).registered());
      assertTrue(join(table.register("carol", C, null, T0.plusSeconds(10))).registered());
      assertFileIsMemory(table);

      forces = disk.forces.get();
      assertTrue(table.renew("alice", T0.plusSeconds(120)));
      assertTrue(disk.forces.get() > forces, "a renewal returns once forced");
      assertEquals(Optional.of(T0.plusSeconds(120)), table.lookup("alice").orElseThrow().leaseExpiry());
      assertFileIsMemory(table);
      assertFalse(table.renew("nobody", T0), "an unknown name is not renewed");

      forces = disk.forces.get();
      List<Registration> expired = table.expire(T0.plusSeconds(10));
      assertEquals(List.of("carol"), expired.stream().map(Registration::name).toList(), "at its instant");
      assertTrue(disk.forces.get() > forces, "an expiry returns once forced");
      assertFileIsMemory(table);
      forces = disk.forces.get();
      assertEquals(List.of(), table.expire(T0.plusSeconds(11)), "bob has no lease, alice's runs later");
      assertEquals(forces, disk.forces.get(), "nothing expired, nothing forced");

      forces = disk.forces.get();
      assertEquals(Optional.empty(), table.removeIf("bob", r -> false, "exit", true), "the test refused it");
      assertTrue(table.lookup("bob").isPresent());
      assertEquals(Optional.empty(), table.removeIf("nobody", r -> true, "exit", true));
      assertEquals(forces, disk.forces.get(), "nothing removed, nothing written");
      assertEquals("bob", table.removeIf("bob", r -> true, "exit", true).orElseThrow().name());
      assertTrue(disk.forces.get() > forces, "a waited removal returns once forced");
      assertFalse(table.lookup("bob").isPresent());
      assertFileIsMemory(table);

      assertEquals("alice", table.removeIf("alice", r -> true, "dropped", false).orElseThrow().name());
      assertFalse(table.lookup("alice").isPresent(), "a drop leaves memory at once");
      assertFileIsMemory(table);
      assertEquals(0, table.size());
    }
  }

  @Test
  void positionsCountRegistrationsAndPagesFollowThem() throws Exception {
    try (JournalTable table = JournalTable.open(dir.resolve("state.jsonl"), 10_000, 100)) {
      for (String name : List.of("a", "b", "c", "d")) {
        join(table.register(name, A, null, null));
      }
      table.removeIf("b", r -> true, "exit", true);
      assertEquals(List.of(1L, 3L, 4L), table.list().stream().map(Registration::position).toList());
      Page first = table.page(0, 2);
      assertEquals(List.of("a", "c"), first.entries().stream().map(Registration::name).toList());
      assertTrue(first.more());
      Page rest = table.page(3, 2);
      assertEquals(List.of("d"), rest.entries().stream().map(Registration::name).toList());
      assertFalse(rest.more());
      Page exact = table.page(1, 2);
      assertEquals(List.of("c", "d"), exact.entries().stream().map(Registration::name).toList());
      assertFalse(exact.more(), "exactly the limit left: no more");
      assertThrows(IllegalArgumentException.class, () -> table.page(0, 0));
      assertEquals(1, table.page(0, 1).entries().size());
    }
    try (JournalTable reopened = JournalTable.open(dir.resolve("state.jsonl"), 10_000, 100)) {
      assertEquals(List.of(1L, 2L, 3L), reopened.list().stream().map(Registration::position).toList(),
          "renumbered 1..n in file order");
      assertEquals(3, reopened.loaded().peers().size());
      RegisterOutcome e = join(reopened.register("e", A, null, null));
      assertEquals(4, ((RegisterOutcome.Registered) e).registration().position());
    }
  }

  @Test
  void theCapRefusesTheNameBeyondItAndATakenNameReportsItsHolder() throws Exception {
    try (JournalTable table = JournalTable.open(dir.resolve("state.jsonl"), 10_000, 2)) {
      assertTrue(join(table.register("a", A, null, null)).registered());
      assertTrue(join(table.register("b", B, null, null)).registered());
      RegisterOutcome full = join(table.register("c", C, null, null));
      assertEquals(new RegisterOutcome.Full(2), full);
      RegisterOutcome taken = join(table.register("a", C, null, null));
      assertEquals(A, ((RegisterOutcome.Taken) taken).holder().address());
      assertFileIsMemory(table);
    }
  }

  @Test
  void compactionComesExactlyPastTwiceTheLiveEntriesPlusTheSlack() throws Exception {
    Path file = dir.resolve("state.jsonl");
    int slack = 3;
    try (JournalTable table = JournalTable.open(file, slack, 100)) {
      join(table.register("keep", A, null, null));
      long since = 1; // records appended since the file was last rewritten
      long expectedLines = 2;
      assertEquals(expectedLines, lines(file));
      for (int round = 0; round < 6; round++) {
        join(table.register("x", B, null, null));
        since++;
        // The check runs as the record is appended, with x in memory: two live entries.
        if (since > 2L * 2 + slack) {
          since = 0;
          expectedLines = 3;
        } else {
          expectedLines++;
        }
        assertEquals(expectedLines, lines(file), "after register, round " + round);
        table.removeIf("x", r -> true, "exit", true);
        since++;
        // x still in memory until its removal is durable, but left out of the snapshot.
        if (since > 2L * 2 + slack) {
          since = 0;
          expectedLines = 2;
        } else {
          expectedLines++;
        }
        assertEquals(expectedLines, lines(file), "after remove, round " + round);
        assertFileIsMemory(table);
      }
    }
    assertEquals(2, lines(file), "compacted on close: the header and keep");
  }

  @Test
  void aCompactionKeepsKeysAndLeasesAndLeavesOutRemovals() throws Exception {
    Path file = dir.resolve("state.jsonl");
    try (JournalTable table = JournalTable.open(file, 0, 100)) {
      join(table.register("alice", A, KEY, T0.plusSeconds(60)));
      join(table.register("bob", B, null, T0.plusSeconds(30)));
      for (int i = 0; i < 5; i++) {
        join(table.register("x" + i, C, null, null));
        table.removeIf("x" + i, r -> true, "exit", i % 2 == 0);
        assertFileIsMemory(table);
      }
    }
    try (JournalTable reopened = JournalTable.open(file, 0, 100)) {
      assertEquals(List.of("alice", "bob"), reopened.list().stream().map(Registration::name).toList());
      assertEquals(JournalTable.text(KEY), JournalTable.text(reopened.lookup("alice").orElseThrow().publicKey()
          .orElseThrow()));
      assertEquals(Optional.of(T0.plusSeconds(30)), reopened.lookup("bob").orElseThrow().leaseExpiry());
      assertFileIsMemory(reopened);
    }
  }

  @Test
  void afterAFullDiskTheNextChangeRewritesWhatWasDurable() throws Exception {
    Path file = dir.resolve("state.jsonl");
    Disk disk = new Disk(file);
    try (JournalTable table = JournalTable.open(file, 10_000, 100, disk)) {
      join(table.register("alice", A, KEY, T0.plusSeconds(60)));
      join(table.register("bob", B, null, null));
      disk.full = true;
      java.util.concurrent.ExecutionException refused = assertThrows(java.util.concurrent.ExecutionException.class,
          () -> join(table.register("carol", C, null, null)));
      assertInstanceOf(StateFileException.class, refused.getCause());
      assertFalse(table.lookup("carol").isPresent(), "not written: not in memory");
      assertThrows(IOException.class, () -> table.renew("alice", T0.plusSeconds(90)));
      assertThrows(IOException.class, () -> table.removeIf("bob", r -> true, "exit", true));
      assertTrue(table.lookup("bob").isPresent(), "a removal that was not written is not applied");
      disk.full = false;
      assertTrue(join(table.register("carol", C, null, null)).registered());
      assertFileIsMemory(table);
      assertEquals(3, table.size());
    }
  }

  @Test
  void aFailedRegistrationIsUndoneAndItsFutureFailsWithTheCause() throws Exception {
    Path file = dir.resolve("state.jsonl");
    Disk disk = new Disk(file);
    try (JournalTable table = JournalTable.open(file, 10_000, 100, disk)) {
      disk.full = true;
      java.util.concurrent.CompletableFuture<RegisterOutcome> f = table.register("alice", A, null, null);
      assertTrue(f.isCompletedExceptionally(), "refused at once: the record was not written");
      CompletionException e = assertThrows(CompletionException.class, f::join);
      assertInstanceOf(StateFileException.class, e.getCause());
      assertEquals(0, table.size());
      disk.full = false;
      assertTrue(join(table.register("alice", A, null, null)).registered(), "the name is free again");
    }
  }

  @Test
  void aClosedTableRefusesChangesButClosesOnce() throws Exception {
    Path file = dir.resolve("state.jsonl");
    JournalTable table = JournalTable.open(file, 10_000, 100);
    join(table.register("alice", A, null, T0.plusSeconds(60)));
    table.renew("alice", T0.plusSeconds(70));
    table.close();
    assertEquals(List.of("alice"), List.copyOf(StateFormat.read(file).peers().keySet()));
    assertEquals(3, lines(file), "compacted on close: header, alice, her lease");
    table.close();
    assertThrows(IllegalStateException.class, () -> table.register("bob", B, null, null));
    assertThrows(IllegalStateException.class, () -> table.renew("alice", T0));
    assertThrows(IllegalStateException.class, () -> table.expire(T0));
    assertThrows(IllegalStateException.class, () -> table.removeIf("alice", r -> true, "exit", true));
    try (JournalTable reopened = JournalTable.open(file, 10_000, 100)) {
      assertEquals(Optional.of(T0.plusSeconds(70)), reopened.lookup("alice").orElseThrow().leaseExpiry());
    }
  }

  @Test
  void aFileThatCannotBeReadIsRefusedAndItsLockReleased() throws Exception {
    Path file = dir.resolve("state.jsonl");
    Files.writeString(file, "not a state file\n");
    StateFileException corrupt = assertThrows(StateFileException.class, () -> JournalTable.open(file, 10_000, 100));
    assertFalse(corrupt.getMessage().contains("cannot write it"), "reported as the reader said: " + corrupt);
    Files.write(file, StateFormat.header());
    try (JournalTable table = JournalTable.open(file, 10_000, 100)) {
      assertEquals(0, table.size(), "the refused open kept no lock");
    }
    Path blocked = Files.writeString(dir.resolve("a-file"), "x");
    StateFileException e = assertThrows(StateFileException.class,
        () -> JournalTable.open(blocked.resolve("state.jsonl"), 10_000, 100));
    assertTrue(e.getMessage().contains("cannot create its directory"), e.getMessage());
  }

  @Test
  void keysAreBase64UrlText() {
    assertNull(JournalTable.text(null));
    assertEquals("AQID", JournalTable.text(new byte[] {1, 2, 3}));
    assertEquals("-_8", JournalTable.text(new byte[] {(byte) 0xfb, (byte) 0xff}), "url alphabet, no padding");
  }

  @Test
  void openingForcesTheLeasesItAppendsAfterTheSnapshot() throws Exception {
    Path file = dir.resolve("state.jsonl");
    try (JournalTable table = JournalTable.open(file, 10_000, 100)) {
      join(table.register("plain", A, null, null));
    }
    Disk disk = new Disk(file);
    try (JournalTable table = JournalTable.open(file, 10_000, 100, disk)) {
      assertEquals(0, disk.forces.get(), "no lease to append: nothing to force");
      join(table.register("alice", B, null, T0.plusSeconds(60)));
    }
    Disk again = new Disk(file);
    try (JournalTable table = JournalTable.open(file, 10_000, 100, again)) {
      assertTrue(again.forces.get() > 0, "the lease records are forced before the table is used");
      assertFileIsMemory(table);
    }
  }

  @Test
  void aFailedForceFailsTheRegistrationWithTheFileErrorAndUndoesIt() throws Exception {
    Path file = dir.resolve("state.jsonl");
    Disk disk = new Disk(file);
    try (JournalTable table = JournalTable.open(file, 10_000, 100, disk)) {
      join(table.register("alice", A, null, null));
      disk.forcesFail = true;
      java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
          () -> join(table.register("bob", B, null, null)));
      assertInstanceOf(StateFileException.class, e.getCause(), e.toString());
      assertFalse(table.lookup("bob").isPresent(), "undone before the caller is told");
      assertEquals(List.of("alice"), table.list().stream().map(Registration::name).toList());
      disk.forcesFail = false;
      assertTrue(join(table.register("bob", B, null, null)).registered(), "the name is free again");
      assertFileIsMemory(table);
    }
  }

  /**
   * A write fails while a force of earlier records is under way, and the next change recovers the journal
   * while that force runs: the records that force made durable were acknowledged, so the recovery's
   * snapshot must keep them (it once rewrote the file without them: acknowledged, then lost on restart).
   */
  @Test
  void aRecoveryThatRacesAForceKeepsWhatTheForceAcknowledged() throws Exception {
    Path file = dir.resolve("state.jsonl");
    Disk disk = new Disk(file);
    disk.holdForces = true;
    try (JournalTable table = JournalTable.open(file, 10_000, 100, disk)) {
      var z = table.register("z", A, null, null);
      assertTrue(disk.forcing.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS), "the first force started");
      var a = table.register("a", A, null, null);
      var bob = table.register("bob", B, null, null);
      disk.letForce.release();
      assertTrue(join(z).registered());
      assertTrue(disk.forcing.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS), "the force of a and bob started");
      var dave = failThenRecover(disk, table);
      disk.letForce.release(100);
      assertTrue(join(a).registered(), "a's record was forced before the recovery");
      assertTrue(join(bob).registered(), "bob's record was forced before the recovery");
      assertTrue(join(dave.get(WAIT_SECONDS, TimeUnit.SECONDS)).registered());
      assertEquals(List.of("z", "a", "bob", "dave"), table.list().stream().map(Registration::name).toList());
      assertFileIsMemory(table);
    }
  }

  /**
   * The race of a failed write, a force under way and the next change's recovery: with a force of earlier
   * records held, one write fails, then a registration of dave starts; returns once dave's recovery waits for
   * the held force.
   */
  private static java.util.concurrent.CompletableFuture<java.util.concurrent.CompletableFuture<RegisterOutcome>>
      failThenRecover(Disk disk, JournalTable table) {
    disk.full = true;
    assertTrue(table.register("carol", C, null, null).isCompletedExceptionally(), "carol's write failed");
    disk.full = false;
    var dave = new java.util.concurrent.CompletableFuture<java.util.concurrent.CompletableFuture<RegisterOutcome>>();
    Thread recovering = new Thread(() -> dave.complete(table.register("dave", C, null, null)), "test-dave");
    recovering.setDaemon(true);
    recovering.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (recovering.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertEquals(Thread.State.BLOCKED, recovering.getState(), "dave's recovery waits for the force under way");
    return dave;
  }

  /** The same race with an acknowledged removal: the recovery must not bring the name back. */
  @Test
  void aRecoveryThatRacesAForceKeepsARemovalTheForceAcknowledged() throws Exception {
    Path file = dir.resolve("state.jsonl");
    Disk disk = new Disk(file);
    disk.holdForces = true;
    try (JournalTable table = JournalTable.open(file, 10_000, 100, disk)) {
      var x = table.register("x", A, null, null);
      assertTrue(disk.forcing.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS));
      disk.letForce.release();
      assertTrue(join(x).registered());
      var removed = new java.util.concurrent.CompletableFuture<Optional<Registration>>();
      Thread exiting = new Thread(() -> {
        try {
          removed.complete(table.removeIf("x", r -> true, "exit", true));
        } catch (IOException | RuntimeException e) {
          removed.completeExceptionally(e);
        }
      }, "test-exit");
      exiting.setDaemon(true);
      exiting.start();
      assertTrue(disk.forcing.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS), "the force of x's removal started");
      var dave = failThenRecover(disk, table);
      disk.letForce.release(100);
      assertTrue(removed.get(WAIT_SECONDS, TimeUnit.SECONDS).isPresent(), "the removal was acknowledged");
      assertTrue(join(dave.get(WAIT_SECONDS, TimeUnit.SECONDS)).registered());
      assertEquals(List.of("dave"), table.list().stream().map(Registration::name).toList());
      assertFileIsMemory(table);
    }
  }
}
