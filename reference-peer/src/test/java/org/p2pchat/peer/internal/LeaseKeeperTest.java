package org.p2pchat.peer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.Test;

/** The peer's side of a lease, beat by beat: renew while registered, re-register once the server is back. */
class LeaseKeeperTest {
  /** A session whose heartbeats are delivered or not as the test says. */
  static final class FakeSession implements LeaseKeeper.Session {
    final Deque<Boolean> deliveries = new ArrayDeque<>();
    boolean registered = true;
    int heartbeats;
    int registers;

    @Override
    public boolean registered() {
      return registered;
    }

    @Override
    public boolean heartbeat() {
      heartbeats++;
      return deliveries.removeFirst();
    }

    @Override
    public void reregister() {
      registers++;
    }
  }

  @Test
  void renewsWhileRegisteredAndReRegistersOnceAfterTheServerWasUnreachable() {
    FakeSession session = new FakeSession();
    LeaseKeeper keeper = new LeaseKeeper(session);
    session.deliveries.addAll(java.util.List.of(true, true, false, false, true, true));

    keeper.beat();
    keeper.beat();
    assertEquals(0, session.registers);
    keeper.beat();
    keeper.beat();
    assertEquals(0, session.registers, "nothing to re-register with while the server is down");
    keeper.beat();
    assertEquals(1, session.registers, "back: register again, in case the server lost us");
    keeper.beat();
    assertEquals(1, session.registers);
    assertEquals(6, session.heartbeats);
  }

  @Test
  void sendsNothingWhileNotRegistered() {
    FakeSession session = new FakeSession();
    session.registered = false;
    LeaseKeeper keeper = new LeaseKeeper(session);

    keeper.beat();

    assertEquals(0, session.heartbeats);
    assertEquals(0, session.registers);
  }
}
