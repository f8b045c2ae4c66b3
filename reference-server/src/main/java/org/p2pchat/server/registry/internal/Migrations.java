package org.p2pchat.server.registry.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal versioned schema runner: applies {@code db/migration/V<n>__<description>.sql} in order, each
 * at most once per database, recording it in {@code schema_version} with a SHA-256 of the file.
 *
 * <p>One run is one transaction under a transaction-scoped advisory lock, so servers starting together
 * take turns: the first applies, the others then find everything applied. PostgreSQL DDL is
 * transactional, so a failed migration leaves no trace. A database at a version this server does not
 * know, or an applied file that has since changed, stops the start with a clear message.
 */
public final class Migrations {
  /** The migration files, in order. A test checks this list against the resource directory. */
  public static final List<String> FILES = List.of("V1__registrations.sql", "V2__request_nonces.sql");
  /** Arbitrary but fixed: ASCII "p2pchreg". Every server of this project takes the same lock. */
  static final long LOCK_KEY = 0x7032706368726567L;
  private static final Pattern NAME = Pattern.compile("V([1-9][0-9]*)__([A-Za-z0-9_]+)\\.sql");
  private static final String DIR = "/db/migration/";

  /** One migration file. */
  public record Migration(int version, String description, String sql, String checksum) {}

  /** The database cannot be migrated by this server, for a reason the operator must fix. */
  public static final class MigrationException extends Exception {
    MigrationException(String message) {
      super(message);
    }
  }

  private Migrations() {}

  /** The migrations shipped with this server, in version order. */
  public static List<Migration> bundled() {
    List<Migration> migrations = new ArrayList<>();
    int expected = 1;
    for (String file : FILES) {
      Matcher m = NAME.matcher(file);
      if (!m.matches() || Integer.parseInt(m.group(1)) != expected) {
        throw new IllegalStateException("migration files must be V1__x.sql, V2__y.sql, ...: " + file);
      }
      byte[] bytes = read(file);
      migrations.add(new Migration(expected, m.group(2), new String(bytes, StandardCharsets.UTF_8), sha256(bytes)));
      expected++;
    }
    return migrations;
  }

  /** Applies what is missing, in one transaction; returns how many were applied (0 if none). */
  public static int apply(Connection connection, List<Migration> migrations) throws SQLException,
      MigrationException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      int applied = applyLocked(connection, migrations);
      connection.commit();
      return applied;
    } catch (SQLException | MigrationException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  private static int applyLocked(Connection connection, List<Migration> migrations) throws SQLException,
      MigrationException {
    try (Statement s = connection.createStatement()) {
      // Waits for another server's run to commit; bounded, so a stuck peer cannot hang the start.
      s.execute("SET LOCAL lock_timeout = '60s'");
      s.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      boolean exists;
      try (ResultSet rs = s.executeQuery("SELECT to_regclass('schema_version') IS NOT NULL")) {
        rs.next();
        exists = rs.getBoolean(1);
      }
      // Only when missing: a server whose user may not create tables can still start on a migrated base.
      if (!exists) {
        s.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
            + "checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())");
      }
    }
    Map<Integer, String> applied = new TreeMap<>();
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, checksum FROM schema_version")) {
      while (rs.next()) {
        applied.put(rs.getInt(1), rs.getString(2));
      }
    }
    int known = migrations.size();
    for (Map.Entry<Integer, String> row : applied.entrySet()) {
      if (row.getKey() > known) {
        throw new MigrationException("the registry database is at schema version " + row.getKey()
            + ", newer than this server knows (" + known + "): run a newer server");
      }
      Migration m = migrations.get(row.getKey() - 1);
      if (!m.checksum().equals(row.getValue())) {
        throw new MigrationException("schema migration V" + m.version() + "__" + m.description()
            + " differs from the one applied to the registry database: restore the file, never edit an applied one");
      }
    }
    int count = 0;
    for (Migration m : migrations) {
      if (applied.containsKey(m.version())) {
        continue;
      }
      try (Statement s = connection.createStatement()) {
        s.execute(m.sql());
      }
      try (PreparedStatement p = connection.prepareStatement(
          "INSERT INTO schema_version (version, description, checksum) VALUES (?, ?, ?)")) {
        p.setInt(1, m.version());
        p.setString(2, m.description());
        p.setString(3, m.checksum());
        p.executeUpdate();
      }
      count++;
    }
    return count;
  }

  /** The highest version applied to the database, 0 if none. */
  public static int currentVersion(Connection connection) throws SQLException {
    try (Statement s = connection.createStatement();
        ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static byte[] read(String file) {
    try (InputStream in = Migrations.class.getResourceAsStream(DIR + file)) {
      if (in == null) {
        throw new IllegalStateException("migration " + file + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
