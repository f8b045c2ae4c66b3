package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.StateFileException;

/** The registry with its journal, on a real file. */
class PeerTableTest {
  private static final HostPort A = new HostPort("localhost", 4001);
  private static final HostPort B = new HostPort("localhost", 4002);

  @TempDir
  Path dir;

  @Test
  void registrationIsInTheFileWhenRegisterReturns() throws Exception {
    Path file = dir.resolve("state.jsonl");
    try (PeerTable table = PeerTable.open(file)) {
      assertTrue(table.register("alice", A).registered());

      // Read while the table is open: what a crash right now would leave.
      assertEquals(A, StateFormat.read(file).peers().get("alice"));
    }
  }

  @Test
  void takenNameReportsItsHolderAndChangesNothing() throws Exception {
    try (PeerTable table = PeerTable.open(dir.resolve("state.jsonl"))) {
      table.register("alice", A);

      PeerTable.Outcome outcome = table.register("alice", B);

      assertFalse(outcome.registered());
      assertEquals(A, outcome.holder());
      assertEquals(Optional.of(A), table.addressOf("alice"));
    }
  }

  @Test
  void concurrentRegistersOfOneNameHaveExactlyOneWinner() throws Exception {
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (PeerTable table = PeerTable.open(dir.resolve("state.jsonl"))) {
      for (int round = 0; round < 20; round++) {
        String name = "contested-" + round;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          HostPort address = new HostPort("localhost", 5000 + t);
          results.add(pool.submit(() -> {
            go.await(5, TimeUnit.SECONDS);
            return table.register(name, address).registered();
          }));
        }
        go.countDown();
        int winners = 0;
        for (Future<Boolean> result : results) {
          winners += result.get(10, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertEquals(1, winners, name);
      }
      assertEquals(20, StateFormat.read(table.file()).peers().size());
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void removeIfAtRemovesOnlyTheRegistrationAtThatAddress() throws Exception {
    try (PeerTable table = PeerTable.open(dir.resolve("state.jsonl"))) {
      table.register("alice", A);

      assertFalse(table.removeIfAt("alice", B, "dropped"));
      assertTrue(table.contains("alice"));
      assertTrue(table.removeIfAt("alice", A, "dropped"));
      assertFalse(table.contains("alice"));
      assertFalse(StateFormat.read(table.file()).peers().containsKey("alice"));
    }
  }

  @Test
  void reopeningReplaysEverythingInOrder() throws Exception {
    Path file = dir.resolve("state.jsonl");
    try (PeerTable table = PeerTable.open(file)) {
      table.register("carol", A);
      table.register("alice", B);
      table.register("bob", A);
      table.remove("alice", "exit");
    }
    try (PeerTable table = PeerTable.open(file)) {
      assertEquals(List.of("carol", "bob"), List.copyOf(table.snapshot().keySet()));
      assertEquals(2, table.loaded().records());
    }
  }

  @Test
  void journalIsCompactedWhenItGrowsFarBeyondTheLiveEntries() throws Exception {
    Path file = dir.resolve("state.jsonl");
    try (PeerTable table = PeerTable.open(file, 50)) {
      table.register("stays", A);
      for (int i = 0; i < 100; i++) {
        table.register("flapping", B);
        table.remove("flapping", "exit");
      }

      long lines = Files.lines(file).count();
      assertTrue(lines < 60, "journal not compacted: " + lines + " lines");
      assertEquals(List.of("stays"), List.copyOf(StateFormat.read(file).peers().keySet()));
    }
  }

  @Test
  void closedTableRefusesChangesAndReleasesTheFile() throws Exception {
    Path file = dir.resolve("state.jsonl");
    PeerTable table = PeerTable.open(file);
    table.close();

    assertThrows(IllegalStateException.class, () -> table.register("alice", A));
    try (PeerTable again = PeerTable.open(file)) {
      assertEquals(0, again.size());
    }
  }

  @Test
  void secondOpenOfOneFileIsRefused() throws Exception {
    Path file = dir.resolve("state.jsonl");
    PeerTable first = PeerTable.open(file);
    try {
      StateFileException e = assertThrows(StateFileException.class, () -> PeerTable.open(file));
      assertTrue(e.getMessage().contains("in use"), e.getMessage());
    } finally {
      first.close();
    }
  }

  @Test
  void missingDirectoryIsCreated() throws Exception {
    Path file = dir.resolve("a/b/state.jsonl");
    try (PeerTable table = PeerTable.open(file)) {
      table.register("alice", A);
    }
    assertTrue(Files.exists(file));
  }
}
