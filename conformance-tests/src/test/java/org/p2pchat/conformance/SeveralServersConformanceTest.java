package org.p2pchat.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
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
 * The whole server suite against a two-server deployment on one PostgreSQL: once with the first server
 * as the target and once with the second, both running throughout, so the second run meets whatever
 * the first left in the shared registry. Every case must PASS either way.
 */
class SeveralServersConformanceTest {
  private static EmbeddedPostgres postgres;
  private static List<RendezvousServer> servers;

  @TempDir
  Path sequences;

  @BeforeAll
  static void deploy() throws Exception {
    postgres = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1")
        .setRegisterShutdownHook(true).start();
    RegistryUrl url = RegistryUrl.parse("jdbc:postgresql://127.0.0.1:" + postgres.getPort()
        + "/postgres?user=postgres", Map.of());
    servers = List.of(start(url), start(url));
  }

  private static RendezvousServer start(RegistryUrl url) throws IOException {
    return RendezvousServer.builder().host("127.0.0.1").port(0).registry(url).build().start();
  }

  @AfterAll
  static void tearDown() throws IOException {
    if (servers != null) {
      servers.forEach(s -> s.stop(Duration.ofSeconds(2)));
    }
    postgres.close();
  }

  @TestFactory
  Stream<DynamicTest> everyCasePassesWithTheFirstServerAsTarget() {
    return everyCasePasses(servers.get(0), 21);
  }

  @TestFactory
  Stream<DynamicTest> everyCasePassesWithTheSecondServerAsTarget() {
    return everyCasePasses(servers.get(1), 22);
  }

  private Stream<DynamicTest> everyCasePasses(RendezvousServer target, long seed) {
    ConformanceSuite suite = Suites.fast(target.address(), Role.SERVER, sequences).seed(seed).build();
    Session session = suite.open();
    return suite.cases().stream()
        .map(c -> dynamicTest(c.id(), () -> {
          CaseResult result = session.run(c);
          assertEquals(Verdict.PASS, result.verdict(), result::describe);
        }))
        .onClose(session::close);
  }
}
