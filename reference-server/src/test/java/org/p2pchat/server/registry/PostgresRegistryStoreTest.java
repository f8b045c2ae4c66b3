package org.p2pchat.server.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract on a real PostgreSQL, plus start-up errors only a database has. */
class PostgresRegistryStoreTest extends RegistryStoreContract {
  private static EmbeddedPg pg;
  private String database;

  @BeforeAll
  static void startPostgres() {
    pg = EmbeddedPg.start();
  }

  @AfterAll
  static void stopPostgres() {
    pg.close();
  }

  @BeforeEach
  void freshDatabase() {
    database = pg.createDatabase();
  }

  @Override
  RegistryStore open(int cap) throws Exception {
    return RegistryStores.open(pg.parsed(database), RegistryOptions.defaults().withCap(cap).withPoolSize(2));
  }

  private static RegistryOpenException openFails(String url, Map<String, String> env) {
    return assertThrows(RegistryOpenException.class, () -> RegistryStores.open(RegistryUrl.parse(url, env),
        RegistryOptions.defaults().withConnectTimeout(Duration.ofSeconds(2))).close());
  }

  private static void assertOneLineWithout(String secret, RegistryOpenException e) {
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertFalse(e.getMessage().contains(secret), e.getMessage());
  }

  @Test
  void describesItselfWithoutThePassword() throws Exception {
    try (RegistryStore store = RegistryStores.open(
        RegistryUrl.parse(pg.url(database) + "&password=hunter2", Map.of()), RegistryOptions.defaults())) {
      assertEquals("jdbc:postgresql://127.0.0.1:" + pg.port() + "/" + database + "?user=postgres",
          store.describe());
    }
  }

  @Test
  void aMissingDatabaseIsOneClearLine() {
    RegistryOpenException e = openFails(pg.url("no_such_db"), Map.of());
    assertTrue(e.getMessage().contains("has no database 'no_such_db'"), e.getMessage());
    assertOneLineWithout("password", e);
  }

  @Test
  void anUnreachableDatabaseIsOneClearLine() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    RegistryOpenException e = openFails("jdbc:postgresql://127.0.0.1:" + closedPort + "/x?user=u&password=s3cret",
        Map.of());
    assertTrue(e.getMessage().startsWith("cannot reach PostgreSQL at 127.0.0.1:" + closedPort), e.getMessage());
    assertOneLineWithout("s3cret", e);
  }

  @Test
  void aRefusedLoginIsOneClearLineWithoutThePassword() {
    // Embedded PostgreSQL trusts local logins, so the refusal here is for a user that does not exist.
    String url = pg.url(database).replace("user=postgres", "user=nosuchuser");
    RegistryOpenException e = openFails(url, Map.of(RegistryUrl.PASSWORD_ENV, "wrong-secret"));
    assertTrue(e.getMessage().contains("nosuchuser"), e.getMessage());
    assertTrue(e.getMessage().contains("refused the login"), e.getMessage());
    assertOneLineWithout("wrong-secret", e);
  }

  @Test
  void missingRightsAreOneClearLine() throws Exception {
    // The owner migrates; a user who may only read cannot run a server.
    open(Integer.MAX_VALUE).close();
    pg.sql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'reader') THEN "
        + "CREATE ROLE reader LOGIN; END IF; END $$");
    pg.sqlIn(database, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader");
    RegistryOpenException e = openFails(pg.url(database).replace("user=postgres", "user=reader"), Map.of());
    assertTrue(e.getMessage().startsWith("user 'reader' lacks rights in database '" + database + "'"),
        e.getMessage());
    assertOneLineWithout("password", e);

    // With the rights it needs (no CREATE: the schema is there already), it starts.
    pg.sqlIn(database, "GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO reader");
    try (RegistryStore store = RegistryStores.open(
        RegistryUrl.parse(pg.url(database).replace("user=postgres", "user=reader"), Map.of()),
        RegistryOptions.defaults())) {
      assertTrue(plain(store, "alice", 4000).registered());
    }
  }

  @Test
  void aFirstStartWithoutCreateRightsIsOneClearLine() {
    pg.sql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'nocreate') THEN "
        + "CREATE ROLE nocreate LOGIN; END IF; END $$");
    pg.sqlIn(database, "REVOKE CREATE ON SCHEMA public FROM PUBLIC");
    RegistryOpenException e = openFails(pg.url(database).replace("user=postgres", "user=nocreate"), Map.of());
    assertTrue(e.getMessage().startsWith("user 'nocreate' lacks rights"), e.getMessage());
    assertTrue(e.getMessage().contains("grant CREATE"), e.getMessage());
  }
}
