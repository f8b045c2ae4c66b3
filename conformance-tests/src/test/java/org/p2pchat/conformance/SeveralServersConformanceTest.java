package org.p2pchat.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.p2pchat.server.RendezvousServer;
import org.p2pchat.server.registry.RegistryUrl;

/**
 * The whole server suite against a two-server deployment on one PostgreSQL, with either server as the
 * target while the other runs on the same database. Like any run of the suite it starts from an empty
 * registry: each run gets a fresh database (one PostgreSQL for the class). Every case must PASS. The seed
 * is ReferenceConformanceTest's: the final case lists a fresh name to a 2018-style asker, whose reply is
 * cut to 1024 bytes, so how much earlier cases left registered (a matter of the seed) decides it on any
 * server, one or several.
 */
class SeveralServersConformanceTest {
  private static EmbeddedPostgres postgres;
  private static int databases;

  @TempDir
  Path sequences;

  @BeforeAll
  static void startDatabase() throws IOException {
    postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1")
        .setRegisterShutdownHook(true).start();
  }

  @AfterAll
  static void stopDatabase() throws IOException {
    postgres.close();
  }

  /** Two servers on a fresh database. */
  private static List<RendezvousServer> deploy() throws Exception {
    String name = "conformance_" + ++databases;
    try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    RegistryUrl url = RegistryUrl.parse("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + name
        + "?user=postgres", Map.of());
    List<RendezvousServer> servers = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      servers.add(RendezvousServer.builder().host("127.0.0.1").port(0).registry(url).build().start());
    }
    return servers;
  }

  @TestFactory
  Stream<DynamicTest> everyCasePassesWithTheFirstServerAsTarget() throws Exception {
    return everyCasePasses(deploy(), 0, 11);
  }

  @TestFactory
  Stream<DynamicTest> everyCasePassesWithTheSecondServerAsTarget() throws Exception {
    return everyCasePasses(deploy(), 1, 11);
  }

  private Stream<DynamicTest> everyCasePasses(List<RendezvousServer> servers, int target, long seed) {
    ConformanceSuite suite = Suites.fast(servers.get(target).address(), Role.SERVER, sequences).seed(seed).build();
    Session session = suite.open();
    return suite.cases().stream()
        .map(c -> dynamicTest(c.id(), () -> {
          CaseResult result = session.run(c);
          assertEquals(Verdict.PASS, result.verdict(), result::describe);
        }))
        .onClose(() -> {
          session.close();
          servers.forEach(s -> s.stop(Duration.ofSeconds(2)));
        });
  }
}
