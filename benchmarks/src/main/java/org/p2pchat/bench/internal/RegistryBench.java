package org.p2pchat.bench.internal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.model.ListpeerReply;
import org.p2pchat.protocol.model.ListpeerRequest;
import org.p2pchat.protocol.model.Register;
import org.p2pchat.protocol.model.RegisterError;
import org.p2pchat.protocol.model.RegisterSuccess;
import org.p2pchat.sdk.Dispatcher;
import org.p2pchat.sdk.Node;
import org.p2pchat.server.registry.Page;
import org.p2pchat.server.registry.RegistryOptions;
import org.p2pchat.server.registry.RegistryStore;
import org.p2pchat.server.registry.RegistryStores;
import org.p2pchat.server.registry.RegistryUrl;

/**
 * Several reference servers on one PostgreSQL (docs/registry.md): REGISTER round trips per second and
 * LISTPEER latency with 1, 2 and 3 server processes on one database (an embedded PostgreSQL 14 started
 * here), the memory (RSS) of each server, and with 100,000 registrations the latency of a registry page
 * and of a whole LISTPEER. One Java load generator (an SDK node) drives every server at once; on a
 * 2-core machine the point is correctness and the shape of the curve, not a record.
 */
public final class RegistryBench {
  public static final String SECTION = "registry";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final int OUTSTANDING_PER_SERVER = 8;

  private final BenchContext ctx;
  private final Settings settings;
  private final Results results;

  public RegistryBench(BenchContext ctx) {
    this.ctx = ctx;
    this.settings = ctx.settings();
    this.results = ctx.results();
  }

  public void run() throws Exception {
    Optional<Path> jar = ProjectRoot.runnableJar(settings.root(), "reference-server");
    if (jar.isEmpty()) {
      results.note("registry: skipped, no reference-server jar (build the project first)");
      return;
    }
    Duration runTime = settings.quick() ? Duration.ofSeconds(3) : settings.runTime();
    int big = settings.quick() ? 20_000 : 100_000;
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("max_connections", "60").start()) {
      List<List<String>> rows = new ArrayList<>();
      long wrong = 0;
      for (int servers = 1; servers <= 3; servers++) {
        String db = "bench_" + servers;
        sql(pg, "postgres", "CREATE DATABASE " + db);
        String url = url(pg, db);
        List<ChildProcess> started = new ArrayList<>();
        try {
          List<HostPort> addresses = new ArrayList<>();
          for (int i = 0; i < servers; i++) {
            ChildProcess server = ReferenceApp.start("registry-server-" + servers + "-" + i, jar.get(), "server",
                List.of("--host", "127.0.0.1", "--port", "0", "--exempt-source", "127.0.0.1", "--max-peers", "10000000",
                    "--registry", url, "--identity",
                    settings.out().resolve("registry-bench-identity").toString()), settings.logDir());
            started.add(server);
            addresses.add(server.awaitListening(START_TIMEOUT));
          }
          // A fresh server is cold (class loading, JIT, the pool's first connections): warm it first.
          register(addresses, settings.quick() ? Duration.ofSeconds(4) : Duration.ofSeconds(10), "w" + servers);
          Load load = register(addresses, runTime, "s" + servers);
          wrong += load.errors;
          double latency = listpeerMillis(addresses, settings.quick() ? 5 : 20);
          long rss = 0;
          for (ChildProcess p : started) {
            rss = Math.max(rss, p.rssKb());
          }
          String param = Integer.toString(servers);
          results.add(Measurement.of(SECTION, "register", param, "rate", "rt/s", load.rate));
          results.add(Measurement.of(SECTION, "listpeer", param, "latency", "ms", latency));
          results.add(Measurement.of(SECTION, "server-rss", param, "memory", "MiB", rss / 1024.0));
          rows.add(List.of(param, Format.num("%,.0f", load.rate), String.format("%,d", load.done),
              Format.num("%.1f", latency), Format.num("%.0f", rss / 1024.0)));
          ctx.progress().printf("registry: %d server(s): %,.0f REGISTER rt/s, LISTPEER %.1f ms over %,d, RSS %,d MiB%n",
              servers, load.rate, latency, load.done, rss / 1024);
        } finally {
          for (ChildProcess p : started) {
            p.close();
          }
        }
      }
      results.check("registry: no REGISTER of a fresh name was refused", wrong == 0, wrong + " REGISTER_ERROR");
      results.table(new Table("registry-servers", "Several servers on one PostgreSQL",
          List.of("servers", "REGISTER rt/s (all servers)", "registered", "LISTPEER ms (median)", "RSS MiB (largest)"),
          rows, "after a warm-up; one Java load generator, " + OUTSTANDING_PER_SERVER + " outstanding per server for "
              + Format.num("%.1f s", runTime.toMillis() / 1e3) + "; LISTPEER lists every registration made "
              + "(median of a few); PostgreSQL and the servers share this machine"));
      bigRegistry(pg, jar.get(), big);
    }
  }

  private record Load(double rate, long done, long errors) {}

  /** REGISTERs of fresh names spread over {@code servers}, a window per server, for {@code time}. */
  private Load register(List<HostPort> servers, Duration time, String tag) throws Exception {
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    Semaphore window = new Semaphore(OUTSTANDING_PER_SERVER * servers.size());
    Dispatcher dispatcher = new Dispatcher()
        .on(RegisterSuccess.class, (m, c) -> {
          done.incrementAndGet();
          window.release();
        })
        .on(RegisterError.class, (m, c) -> {
          errors.incrementAndGet();
          window.release();
        });
    try (Node node = Node.builder().name("registry-bench").host("127.0.0.1").port(0).workerThreads(2)
        .sendThreads(16).dispatcher(dispatcher).build().start()) {
      HostPort me = node.address();
      long end = System.nanoTime() + time.toNanos();
      long start = System.nanoTime();
      long sent = 0;
      while (System.nanoTime() < end) {
        if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
          continue;
        }
        HostPort target = servers.get((int) (sent % servers.size()));
        node.sendAsync(target, new Register().withPeername(tag + "-" + sent).withHost(me.host())
            .withPort(me.port())).whenComplete((ok, e) -> {
              if (e != null) {
                window.release();
              }
            });
        sent++;
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long counted = done.get();
      // Let the last replies land before the node closes.
      window.tryAcquire(OUTSTANDING_PER_SERVER * servers.size(), 5, TimeUnit.SECONDS);
      return new Load(counted / seconds, done.get(), errors.get());
    }
  }

  /** Median milliseconds from LISTPEER sent to its whole reply received, asking each server in turn. */
  private double listpeerMillis(List<HostPort> servers, int times) throws Exception {
    BlockingQueue<Long> arrivals = new ArrayBlockingQueue<>(4);
    Dispatcher dispatcher = new Dispatcher()
        .on(RegisterSuccess.class, (m, c) -> arrivals.offer(0L))
        .on(ListpeerReply.class, (m, c) -> arrivals.offer(System.nanoTime()));
    try (Node node = Node.builder().name("registry-bench-asker").host("127.0.0.1").port(0)
        .maxMessageBytes(64 * 1024 * 1024).readTimeout(Duration.ofSeconds(60)).dispatcher(dispatcher).build()
        .start()) {
      HostPort me = node.address();
      String name = "asker-" + System.nanoTime();
      node.send(servers.get(0), new Register().withPeername(name).withHost(me.host()).withPort(me.port())
          .withFeatures(java.util.Set.of("lease")));
      if (arrivals.poll(30, TimeUnit.SECONDS) == null) {
        throw new IOException("no REGISTER_SUCCESS for the LISTPEER asker");
      }
      List<Double> samples = new ArrayList<>();
      for (int i = 0; i < times; i++) {
        long sent = System.nanoTime();
        node.send(servers.get(i % servers.size()), new ListpeerRequest().withPeername(name));
        Long at = arrivals.poll(60, TimeUnit.SECONDS);
        if (at == null) {
          throw new IOException("no LISTPEER reply within 60 s");
        }
        samples.add((at - sent) / 1e6);
      }
      return Measurement.of(SECTION, "listpeer", "samples", "latency", "ms",
          samples.stream().mapToDouble(Double::doubleValue).toArray()).median();
    }
  }

  /** {@code count} registrations: a registry page through the store, and a whole LISTPEER through a server. */
  private void bigRegistry(EmbeddedPostgres pg, Path jar, int count) throws Exception {
    String db = "bench_big";
    sql(pg, "postgres", "CREATE DATABASE " + db);
    String url = url(pg, db);
    RegistryUrl parsed = RegistryUrl.parse(url, Map.of());
    try (RegistryStore store = RegistryStores.open(parsed, RegistryOptions.defaults().withPoolSize(2))) {
      // Rows straight into the table: the server's own REGISTER path is measured above.
      sql(pg, db, "INSERT INTO registration (name, host, port) SELECT 'p' || g, '127.0.0.1', 1024 + g % 60000 "
          + "FROM generate_series(1, " + count + ") g");
      List<Double> page = new ArrayList<>();
      long after = 0;
      for (int i = 0; i < 50; i++) {
        long t = System.nanoTime();
        Page p = store.page(after, 100);
        page.add((System.nanoTime() - t) / 1e6);
        after = p.next().orElse(0);
      }
      double pageMs = Measurement.of(SECTION, "page", "x", "latency", "ms",
          page.stream().mapToDouble(Double::doubleValue).toArray()).median();
      long t = System.nanoTime();
      int listed = store.list().size();
      double listMs = (System.nanoTime() - t) / 1e6;
      ChildProcess server = ReferenceApp.start("registry-server-big", jar, "server", List.of("--host", "127.0.0.1",
          "--port", "0", "--exempt-source", "127.0.0.1", "--max-peers", "10000000", "--registry", url, "--identity", settings.out().resolve("registry-bench-identity")
              .toString()), settings.logDir());
      double wireMs;
      long rss;
      try {
        HostPort address = server.awaitListening(START_TIMEOUT);
        wireMs = listpeerMillis(List.of(address), 3);
        rss = server.rssKb();
      } finally {
        server.close();
      }
      String param = Integer.toString(count);
      results.add(Measurement.of(SECTION, "page-100", param, "latency", "ms", pageMs));
      results.add(Measurement.of(SECTION, "list-store", param, "latency", "ms", listMs));
      results.add(Measurement.of(SECTION, "listpeer-wire", param, "latency", "ms", wireMs));
      results.add(Measurement.of(SECTION, "server-rss-big", param, "memory", "MiB", rss / 1024.0));
      results.table(new Table("registry-big", "PostgreSQL registry with " + String.format("%,d", count) + " registrations",
          List.of("page of 100 (store) ms", "whole list (store) ms", "LISTPEER over the wire ms", "server RSS MiB"),
          List.of(List.of(Format.num("%.2f", pageMs), Format.num("%.0f", listMs), Format.num("%.0f", wireMs),
              Format.num("%.0f", rss / 1024.0))),
          "median of 50 pages walked from the start; the whole list read once; LISTPEER median of 3, reply of "
              + String.format("%,d", listed) + " peers"));
      ctx.progress().printf("registry: %,d registrations: page %.2f ms, list %.0f ms, LISTPEER %.0f ms, RSS %,d MiB%n",
          count, pageMs, listMs, wireMs, rss / 1024);
    }
  }

  private static String url(EmbeddedPostgres pg, String db) {
    return "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + db + "?user=postgres";
  }

  private static void sql(EmbeddedPostgres pg, String db, String statement) throws Exception {
    try (Connection c = pg.getDatabase("postgres", db).getConnection(); Statement s = c.createStatement()) {
      s.execute(statement);
    }
  }
}
