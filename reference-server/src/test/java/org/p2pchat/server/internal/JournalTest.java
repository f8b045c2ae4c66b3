package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.StateFileException;

/**
 * The journal's commit loop and its exits, its failure and recovery, and compaction, through an injected
 * storage. Every wait is bounded well below PIT's timeout, so a mutant that stops the committer (or keeps
 * it from ending) fails an assertion here instead of hanging the test; {@link #closeWithin} closes the
 * journal on a thread of its own for the same reason.
 */
class JournalTest {
  /** Far longer than any step here takes (all in memory), far shorter than PIT's 15 s grace. */
  private static final long WAIT_SECONDS = 5;

  @TempDir
  Path dir;

  /** Records writes, forces and closes in order; forces can be held, or made to fail. */
  private static final class Storage implements Journal.Storage {
    final List<String> events = new ArrayList<>();
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    final CountDownLatch forcing = new CountDownLatch(1);
    volatile CountDownLatch release = new CountDownLatch(0);
    volatile boolean failForce;
    volatile boolean failWrite;

    @Override
    public synchronized void write(ByteBuffer buffer) throws IOException {
      if (failWrite) {
        events.add("write failed");
        throw new IOException("No space left on device");
      }
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      written.writeBytes(bytes);
      events.add("write " + new String(bytes, StandardCharsets.US_ASCII));
    }

    @Override
    public void force() throws IOException {
      forcing.countDown();
      try {
        if (!release.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
          throw new IOException("the test never released the force");
        }
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      synchronized (this) {
        if (failForce) {
          events.add("force failed");
          throw new IOException("fsync: Input/output error");
        }
        events.add("force");
      }
    }

    @Override
    public synchronized void close() {
      events.add("close");
    }

    synchronized List<String> events() {
      return new ArrayList<>(events);
    }

    synchronized long count(String event) {
      return events.stream().filter(event::equals).count();
    }
  }

  /** Opens a fresh {@link Storage} each time, counting the opens; fails while {@code refuse} is set. */
  private static final class Opener implements Journal.Opener {
    final List<Storage> opened = new ArrayList<>();
    volatile boolean refuse;

    @Override
    public synchronized Journal.Storage open() throws IOException {
      if (refuse) {
        throw new IOException("Read-only file system");
      }
      Storage s = new Storage();
      opened.add(s);
      return s;
    }

    synchronized Storage last() {
      return opened.get(opened.size() - 1);
    }
  }

  private static byte[] record(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** Closes on a thread of its own and fails if that takes longer than the bound. */
  private static void closeWithin(AutoCloseable closeable) throws Exception {
    CompletableFuture<Void> closed = new CompletableFuture<>();
    Thread closer = new Thread(() -> {
      try {
        closeable.close();
        closed.complete(null);
      } catch (Throwable e) {
        closed.completeExceptionally(e);
      }
    }, "journal-test-close");
    closer.setDaemon(true);
    closer.start();
    try {
      closed.get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError("close did not return: the committer never ended", e);
    }
  }

  private static void done(CompletableFuture<?> future) throws Exception {
    future.get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletableFuture<?> future) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof StateFileException, e.toString());
    return e.getCause();
  }

  @Test
  void closeEndsTheCommitterForcesAndClosesTheStorage() throws Exception {
    Storage storage = new Storage();
    Journal journal = Journal.over(storage);
    long seq = journal.append(record("a"));
    done(journal.durable(seq));
    closeWithin(journal);
    assertEquals(List.of("write a", "force", "force", "close"), storage.events(),
        "one force for the record, one on close, then the file is closed");
    CompletableFuture<Void> late = journal.durable(seq + 1);
    assertTrue(late.isCompletedExceptionally(), "after close a record that was never durable fails at once");
    assertTrue(failure(late).getMessage().contains("closed before the record was on disk"), failure(late).toString());
  }

  @Test
  void closeWithAnIdleCommitterReturnsAtOnce() throws Exception {
    Storage storage = new Storage();
    Journal journal = Journal.over(storage);
    closeWithin(journal);
    assertEquals(List.of("force", "close"), storage.events());
  }

  @Test
  void aWaiterPendingAtCloseIsStillForcedAndTold() throws Exception {
    Storage storage = new Storage();
    storage.release = new CountDownLatch(1);
    Journal journal = Journal.over(storage);
    CompletableFuture<Void> acked = journal.durable(journal.append(record("a")));
    assertTrue(storage.forcing.await(WAIT_SECONDS, TimeUnit.SECONDS));
    CompletableFuture<Void> closed = CompletableFuture.runAsync(journal::close);
    assertFalse(acked.isDone(), "not told before its force");
    storage.release.countDown();
    done(acked);
    done(closed);
    assertEquals(List.of("write a", "force", "force", "close"), storage.events());
  }

  @Test
  void waitersAreToldOnTheAckThreadInSequenceOrder() throws Exception {
    Storage storage = new Storage();
    storage.release = new CountDownLatch(1);
    Journal journal = Journal.over(storage);
    List<String> told = new ArrayList<>();
    List<CompletableFuture<Void>> all = new ArrayList<>();
    for (String name : List.of("a", "b", "c", "d")) {
      long seq = journal.append(record(name));
      all.add(journal.durable(seq).thenRun(() -> {
        synchronized (told) {
          told.add(name + " on " + Thread.currentThread().getName());
        }
      }));
    }
    storage.release.countDown();
    for (CompletableFuture<Void> f : all) {
      done(f);
    }
    synchronized (told) {
      assertEquals(List.of("a on p2pchat-journal-ack", "b on p2pchat-journal-ack", "c on p2pchat-journal-ack",
          "d on p2pchat-journal-ack"), told);
    }
    closeWithin(journal);
  }

  @Test
  void aWaiterForAnEarlierRecordIsCoveredByALaterForce() throws Exception {
    Storage storage = new Storage();
    Journal journal = Journal.over(storage);
    long a = journal.append(record("a"));
    long b = journal.append(record("b"));
    assertEquals(a + 1, b, "sequence numbers count the records");
    done(journal.durable(b));
    assertEquals(1, storage.count("force"), "one force for both: " + storage.events());
    CompletableFuture<Void> earlier = journal.durable(a);
    assertTrue(earlier.isDone() && !earlier.isCompletedExceptionally(), "already durable: told at once");
    assertTrue(journal.durable(0).isDone(), "no record: nothing to wait for");
    assertTrue(journal.durable(-1).isDone());
    journal.sync(b);
    journal.sync(0);
    assertEquals(1, storage.count("force"), "nothing more to force: " + storage.events());
    closeWithin(journal);
  }

  @Test
  void aFailedForceFailsEveryWaiterAndSyncThrowsTheStateFileException() throws Exception {
    Storage storage = new Storage();
    storage.release = new CountDownLatch(1);
    storage.failForce = true;
    Journal journal = Journal.over(storage);
    CompletableFuture<Void> a = journal.durable(journal.append(record("a")));
    assertTrue(storage.forcing.await(WAIT_SECONDS, TimeUnit.SECONDS));
    long b = journal.append(record("b"));
    CompletableFuture<Void> bDurable = journal.durable(b);
    storage.release.countDown();
    assertTrue(failure(a).getMessage().contains("fsync: Input/output error"), failure(a).toString());
    assertTrue(failure(bDurable).getMessage().contains("write failed"), failure(bDurable).toString());
    assertTrue(journal.failed());
    CompletableFuture<Void> later = journal.durable(b);
    assertTrue(later.isCompletedExceptionally(), "after a failure: failed at once, never a waiter");
    IOException synced = assertThrows(IOException.class, () -> journal.sync(b));
    assertTrue(synced instanceof StateFileException, synced.toString());
    StateFileException refused = assertThrows(StateFileException.class, () -> journal.append(record("c")));
    assertTrue(refused.getMessage().contains("no longer writable"), refused.getMessage());
    closeWithin(journal);
    assertEquals(1, storage.count("force failed"), "no second force after the failure: " + storage.events());
    assertEquals(0, storage.count("force"), "nor on close: " + storage.events());
    assertEquals(1, storage.count("close"));
  }

  @Test
  void aFailedWriteRefusesLaterWritesUntilRecovered() throws Exception {
    Path file = dir.resolve("state.jsonl");
    Opener opener = new Opener();
    Journal journal = Journal.create(file, Map.of(), Map.of(), opener);
    long a = journal.append(record("a\n"));
    opener.last().failWrite = true;
    StateFileException e = assertThrows(StateFileException.class, () -> journal.append(record("b\n")));
    assertTrue(e.getMessage().contains("write failed"), e.getMessage());
    assertTrue(journal.failed());
    assertTrue(journal.durable(a).isCompletedExceptionally(), "not durable when the journal failed");
    assertEquals(1, journal.sinceCompaction(), "the failed write is not counted");

    LinkedHashMap<String, HostPort> held = new LinkedHashMap<>();
    held.put("alice", new HostPort("localhost", 4001));
    journal.recover(held, Map.of());
    assertFalse(journal.failed());
    assertEquals(2, opener.opened.size(), "the rewritten file is opened again");
    assertEquals(List.of("write a\n", "write failed", "close"), opener.opened.get(0).events());
    assertEquals(0, journal.sinceCompaction());
    assertArrayEquals(concat(StateFormat.header(), StateFormat.register("alice", new HostPort("localhost", 4001),
        null)), Files.readAllBytes(file), "the snapshot of what is held, nothing else");
    long c = journal.append(record("c\n"));
    assertEquals(a + 1, c, "the failed write took no number; recovery keeps counting");
    done(journal.durable(c));
    CompletableFuture<Void> lost = journal.durable(a);
    assertTrue(failure(lost).getMessage().contains("before the journal recovered"), failure(lost).toString());
    closeWithin(journal);
  }

  @Test
  void aRecordFailedByAForceStaysFailedAfterRecovery() throws Exception {
    Path file = dir.resolve("state.jsonl");
    Opener opener = new Opener();
    Journal journal = Journal.create(file, Map.of(), Map.of(), opener);
    opener.last().failForce = true;
    long a = journal.append(record("a\n"));
    failure(journal.durable(a));
    journal.recover(new LinkedHashMap<>(), Map.of());
    long b = journal.append(record("b\n"));
    done(journal.durable(b));
    assertTrue(journal.durable(a).isCompletedExceptionally(), "a came before the recovery: never durable");
    closeWithin(journal);
  }

  @Test
  void recoveryWhileTheDiskStillRefusesStaysFailed() throws Exception {
    Path file = dir.resolve("state.jsonl");
    Opener opener = new Opener();
    Journal journal = Journal.create(file, Map.of(), Map.of(), opener);
    opener.last().failWrite = true;
    assertThrows(IOException.class, () -> journal.append(record("a\n")));
    opener.refuse = true;
    StateFileException e = assertThrows(StateFileException.class, () -> journal.recover(new LinkedHashMap<>(),
        Map.of()));
    assertTrue(e.getMessage().contains("still not writable") && e.getMessage().contains("first failure"),
        e.getMessage());
    assertTrue(journal.failed());
    opener.refuse = false;
    journal.recover(new LinkedHashMap<>(), Map.of());
    assertFalse(journal.failed());
    closeWithin(journal);
  }

  @Test
  void recoveringAJournalThatDidNotFailChangesNothing() throws Exception {
    Path file = dir.resolve("state.jsonl");
    Opener opener = new Opener();
    Journal journal = Journal.create(file, Map.of(), Map.of(), opener);
    journal.sync(journal.append(record("a\n")));
    byte[] before = Files.readAllBytes(file);
    LinkedHashMap<String, HostPort> other = new LinkedHashMap<>();
    other.put("bob", new HostPort("localhost", 4002));
    journal.recover(other, Map.of());
    assertEquals(1, opener.opened.size(), "not reopened");
    assertArrayEquals(before, Files.readAllBytes(file), "not rewritten");
    assertEquals(1, journal.sinceCompaction());
    closeWithin(journal);
  }

  @Test
  void compactionRewritesTheFileAndReopensIt() throws Exception {
    Path file = dir.resolve("state.jsonl");
    Opener opener = new Opener();
    Journal journal = Journal.create(file, Map.of(), Map.of(), opener);
    journal.append(record("x\n"));
    long seq = journal.append(record("y\n"));
    assertEquals(2, journal.sinceCompaction());
    LinkedHashMap<String, HostPort> live = new LinkedHashMap<>();
    live.put("alice", new HostPort("localhost", 4001));
    journal.compact(live, Map.of("alice", "AAAA"));
    assertEquals(0, journal.sinceCompaction());
    assertEquals(2, opener.opened.size());
    assertEquals("close", opener.opened.get(0).events().get(2), "the old storage closed before the swap");
    assertArrayEquals(concat(StateFormat.header(), StateFormat.register("alice", new HostPort("localhost", 4001),
        "AAAA")), Files.readAllBytes(file));
    assertFalse(Files.exists(dir.resolve("state.jsonl.tmp")), "the temporary file was renamed");
    done(journal.durable(seq));
    assertEquals(1, opener.last().count("force"), "the waiter is told after a force of the fresh file");
    long next = journal.append(record("z\n"));
    assertEquals(seq + 1, next);
    assertEquals(List.of("force", "write z\n"), opener.last().events());
    closeWithin(journal);
  }

  @Test
  void aCompactionThatCannotReopenFailsTheJournal() throws Exception {
    Path file = dir.resolve("state.jsonl");
    Opener opener = new Opener();
    Journal journal = Journal.create(file, Map.of(), Map.of(), opener);
    opener.refuse = true;
    assertThrows(StateFileException.class, () -> journal.compact(new LinkedHashMap<>()));
    assertTrue(journal.failed());
    opener.refuse = false;
    StateFileException refused = assertThrows(StateFileException.class, () -> journal.compact(new LinkedHashMap<>()),
        "a failed journal compacts no more, even once the disk would take it");
    assertTrue(refused.getMessage().contains("no longer writable"), refused.getMessage());
    assertEquals(1, opener.opened.size(), "not reopened");
    closeWithin(journal);
  }

  @Test
  void theFileStorageAppendsEveryByteAndLocksTheFile() throws Exception {
    Path file = dir.resolve("state.jsonl");
    LinkedHashMap<String, HostPort> entries = new LinkedHashMap<>();
    entries.put("alice", new HostPort("localhost", 4001));
    Journal journal = Journal.create(file, entries);
    byte[] big = new byte[300_000];
    java.util.Arrays.fill(big, (byte) 'x');
    big[big.length - 1] = '\n';
    journal.sync(journal.append(big));
    assertArrayEquals(concat(StateFormat.header(), StateFormat.register("alice", new HostPort("localhost", 4001),
        null), big), Files.readAllBytes(file));
    IOException locked = assertThrows(IOException.class, () -> Journal.FileStorage.open(file));
    assertTrue(locked.getMessage().contains("locked by another server in this process"), locked.getMessage());
    closeWithin(journal);
    Journal.FileStorage.open(file).close();
  }

  @Test
  void aSnapshotThatCannotBeWrittenFailsTheCreate() throws Exception {
    Path file = dir.resolve("missing").resolve("state.jsonl");
    StateFileException e = assertThrows(StateFileException.class, () -> Journal.create(file, Map.of()));
    assertTrue(e.getMessage().contains("cannot write it"), e.getMessage());
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @Test
  void sequenceNumbersAndCountsStartFromOne() throws Exception {
    Storage storage = new Storage();
    Journal journal = Journal.over(storage);
    assertEquals(0, journal.sinceCompaction());
    assertEquals(1, journal.append(record("a")));
    assertEquals(1, journal.sinceCompaction());
    assertEquals(2, journal.append(record("b")));
    assertEquals(2, journal.sinceCompaction());
    closeWithin(journal);
  }

  private static java.util.Set<Thread> threadsNamed(String name) {
    java.util.Set<Thread> out = new java.util.HashSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name)) {
        out.add(t);
      }
    }
    return out;
  }

  @Test
  void theJournalsThreadsAreDaemonsAndEndWithIt() throws Exception {
    java.util.Set<Thread> before = threadsNamed("p2pchat-journal-commit");
    Storage storage = new Storage();
    storage.release = new CountDownLatch(1); // the ack waits for the force: the callback below is attached first
    Journal journal = Journal.over(storage);
    java.util.Set<Thread> committers = threadsNamed("p2pchat-journal-commit");
    committers.removeAll(before);
    assertEquals(1, committers.size(), "one committer per journal");
    Thread committer = committers.iterator().next();
    CompletableFuture<Thread> ackThread = new CompletableFuture<>();
    journal.durable(journal.append(record("a"))).thenRun(() -> ackThread.complete(Thread.currentThread()));
    storage.release.countDown();
    Thread acks = ackThread.get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals("p2pchat-journal-ack", acks.getName());
    assertTrue(committer.isDaemon(), "a journal never keeps the process alive");
    assertTrue(acks.isDaemon());
    closeWithin(journal);
    assertFalse(committer.isAlive(), "close returns once the committer has ended");
    acks.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(acks.isAlive(), "the ack thread ends with the journal");
  }
}
