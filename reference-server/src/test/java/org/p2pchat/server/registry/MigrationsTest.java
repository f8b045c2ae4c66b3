package org.p2pchat.server.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.p2pchat.server.registry.internal.Migrations;

class MigrationsTest {
  private static EmbeddedPg pg;

  @BeforeAll
  static void startPostgres() {
    pg = EmbeddedPg.start();
  }

  @AfterAll
  static void stopPostgres() {
    pg.close();
  }

  @Test
  void theListedFilesAreExactlyTheOnesInTheResourceDirectory() throws Exception {
    try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
      List<String> onDisk = files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
      assertEquals(onDisk, Migrations.FILES.stream().sorted().collect(Collectors.toList()));
    }
    assertEquals(1, Migrations.bundled().get(0).version());
  }

  @Test
  void appliesOnceThenFindsNothingToDo() throws Exception {
    String db = pg.createDatabase();
    try (Connection c = DriverManager.getConnection(pg.url(db))) {
      assertEquals(Migrations.FILES.size(), Migrations.apply(c, Migrations.bundled()));
      assertEquals(0, Migrations.apply(c, Migrations.bundled()));
      assertEquals(Migrations.FILES.size(), Migrations.currentVersion(c));
    }
  }

  @Test
  void refusesADatabaseNewerThanTheServerAndAChangedFile() throws Exception {
    String db = pg.createDatabase();
    try (Connection c = DriverManager.getConnection(pg.url(db))) {
      Migrations.apply(c, Migrations.bundled());
      c.createStatement().execute("INSERT INTO schema_version (version, description, checksum) VALUES (99, 'x', 'y')");
      Migrations.MigrationException newer = assertThrows(Migrations.MigrationException.class,
          () -> Migrations.apply(c, Migrations.bundled()));
      assertTrue(newer.getMessage().contains("schema version 99, newer than this server"), newer.getMessage());
      c.createStatement().execute("DELETE FROM schema_version WHERE version = 99");
      c.createStatement().execute("UPDATE schema_version SET checksum = 'edited' WHERE version = 1");
      Migrations.MigrationException changed = assertThrows(Migrations.MigrationException.class,
          () -> Migrations.apply(c, Migrations.bundled()));
      assertTrue(changed.getMessage().contains("V1__registrations differs"), changed.getMessage());
    }
    // Through the store, the same refusal is one line naming the database.
    RegistryOpenException e = assertThrows(RegistryOpenException.class,
        () -> RegistryStores.open(pg.parsed(db), RegistryOptions.defaults()));
    assertTrue(e.getMessage().contains("database '" + db + "'") && !e.getMessage().contains("\n"), e.getMessage());
  }

  @Test
  void aFailedMigrationLeavesNoTrace() throws Exception {
    String db = pg.createDatabase();
    List<Migrations.Migration> broken = List.of(Migrations.bundled().get(0),
        new Migrations.Migration(2, "broken", "CREATE TABLE half (x int); SELECT no_such_function();", "c2"));
    try (Connection c = DriverManager.getConnection(pg.url(db))) {
      assertThrows(java.sql.SQLException.class, () -> Migrations.apply(c, broken));
      var rs = c.createStatement().executeQuery("SELECT to_regclass('half') IS NULL, to_regclass('registration') IS NULL");
      rs.next();
      assertTrue(rs.getBoolean(1) && rs.getBoolean(2), "one transaction: V1 and the half of V2 rolled back");
      assertEquals(Migrations.bundled().size(), Migrations.apply(c, Migrations.bundled()));
    }
  }
}
