package org.p2pchat.peer.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps this peer's lease at the server (docs/registry.md): once a REGISTER_SUCCESS announced an interval,
 * sends a heartbeat at that interval while registered. When a heartbeat cannot be delivered (the server is
 * down or restarting), the next one that can is followed by a fresh REGISTER, so a server that lost the
 * registration gets it back (one that kept it answers REGISTER_ERROR, which leaves it standing). Its own
 * daemon thread; thread-safe.
 */
final class LeaseKeeper {
  /** The peer's side: whether it is registered, sending one heartbeat (true if delivered), registering. */
  interface Session {
    boolean registered();

    boolean heartbeat();

    void reregister();
  }

  /** The feature a REGISTER advertises to be given a lease. */
  static final String FEATURE = "lease";

  private final Session session;
  private ScheduledExecutorService timer;
  private ScheduledFuture<?> beating;
  private long intervalSeconds;
  private boolean lost;

  LeaseKeeper(Session session) {
    this.session = session;
  }

  /** A REGISTER_SUCCESS announced {@code interval} seconds (null: no lease, nothing to do). */
  synchronized void announced(Integer interval) {
    if (interval == null || interval < 1 || interval == intervalSeconds) {
      return;
    }
    if (timer == null) {
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "p2pchat-lease");
        t.setDaemon(true);
        return t;
      });
    }
    if (beating != null) {
      beating.cancel(false);
    }
    intervalSeconds = interval;
    beating = timer.scheduleWithFixedDelay(this::beat, interval, interval, TimeUnit.SECONDS);
  }

  /** One heartbeat, run by the timer (and by tests directly). */
  void beat() {
    if (!session.registered()) {
      return;
    }
    boolean delivered = session.heartbeat();
    boolean again;
    synchronized (this) {
      again = delivered && lost;
      lost = !delivered;
    }
    if (again) {
      session.reregister();
    }
  }

  synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
