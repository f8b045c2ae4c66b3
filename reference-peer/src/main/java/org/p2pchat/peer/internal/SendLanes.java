package org.p2pchat.peer.internal;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.p2pchat.protocol.HostPort;

/**
 * Mesh frames out, one lane per neighbour: the frames for one neighbour are sent in order, one at a time, on a
 * thread of their own while the lane has any. A neighbour whose connections hang until the connect timeout (its
 * host crashed or left the network, no reset comes back) so holds up its own lane only; with one queue for all, the
 * hellos and relayed frames for everybody else waited behind it, and the others took this peer for dead.
 * Bounded: at most {@code perLane} frames wait in a lane and {@code total} in all (beyond, a frame is refused: the
 * core's retries and its flood cover a lost one); a failed send empties its lane (the caller links that neighbour
 * down, so what waited there is moot).
 */
final class SendLanes implements AutoCloseable {
  /** Sends one message; blocks until it is handed to the kernel or fails. */
  interface Transport {
    void send(HostPort to, Object message) throws Exception;
  }

  /** Told of each failed send, on the lane's thread. */
  interface Failure {
    void failed(String neighbour, Exception error);
  }

  private record Item(HostPort to, Object message) {}

  private final Transport transport;
  private final Failure failure;
  private final int perLane;
  private final int total;
  private final ThreadPoolExecutor threads;
  /** Lanes with frames waiting or being sent; guarded by this. */
  private final Map<String, ArrayDeque<Item>> lanes = new HashMap<>();
  private int queued;

  /** At most {@code maxThreads} lanes send at once (one per neighbour is enough); idle threads end after 30 s. */
  SendLanes(String name, int maxThreads, int perLane, int total, Transport transport, Failure failure) {
    this.transport = transport;
    this.failure = failure;
    this.perLane = perLane;
    this.total = total;
    AtomicInteger n = new AtomicInteger();
    this.threads = new ThreadPoolExecutor(maxThreads, maxThreads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, name + "-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    threads.allowCoreThreadTimeOut(true);
  }

  int perLane() {
    return perLane;
  }

  /** Queues {@code message} for {@code neighbour} at {@code to}; false if it was refused (lane or lanes full). */
  boolean send(String neighbour, HostPort to, Object message) {
    synchronized (this) {
      ArrayDeque<Item> lane = lanes.get(neighbour);
      boolean idle = lane == null;
      if (idle) {
        lane = new ArrayDeque<>();
      }
      // The frame being sent stays at the head of its lane until it is done, so it counts.
      if (lane.size() > perLane || queued >= total) {
        return false;
      }
      lane.addLast(new Item(to, message));
      queued++;
      if (!idle) {
        return true; // the lane's thread takes it in turn
      }
      lanes.put(neighbour, lane);
    }
    try {
      threads.execute(() -> drain(neighbour));
    } catch (RejectedExecutionException e) {
      // closing
    }
    return true;
  }

  private void drain(String neighbour) {
    while (true) {
      Item item;
      synchronized (this) {
        ArrayDeque<Item> lane = lanes.get(neighbour);
        item = lane == null ? null : lane.peekFirst();
        if (item == null) {
          lanes.remove(neighbour);
          return;
        }
      }
      Exception error = null;
      try {
        transport.send(item.to(), item.message());
      } catch (Exception e) {
        error = e;
      }
      synchronized (this) {
        ArrayDeque<Item> lane = lanes.get(neighbour);
        int drop = error == null ? 1 : lane.size();
        for (int i = 0; i < drop; i++) {
          lane.pollFirst();
        }
        queued -= drop;
      }
      if (error != null) {
        failure.failed(neighbour, error);
      }
    }
  }

  /** Frames waiting in all lanes (those being sent included). */
  synchronized int queued() {
    return queued;
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
