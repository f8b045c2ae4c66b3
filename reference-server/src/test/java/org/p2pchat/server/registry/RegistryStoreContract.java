package org.p2pchat.server.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;

/**
 * What every {@link RegistryStore} promises, run against each implementation by a subclass. Time is
 * passed in (from {@link #T0}), never read.
 */
abstract class RegistryStoreContract {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final List<RegistryStore> opened = new ArrayList<>();

  /** A new empty store with {@code cap}; each call in one test returns a new store on the same data. */
  abstract RegistryStore open(int cap) throws Exception;

  RegistryStore store() throws Exception {
    return tracked(open(Integer.MAX_VALUE));
  }

  RegistryStore tracked(RegistryStore store) {
    opened.add(store);
    return store;
  }

  @AfterEach
  void closeStores() {
    opened.forEach(RegistryStore::close);
  }

  static HostPort at(int port) {
    return new HostPort("127.0.0.1", port);
  }

  static RegisterOutcome plain(RegistryStore store, String name, int port) throws RegistryUnavailable {
    return store.register(name, at(port), null, null);
  }

  static List<String> names(List<Registration> registrations) {
    return registrations.stream().map(Registration::name).collect(Collectors.toList());
  }

  @Test
  void listsRegistrationsOldestFirstWithGrowingPositions() throws Exception {
    RegistryStore store = store();
    for (String name : List.of("carol", "alice", "bob")) {
      assertTrue(plain(store, name, 4000 + name.length()).registered(), name);
    }
    List<Registration> all = store.list();
    assertEquals(List.of("carol", "alice", "bob"), names(all));
    assertTrue(all.get(0).position() < all.get(1).position() && all.get(1).position() < all.get(2).position());
    assertEquals(3, store.size());
    assertEquals(at(4005), store.lookup("alice").orElseThrow().address());
  }

  @Test
  void refusesATakenNameAndReportsItsHolder() throws Exception {
    RegistryStore store = store();
    Registration first = ((RegisterOutcome.Registered) plain(store, "alice", 4000)).registration();
    RegisterOutcome second = plain(store, "alice", 5000);
    assertEquals(new RegisterOutcome.Taken(first), second);
    assertEquals(at(4000), store.lookup("alice").orElseThrow().address());
    assertEquals(1, store.size());
    // Names are exact: another case is another name.
    assertTrue(plain(store, "Alice", 5000).registered());
  }

  @Test
  void removeFreesTheNameAndReturnsWhatWasThere() throws Exception {
    RegistryStore store = store();
    plain(store, "alice", 4000);
    plain(store, "bob", 4001);
    assertEquals(at(4000), store.remove("alice").orElseThrow().address());
    assertTrue(store.remove("alice").isEmpty());
    assertTrue(store.lookup("alice").isEmpty());
    assertEquals(List.of("bob"), names(store.list()));
    RegisterOutcome again = plain(store, "alice", 4002);
    assertTrue(again.registered());
    // A name registered again goes to the end of the order.
    assertEquals(List.of("bob", "alice"), names(store.list()));
  }

  @Test
  void removeIfAtLeavesANewerRegistrationElsewhere() throws Exception {
    RegistryStore store = store();
    plain(store, "alice", 4000);
    assertFalse(store.removeIfAt("alice", at(4999)));
    assertFalse(store.removeIfAt("alice", new HostPort("localhost", 4000)), "host compared exactly");
    assertTrue(store.lookup("alice").isPresent());
    assertTrue(store.removeIfAt("alice", at(4000)));
    assertFalse(store.removeIfAt("alice", at(4000)));
    plain(store, "alice", 5000);
    assertFalse(store.removeIfAt("alice", at(4000)), "the old address no longer holds the name");
    assertEquals(at(5000), store.lookup("alice").orElseThrow().address());
  }

  @Test
  void pagesThroughEveryRegistrationInOrder() throws Exception {
    RegistryStore store = store();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      plain(store, "peer" + i, 4000 + i);
      expected.add("peer" + i);
    }
    List<String> seen = new ArrayList<>();
    long cursor = 0;
    int pages = 0;
    while (true) {
      Page page = store.page(cursor, 3);
      pages++;
      assertTrue(page.entries().size() <= 3);
      seen.addAll(names(page.entries()));
      if (!page.more()) {
        break;
      }
      cursor = page.next().getAsLong();
    }
    assertEquals(expected, seen);
    assertEquals(4, pages);
    Page exact = store.page(0, 10);
    assertEquals(10, exact.entries().size());
    assertFalse(exact.more(), "no more after the last one");
    assertTrue(exact.next().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> store.page(0, 0));
  }

  @Test
  void removalsBetweenPagesNeitherRepeatNorSkipOthers() throws Exception {
    RegistryStore store = store();
    for (int i = 0; i < 6; i++) {
      plain(store, "peer" + i, 4000 + i);
    }
    Page first = store.page(0, 2);
    assertEquals(List.of("peer0", "peer1"), names(first.entries()));
    store.remove("peer1");
    store.remove("peer2");
    plain(store, "late", 4100);
    Page second = store.page(first.next().getAsLong(), 2);
    assertEquals(List.of("peer3", "peer4"), names(second.entries()));
    Page third = store.page(second.next().getAsLong(), 2);
    assertEquals(List.of("peer5", "late"), names(third.entries()));
    assertFalse(third.more());
  }

  @Test
  void leasesExpireAtTheirInstantAndNotBefore() throws Exception {
    RegistryStore store = store();
    store.register("leased", at(4000), null, T0.plusSeconds(90));
    store.register("later", at(4001), null, T0.plusSeconds(120));
    plain(store, "legacy", 4002);
    assertEquals(List.of(), store.expire(T0.plusSeconds(89)));
    List<Registration> expired = store.expire(T0.plusSeconds(90));
    assertEquals(List.of("leased"), names(expired));
    assertEquals(T0.plusSeconds(90), expired.get(0).leaseExpiry().orElseThrow());
    assertTrue(store.lookup("leased").isEmpty());
    assertEquals(List.of("later", "legacy"), names(store.list()));
    assertEquals(List.of("later"), names(store.expire(T0.plusSeconds(10_000))));
    assertEquals(List.of("legacy"), names(store.list()), "a registration without a lease never expires");
    assertTrue(plain(store, "leased", 4003).registered(), "an expired name is free again");
  }

  @Test
  void renewingPushesTheExpiryBack() throws Exception {
    RegistryStore store = store();
    store.register("alice", at(4000), null, T0.plusSeconds(90));
    plain(store, "bob", 4001);
    assertTrue(store.renew("alice", T0.plusSeconds(180)));
    assertEquals(List.of(), store.expire(T0.plusSeconds(100)));
    assertEquals(T0.plusSeconds(180), store.lookup("alice").orElseThrow().leaseExpiry().orElseThrow());
    assertFalse(store.renew("nobody", T0.plusSeconds(180)));
    assertTrue(store.renew("bob", T0.plusSeconds(60)), "a renewal gives a lease to one that had none");
    assertEquals(List.of("alice", "bob"), names(store.expire(T0.plusSeconds(180))), "oldest first");
    assertEquals(0, store.size());
  }

  @Test
  void aRenewalRacingAnExpiryEitherWinsOrReportsTheNameGone() throws Exception {
    RegistryStore store = store();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 50; round++) {
        String name = "lease" + round;
        store.register(name, at(4000), null, T0.plusSeconds(10));
        CyclicBarrier start = new CyclicBarrier(2);
        Future<Boolean> renewed = pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return store.renew(name, T0.plusSeconds(1000));
        });
        Future<List<Registration>> expired = pool.submit(() -> {
          start.await(10, TimeUnit.SECONDS);
          return store.expire(T0.plusSeconds(10));
        });
        boolean wasRenewed = renewed.get(30, TimeUnit.SECONDS);
        boolean wasExpired = names(expired.get(30, TimeUnit.SECONDS)).contains(name);
        assertTrue(wasRenewed ^ wasExpired, name + ": renewed " + wasRenewed + ", expired " + wasExpired);
        assertEquals(wasRenewed, store.lookup(name).isPresent(), name);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void keepsTheKeyARegistrationCameWith() throws Exception {
    RegistryStore store = store();
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (i * 7 - 100);
    }
    Registration registered = ((RegisterOutcome.Registered) store.register("alice", at(4000), key, null))
        .registration();
    key[0] = 1;
    byte[] stored = store.lookup("alice").orElseThrow().publicKey().orElseThrow();
    assertEquals((byte) -100, stored[0], "the store copied the key");
    assertArrayEquals(registered.publicKey().orElseThrow(), stored);
    assertEquals(registered, store.lookup("alice").orElseThrow());
    assertTrue(store.list().get(0).publicKey().isPresent());
    plain(store, "legacy", 4001);
    assertTrue(store.lookup("legacy").orElseThrow().publicKey().isEmpty());
  }

  @Test
  void refusesNewNamesWhenFullButStillReportsTakenOnes() throws Exception {
    RegistryStore store = tracked(open(3));
    assertEquals(3, store.cap());
    for (int i = 0; i < 3; i++) {
      assertTrue(plain(store, "peer" + i, 4000 + i).registered());
    }
    assertEquals(new RegisterOutcome.Full(3), plain(store, "one-more", 4100));
    assertInstanceOf(RegisterOutcome.Taken.class, plain(store, "peer1", 4200));
    assertTrue(store.lookup("one-more").isEmpty());
    assertEquals(3, store.size());
    store.remove("peer0");
    assertTrue(plain(store, "one-more", 4100).registered(), "room again after a removal");
    assertEquals(new RegisterOutcome.Full(3), plain(store, "another", 4101));
  }

  @Test
  void exactlyOneOfManyConcurrentRegistrationsOfOneNameWins() throws Exception {
    RegistryStore store = store();
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 20; round++) {
        String name = "race" + round;
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<RegisterOutcome>> outcomes = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int port = 5000 + t;
          outcomes.add(pool.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            return plain(store, name, port);
          }));
        }
        int wins = 0;
        Registration winner = null;
        List<RegisterOutcome> all = new ArrayList<>();
        for (Future<RegisterOutcome> f : outcomes) {
          RegisterOutcome o = f.get(30, TimeUnit.SECONDS);
          all.add(o);
          if (o instanceof RegisterOutcome.Registered) {
            wins++;
            winner = ((RegisterOutcome.Registered) o).registration();
          }
        }
        assertEquals(1, wins, name + ": " + all);
        for (RegisterOutcome o : all) {
          if (!o.registered()) {
            assertEquals(new RegisterOutcome.Taken(winner), o, name);
          }
        }
        assertEquals(winner, store.lookup(name).orElseThrow());
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(20, store.size());
  }

  @Test
  void whatWasAcknowledgedSurvivesReopening() throws Exception {
    RegistryStore first = open(Integer.MAX_VALUE);
    plain(first, "carol", 4000);
    plain(first, "alice", 4001);
    plain(first, "bob", 4002);
    first.remove("alice");
    first.close();
    RegistryStore second = tracked(open(Integer.MAX_VALUE));
    assertEquals(List.of("carol", "bob"), names(second.list()));
    assertEquals(at(4002), second.lookup("bob").orElseThrow().address());
    assertInstanceOf(RegisterOutcome.Taken.class, plain(second, "carol", 4999));
    assertTrue(plain(second, "dave", 4003).registered());
    assertEquals(List.of("carol", "bob", "dave"), names(second.list()));
  }

  @Test
  void refusesNamesNeitherStoreCanHold() throws Exception {
    RegistryStore store = store();
    assertThrows(IllegalArgumentException.class, () -> plain(store, "nul\0name", 4000));
    assertThrows(IllegalArgumentException.class, () -> plain(store, "", 4000));
    assertThrows(NullPointerException.class, () -> store.register("x", null, null, null));
    assertThrows(IllegalArgumentException.class, () -> plain(store, "port0", 0));
    assertThrows(IllegalArgumentException.class, () -> plain(store, "port65536", 65536));
    assertThrows(IllegalArgumentException.class, () -> store.register("nohost", new HostPort("", 4000), null, null));
    assertEquals(0, store.size());
    assertTrue(plain(store, "next", 4000).registered(), "the next valid registration is served");
  }

  @Test
  void aClosedStoreAnswersNothing() throws Exception {
    RegistryStore store = open(Integer.MAX_VALUE);
    plain(store, "alice", 4000);
    store.close();
    store.close();
    assertThrows(IllegalStateException.class, () -> plain(store, "bob", 4001));
    assertThrows(IllegalStateException.class, () -> store.lookup("alice"));
    assertThrows(IllegalStateException.class, store::list);
  }
}
