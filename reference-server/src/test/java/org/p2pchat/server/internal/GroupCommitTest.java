package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The journal's commit order through an injected storage: every record is written, then forced, then
 * acknowledged; records ready while a force runs share the next force, never one each.
 */
class GroupCommitTest {
  /** Far longer than these in-memory steps take, shorter than PIT's 15 s grace: a stopped committer fails here. */
  private static final long WAIT_SECONDS = 5;

  /** Records what happened in order; a force can be held until the test lets it go. */
  private static final class RecordingStorage implements Journal.Storage {
    final List<String> events = new ArrayList<>();
    final CountDownLatch forcing = new CountDownLatch(1);
    volatile CountDownLatch release = new CountDownLatch(0);
    volatile boolean failForce;
    int forces;

    @Override
    public synchronized void write(ByteBuffer buffer) {
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      events.add("write " + new String(bytes, StandardCharsets.US_ASCII));
    }

    @Override
    public void force() throws IOException {
      forcing.countDown();
      try {
        assertTrue(release.await(WAIT_SECONDS, TimeUnit.SECONDS), "test never released the force");
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      synchronized (this) {
        if (failForce) {
          events.add("force failed");
          throw new IOException("disk gone");
        }
        forces++;
        events.add("force");
      }
    }

    synchronized void ack(String what) {
      events.add("ack " + what);
    }

    synchronized List<String> events() {
      return new ArrayList<>(events);
    }

    @Override
    public void close() {
    }
  }

  private static byte[] record(String name) {
    return name.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void writeThenForceThenAcknowledge() throws Exception {
    RecordingStorage storage = new RecordingStorage();
    Journal journal = Journal.over(storage);
    long seq = journal.append(record("a"));
    journal.durable(seq).thenRun(() -> storage.ack("a")).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(List.of("write a", "force", "ack a"), storage.events());
    // Already durable: acknowledged without another force.
    journal.durable(seq).thenRun(() -> storage.ack("a again")).get(WAIT_SECONDS, TimeUnit.SECONDS);
    assertEquals(1, storage.forces);
    CompletableFuture.runAsync(journal::close).get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void oneForceCoversEveryRecordReadyWhileTheLastOneRan() throws Exception {
    RecordingStorage storage = new RecordingStorage();
    storage.release = new CountDownLatch(1);
    Journal journal = Journal.over(storage);
    CompletableFuture<Void> first = journal.durable(journal.append(record("a"))).thenRun(() -> storage.ack("a"));
    assertTrue(storage.forcing.await(WAIT_SECONDS, TimeUnit.SECONDS));
    // While the force for "a" is held, five more registrations become ready.
    List<CompletableFuture<Void>> later = new ArrayList<>();
    for (String name : List.of("b", "c", "d", "e", "f")) {
      long seq = journal.append(record(name));
      later.add(journal.durable(seq).thenRun(() -> storage.ack(name)));
    }
    for (CompletableFuture<Void> f : later) {
      assertFalse(f.isDone(), "acknowledged before any force covered it");
    }
    storage.release.countDown();
    first.get(WAIT_SECONDS, TimeUnit.SECONDS);
    CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);

    List<String> events = storage.events();
    assertEquals(2, storage.forces, "one force for a, one for b..f together: " + events);
    int secondForce = events.lastIndexOf("force");
    for (String name : List.of("b", "c", "d", "e", "f")) {
      int written = events.indexOf("write " + name);
      int acked = events.indexOf("ack " + name);
      assertTrue(written < secondForce && secondForce < acked, name + ": " + events);
    }
    assertTrue(events.indexOf("force") < events.indexOf("ack a"), events.toString());
    CompletableFuture.runAsync(journal::close).get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  @Test
  void aFailedForceAcknowledgesNothingAndRefusesLaterWrites() throws Exception {
    RecordingStorage storage = new RecordingStorage();
    storage.failForce = true;
    Journal journal = Journal.over(storage);
    CompletableFuture<Void> acked = journal.durable(journal.append(record("a"))).thenRun(() -> storage.ack("a"));
    ExecutionException e = assertThrows(ExecutionException.class, () -> acked.get(WAIT_SECONDS, TimeUnit.SECONDS));
    assertTrue(e.getCause() instanceof IOException, e.toString());
    assertFalse(storage.events().contains("ack a"));
    assertThrows(IOException.class, () -> journal.append(record("b")));
    CompletableFuture.runAsync(journal::close).get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
