package org.p2pchat.server.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;

/**
 * Two stores with their own pools on one database, as two rendezvous servers: the database, not luck,
 * decides every race.
 */
class PostgresSharedRegistryTest {
  private static final Instant T0 = RegistryStoreContract.T0;
  private static EmbeddedPg pg;
  private String database;
  private final List<RegistryStore> opened = new ArrayList<>();
  private ExecutorService threads;

  @BeforeAll
  static void startPostgres() {
    pg = EmbeddedPg.start();
  }

  @AfterAll
  static void stopPostgres() {
    pg.close();
  }

  @BeforeEach
  void setUp() {
    database = pg.createDatabase();
    threads = Executors.newFixedThreadPool(4);
  }

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
    opened.forEach(RegistryStore::close);
  }

  private RegistryStore server(int cap) throws RegistryOpenException {
    RegistryStore store = RegistryStores.open(pg.parsed(database),
        RegistryOptions.defaults().withCap(cap).withPoolSize(3));
    opened.add(store);
    return store;
  }

  private static HostPort at(int port) {
    return new HostPort("127.0.0.1", port);
  }

  @Test
  void exactlyOneServerWinsEachRaceForAFreeName() throws Exception {
    RegistryStore a = server(Integer.MAX_VALUE);
    RegistryStore b = server(Integer.MAX_VALUE);
    int rounds = 200;
    int winsA = 0;
    for (int round = 0; round < rounds; round++) {
      String name = "race" + round;
      CyclicBarrier start = new CyclicBarrier(2);
      Future<RegisterOutcome> fa = threads.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        return a.register(name, at(4000), null, null);
      });
      Future<RegisterOutcome> fb = threads.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        return b.register(name, at(5000), null, null);
      });
      RegisterOutcome oa = fa.get(30, TimeUnit.SECONDS);
      RegisterOutcome ob = fb.get(30, TimeUnit.SECONDS);
      assertTrue(oa.registered() ^ ob.registered(), name + ": " + oa + " / " + ob);
      RegisterOutcome winner = oa.registered() ? oa : ob;
      RegisterOutcome loser = oa.registered() ? ob : oa;
      assertEquals(new RegisterOutcome.Taken(((RegisterOutcome.Registered) winner).registration()), loser, name);
      winsA += oa.registered() ? 1 : 0;
    }
    assertEquals(rounds, a.size());
    assertEquals(rounds, b.list().size());
    // Not asserted (it is up to the scheduler), but shown: both servers do win races.
    System.out.println("server A won " + winsA + " of " + rounds + " races");
  }

  @Test
  void everyServerListsEveryRegistrationInOneOrder() throws Exception {
    RegistryStore a = server(Integer.MAX_VALUE);
    RegistryStore b = server(Integer.MAX_VALUE);
    List<Future<?>> writers = new ArrayList<>();
    for (RegistryStore s : List.of(a, b)) {
      String prefix = s == a ? "a" : "b";
      writers.add(threads.submit(() -> {
        for (int i = 0; i < 100; i++) {
          s.register(prefix + i, at(4000 + i), null, null);
        }
        return null;
      }));
    }
    for (Future<?> w : writers) {
      w.get(60, TimeUnit.SECONDS);
    }
    List<Registration> fromA = a.list();
    assertEquals(200, fromA.size());
    assertEquals(fromA, b.list());
    List<Registration> paged = new ArrayList<>();
    long cursor = 0;
    Page page;
    do {
      page = b.page(cursor, 64);
      paged.addAll(page.entries());
      cursor = page.next().orElse(cursor);
    } while (page.more());
    assertEquals(fromA, paged, "paging from the other server walks the same order");
  }

  @Test
  void anExitAtOneServerIsSeenAtTheOther() throws Exception {
    RegistryStore a = server(Integer.MAX_VALUE);
    RegistryStore b = server(Integer.MAX_VALUE);
    a.register("alice", at(4000), null, null);
    assertTrue(b.lookup("alice").isPresent());
    assertTrue(b.remove("alice").isPresent());
    assertTrue(a.lookup("alice").isEmpty());
    assertTrue(a.register("alice", at(4001), null, null).registered(), "free again at both");
  }

  @Test
  void theCapHoldsAcrossServersRacingToFillIt() throws Exception {
    RegistryStore a = server(20);
    RegistryStore b = server(20);
    List<Future<Integer>> writers = new ArrayList<>();
    for (RegistryStore s : List.of(a, b)) {
      String prefix = s == a ? "a" : "b";
      writers.add(threads.submit(() -> {
        int registered = 0;
        for (int i = 0; i < 20; i++) {
          RegisterOutcome o = s.register(prefix + i, at(4000 + i), null, null);
          registered += o.registered() ? 1 : 0;
        }
        return registered;
      }));
    }
    int total = writers.get(0).get(60, TimeUnit.SECONDS) + writers.get(1).get(60, TimeUnit.SECONDS);
    assertEquals(20, total);
    assertEquals(20, a.size());
    assertEquals(20, b.list().size());
  }

  @Test
  void eachExpiredRegistrationGoesToExactlyOneServer() throws Exception {
    RegistryStore a = server(Integer.MAX_VALUE);
    RegistryStore b = server(Integer.MAX_VALUE);
    for (int i = 0; i < 60; i++) {
      a.register("leased" + i, at(4000 + i), null, T0.plusSeconds(i % 2 == 0 ? 10 : 1000));
    }
    b.register("legacy", at(5000), null, null);
    CyclicBarrier start = new CyclicBarrier(2);
    Future<List<Registration>> ea = threads.submit(() -> {
      start.await(10, TimeUnit.SECONDS);
      return a.expire(T0.plusSeconds(10));
    });
    Future<List<Registration>> eb = threads.submit(() -> {
      start.await(10, TimeUnit.SECONDS);
      return b.expire(T0.plusSeconds(10));
    });
    Set<String> seen = new HashSet<>();
    int returned = 0;
    for (Future<List<Registration>> f : List.of(ea, eb)) {
      for (Registration r : f.get(30, TimeUnit.SECONDS)) {
        seen.add(r.name());
        returned++;
      }
    }
    assertEquals(30, returned, "no registration returned twice");
    assertEquals(30, seen.size());
    assertEquals(31, b.size());
  }

  @Test
  void serversStartingTogetherApplyTheMigrationsOnce() throws Exception {
    int servers = 4;
    CyclicBarrier start = new CyclicBarrier(servers);
    List<Future<RegistryStore>> starting = new ArrayList<>();
    for (int i = 0; i < servers; i++) {
      starting.add(threads.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        return server(Integer.MAX_VALUE);
      }));
    }
    for (Future<RegistryStore> f : starting) {
      assertTrue(f.get(60, TimeUnit.SECONDS).register("s" + starting.indexOf(f), at(4000), null, null).registered());
    }
    try (Connection c = java.sql.DriverManager.getConnection(pg.url(database));
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, count(*) FROM schema_version GROUP BY version ORDER BY 1")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(rs.getInt(1) + "x" + rs.getInt(2));
      }
      assertEquals(List.of("1x1", "2x1"), rows, "each bundled migration applied once");
    }
  }

  @Test
  void theCountAndSoTheCapFollowAnOperatorsDeleteAndTruncate() throws Exception {
    RegistryStore store = server(2);
    store.register("a", at(4000), null, null);
    store.register("b", at(4001), null, null);
    assertEquals(new RegisterOutcome.Full(2), store.register("c", at(4002), null, null));
    pg.sqlIn(database, "DELETE FROM registration WHERE name = 'a'");
    assertEquals(1, store.size());
    assertTrue(store.register("c", at(4002), null, null).registered());
    pg.sqlIn(database, "TRUNCATE registration");
    assertEquals(0, store.size());
    assertTrue(store.register("d", at(4003), null, null).registered());
    assertTrue(store.register("e", at(4004), null, null).registered());
    assertEquals(new RegisterOutcome.Full(2), store.register("f", at(4005), null, null));
  }
}
