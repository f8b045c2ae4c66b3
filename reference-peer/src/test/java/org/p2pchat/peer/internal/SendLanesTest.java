package org.p2pchat.peer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.p2pchat.protocol.HostPort;

/** Mesh frames out, one lane per neighbour: a neighbour that hangs holds up nobody else. */
@Timeout(30)
class SendLanesTest {
  private static final HostPort GHOST = new HostPort("localhost", 1);
  private static final HostPort YUUKA = new HostPort("localhost", 2);

  /** Sends to GHOST hang until released (a host gone without a reset); the rest go at once. */
  private final CountDownLatch ghostReleased = new CountDownLatch(1);
  private final Map<HostPort, List<Object>> sent = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
  private final List<String> failed = new CopyOnWriteArrayList<>();
  private volatile boolean ghostFails;
  private SendLanes lanes;

  private SendLanes lanes(int perLane, int total) {
    lanes = new SendLanes("test-send", 4, perLane, total, (to, message) -> {
      if (to.equals(GHOST)) {
        assertTrue(ghostReleased.await(20, TimeUnit.SECONDS));
        if (ghostFails) {
          throw new IOException("connect timed out");
        }
      }
      sent.computeIfAbsent(to, k -> new CopyOnWriteArrayList<>()).add(message);
      arrivals.add(message);
    }, (neighbour, error) -> failed.add(neighbour));
    return lanes;
  }

  @AfterEach
  void close() {
    ghostReleased.countDown();
    lanes.close();
  }

  @Test
  void aHangingNeighbourHoldsUpOnlyItsOwnLane() throws Exception {
    lanes(1_024, 10_000);
    for (int i = 0; i < 3; i++) {
      assertTrue(lanes.send("ghost", GHOST, "hello " + i));
    }
    assertTrue(lanes.send("yuuka", YUUKA, "data"));
    assertEquals("data", arrivals.poll(5, TimeUnit.SECONDS), "yuuka's frame waited behind ghost's");
    ghostReleased.countDown();
    for (int i = 0; i < 3; i++) {
      assertTrue(arrivals.poll(5, TimeUnit.SECONDS) != null);
    }
    assertEquals(List.of("hello 0", "hello 1", "hello 2"), sent.get(GHOST), "in order within a lane");
  }

  @Test
  void framesToOneNeighbourGoInOrder() throws Exception {
    lanes(1_024, 10_000);
    List<Object> expected = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      expected.add("frame " + i);
      assertTrue(lanes.send("yuuka", YUUKA, "frame " + i));
    }
    for (int i = 0; i < 500; i++) {
      assertTrue(arrivals.poll(5, TimeUnit.SECONDS) != null);
    }
    assertEquals(expected, sent.get(YUUKA));
  }

  @Test
  void aLaneAndAllLanesAreBounded() throws Exception {
    lanes(8, 12);
    for (int i = 0; i < 9; i++) {
      assertTrue(lanes.send("ghost", GHOST, "hello " + i), "one in flight and 8 waiting: " + i);
    }
    assertFalse(lanes.send("ghost", GHOST, "one too many"));
    // A second hanging neighbour may take what is left of the total, 12.
    for (int i = 0; i < 3; i++) {
      assertTrue(lanes.send("ghost2", GHOST, "hello " + i));
    }
    assertFalse(lanes.send("ghost2", GHOST, "one too many in all"));
    assertEquals(12, lanes.queued());
    ghostReleased.countDown();
    for (int i = 0; i < 12; i++) {
      assertTrue(arrivals.poll(5, TimeUnit.SECONDS) != null);
    }
    assertEquals(12, sent.get(GHOST).size());
    assertTrue(lanes.send("yuuka", YUUKA, "data"), "room again");
    assertEquals("data", arrivals.poll(5, TimeUnit.SECONDS));
  }

  @Test
  void aFailedSendEmptiesItsLaneAndIsReported() throws Exception {
    lanes(1_024, 10_000);
    ghostFails = true;
    for (int i = 0; i < 5; i++) {
      assertTrue(lanes.send("ghost", GHOST, "hello " + i));
    }
    ghostReleased.countDown();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (lanes.queued() > 0 || failed.isEmpty()) {
      assertTrue(System.nanoTime() < deadline, "the lane never emptied");
      java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
    }
    assertEquals(List.of("ghost"), failed, "one failure: what waited behind it was dropped");
    assertTrue(lanes.send("yuuka", YUUKA, "data"));
    assertEquals("data", arrivals.poll(5, TimeUnit.SECONDS));
  }
}
