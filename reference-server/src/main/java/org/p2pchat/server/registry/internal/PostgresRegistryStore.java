package org.p2pchat.server.registry.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.registry.Page;
import org.p2pchat.server.registry.RegisterOutcome;
import org.p2pchat.server.registry.Registration;
import org.p2pchat.server.registry.RegistryOpenException;
import org.p2pchat.server.registry.RegistryOptions;
import org.p2pchat.server.registry.RegistryStore;
import org.p2pchat.server.registry.RegistryUnavailable;
import org.p2pchat.server.registry.RegistryUrl;

/**
 * The registry in a PostgreSQL database, shared by every server pointed at it. Plain JDBC over a small
 * HikariCP pool; the schema comes from {@link Migrations}.
 *
 * <p>The database does the deciding: a name is unique by its primary key ({@code INSERT ... ON CONFLICT
 * DO NOTHING}), order is an identity column, the cap is checked against a trigger-kept count inside the
 * registering transaction, and expiry is a {@code DELETE ... RETURNING}, so each expired row goes to one
 * server. Every change is one committed transaction before the call returns.
 *
 * <p>A failed call throws {@link RegistryUnavailable}; the pool drops broken connections and opens new
 * ones on later calls, so the store recovers by itself once the database is back. Thread-safe.
 */
public final class PostgresRegistryStore implements RegistryStore {
  private static final String COLUMNS = "position, name, host, port, public_key, lease_expiry";

  private final HikariDataSource pool;
  private final String description;
  private final int cap;
  private volatile boolean closed;

  private PostgresRegistryStore(HikariDataSource pool, String description, int cap) {
    this.pool = pool;
    this.description = description;
    this.cap = cap;
  }

  /**
   * Connects once directly (so a bad login or database is reported precisely), applies missing schema
   * migrations, checks the rights the server needs, then opens the pool.
   */
  public static PostgresRegistryStore open(RegistryUrl url, Optional<String> password, RegistryOptions options)
      throws RegistryOpenException {
    Properties props = driverProperties(url, password, options);
    String where = "PostgreSQL at " + url.host() + ":" + url.port();
    try (Connection connection = new org.postgresql.Driver().connect(url.jdbcUrl(), props)) {
      if (connection == null) {
        throw new RegistryOpenException("--registry URL is not a PostgreSQL URL the driver accepts");
      }
      Migrations.apply(connection, Migrations.bundled());
      checkRights(connection);
    } catch (SQLException e) {
      throw new RegistryOpenException(SqlErrors.atStart(where, url, e), e);
    } catch (Migrations.MigrationException e) {
      throw new RegistryOpenException(where + ", database '" + url.database() + "': " + e.getMessage(), e);
    }
    HikariConfig config = new HikariConfig();
    config.setPoolName("p2pchat-registry");
    config.setJdbcUrl(url.jdbcUrl());
    config.setUsername(url.user());
    password.ifPresent(config::setPassword);
    props.forEach((k, v) -> {
      if (!k.equals("user") && !k.equals("password")) {
        config.addDataSourceProperty((String) k, v);
      }
    });
    config.setMaximumPoolSize(options.poolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(options.connectTimeout().toMillis());
    config.setValidationTimeout(Math.min(1000, options.connectTimeout().toMillis()));
    // Checked above; from here on an unreachable database is a RegistryUnavailable per call.
    config.setInitializationFailTimeout(-1);
    return new PostgresRegistryStore(new HikariDataSource(config), url.toString(), options.cap());
  }

  static Properties driverProperties(RegistryUrl url, Optional<String> password, RegistryOptions options) {
    Properties props = new Properties();
    props.setProperty("user", url.user());
    password.ifPresent(p -> props.setProperty("password", p));
    long connectSeconds = Math.max(1, options.connectTimeout().toSeconds());
    props.setProperty("connectTimeout", Long.toString(connectSeconds));
    props.setProperty("loginTimeout", Long.toString(connectSeconds));
    // A database that hangs instead of failing must not hold a server's worker for ever.
    props.setProperty("socketTimeout", Long.toString(Math.max(30, 2 * connectSeconds)));
    props.setProperty("tcpKeepAlive", "true");
    props.setProperty("ApplicationName", "p2pchat-server");
    for (Map.Entry<String, String> p : url.parameters().entrySet()) {
      props.setProperty(p.getKey(), p.getValue());
    }
    return props;
  }

  /** Runs, and rolls back, each kind of statement the server will run, so missing rights show at start. */
  private static void checkRights(Connection connection) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      s.executeQuery("SELECT " + COLUMNS + " FROM registration WHERE false").close();
      s.executeQuery("SELECT n FROM registration_count").close();
      s.executeUpdate("INSERT INTO registration (name, host, port) SELECT 'x', 'x', 1 WHERE false");
      s.executeUpdate("UPDATE registration SET lease_expiry = lease_expiry WHERE false");
      s.executeUpdate("DELETE FROM registration WHERE false");
      s.executeUpdate("UPDATE registration_count SET n = n WHERE false");
    } finally {
      connection.rollback();
      connection.setAutoCommit(autoCommit);
    }
  }

  @Override
  public RegisterOutcome register(String name, HostPort address, byte[] publicKey, Instant leaseExpiry)
      throws RegistryUnavailable {
    Inputs.check(name, address);
    Registration wanted = new Registration(0, name, address, publicKey, leaseExpiry);
    return withConnection("register " + name, c -> {
      // A holder may leave between our failed insert and our look at it: then the name is free, try again.
      for (int attempt = 0; attempt < 3; attempt++) {
        Optional<Registration> registered = tryInsert(c, wanted);
        if (registered == null) {
          return new RegisterOutcome.Full(cap);
        }
        if (registered.isPresent()) {
          return new RegisterOutcome.Registered(registered.get());
        }
        Optional<Registration> holder = lookup(c, name);
        if (holder.isPresent()) {
          return new RegisterOutcome.Taken(holder.get());
        }
      }
      throw new SQLException("name " + name + " kept changing hands while registering", "40001");
    });
  }

  /** Registered: the new row; empty: the name is taken; null: the registry is full. */
  private Optional<Registration> tryInsert(Connection c, Registration wanted) throws SQLException {
    c.setAutoCommit(false);
    try {
      long position;
      try (PreparedStatement p = c.prepareStatement("INSERT INTO registration (name, host, port, public_key, "
          + "lease_expiry) VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING RETURNING position")) {
        p.setString(1, wanted.name());
        p.setString(2, wanted.address().host());
        p.setInt(3, wanted.address().port());
        Optional<byte[]> key = wanted.publicKey();
        if (key.isPresent()) {
          p.setBytes(4, key.get());
        } else {
          p.setNull(4, Types.BINARY);
        }
        setInstant(p, 5, wanted.leaseExpiry().orElse(null));
        try (ResultSet rs = p.executeQuery()) {
          if (!rs.next()) {
            c.rollback();
            return Optional.empty();
          }
          position = rs.getLong(1);
        }
      }
      if (cap != Integer.MAX_VALUE) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT n FROM registration_count")) {
          rs.next();
          // Includes our row; the trigger's row lock makes this exact across servers.
          if (rs.getLong(1) > cap) {
            c.rollback();
            return null;
          }
        }
      }
      c.commit();
      return Optional.of(new Registration(position, wanted.name(), wanted.address(),
          wanted.publicKey().orElse(null), wanted.leaseExpiry().orElse(null)));
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly(c, e);
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  @Override
  public Optional<Registration> remove(String name) throws RegistryUnavailable {
    Objects.requireNonNull(name, "name");
    return withConnection("remove " + name, c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM registration WHERE name = ? RETURNING " + COLUMNS)) {
        p.setString(1, name);
        List<Registration> gone = rows(p);
        return gone.isEmpty() ? Optional.empty() : Optional.of(gone.get(0));
      }
    });
  }

  @Override
  public Optional<Registration> removeIfKey(String name, byte[] publicKey) throws RegistryUnavailable {
    Objects.requireNonNull(name, "name");
    return withConnection("remove " + name, c -> {
      try (PreparedStatement p = c.prepareStatement("DELETE FROM registration WHERE name = ? AND "
          + "public_key IS NOT DISTINCT FROM ? RETURNING " + COLUMNS)) {
        p.setString(1, name);
        if (publicKey == null) {
          p.setNull(2, Types.BINARY);
        } else {
          p.setBytes(2, publicKey);
        }
        List<Registration> gone = rows(p);
        return gone.isEmpty() ? Optional.empty() : Optional.of(gone.get(0));
      }
    });
  }

  @Override
  public boolean claimNonce(String id, Instant now, Instant expires) throws RegistryUnavailable {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(expires, "expires");
    return withConnection("claim a request nonce", c -> {
      // Old nonces go as new ones come: a few rows at a time, so no claim waits behind a long delete.
      try (PreparedStatement p = c.prepareStatement("DELETE FROM request_nonce WHERE id IN (SELECT id FROM "
          + "request_nonce WHERE expires < ? LIMIT 16 FOR UPDATE SKIP LOCKED)")) {
        p.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        p.executeUpdate();
      }
      try (PreparedStatement p = c.prepareStatement(
          "INSERT INTO request_nonce (id, expires) VALUES (?, ?) ON CONFLICT (id) DO NOTHING")) {
        p.setString(1, id);
        p.setObject(2, OffsetDateTime.ofInstant(expires, ZoneOffset.UTC));
        return p.executeUpdate() == 1;
      }
    });
  }

  @Override
  public boolean removeIfAt(String name, HostPort address) throws RegistryUnavailable {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(address, "address");
    return withConnection("remove " + name, c -> {
      try (PreparedStatement p = c.prepareStatement(
          "DELETE FROM registration WHERE name = ? AND host = ? AND port = ?")) {
        p.setString(1, name);
        p.setString(2, address.host());
        p.setInt(3, address.port());
        return p.executeUpdate() > 0;
      }
    });
  }

  @Override
  public Optional<Registration> lookup(String name) throws RegistryUnavailable {
    Objects.requireNonNull(name, "name");
    return withConnection("lookup " + name, c -> lookup(c, name));
  }

  private static Optional<Registration> lookup(Connection c, String name) throws SQLException {
    try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM registration WHERE name = ?")) {
      p.setString(1, name);
      List<Registration> found = rows(p);
      return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }
  }

  @Override
  public List<Registration> list() throws RegistryUnavailable {
    return withConnection("list", c -> {
      try (PreparedStatement p = c.prepareStatement("SELECT " + COLUMNS + " FROM registration ORDER BY position")) {
        p.setFetchSize(1000);
        return List.copyOf(rows(p));
      }
    });
  }

  @Override
  public Page page(long after, int limit) throws RegistryUnavailable {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    return withConnection("page", c -> {
      try (PreparedStatement p = c.prepareStatement(
          "SELECT " + COLUMNS + " FROM registration WHERE position > ? ORDER BY position LIMIT ?")) {
        p.setLong(1, after);
        p.setLong(2, (long) limit + 1);
        List<Registration> found = rows(p);
        boolean more = found.size() > limit;
        return new Page(more ? found.subList(0, limit) : found, more);
      }
    });
  }

  @Override
  public int size() throws RegistryUnavailable {
    return withConnection("size", c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT n FROM registration_count")) {
        rs.next();
        return (int) Math.min(Integer.MAX_VALUE, rs.getLong(1));
      }
    });
  }

  @Override
  public boolean renew(String name, Instant leaseExpiry) throws RegistryUnavailable {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(leaseExpiry, "leaseExpiry");
    return withConnection("renew " + name, c -> {
      try (PreparedStatement p = c.prepareStatement("UPDATE registration SET lease_expiry = ? WHERE name = ?")) {
        setInstant(p, 1, leaseExpiry);
        p.setString(2, name);
        return p.executeUpdate() > 0;
      }
    });
  }

  @Override
  public List<Registration> expire(Instant now) throws RegistryUnavailable {
    Objects.requireNonNull(now, "now");
    return withConnection("expire", c -> {
      try (PreparedStatement p = c.prepareStatement(
          "DELETE FROM registration WHERE lease_expiry <= ? RETURNING " + COLUMNS)) {
        setInstant(p, 1, now);
        List<Registration> gone = rows(p);
        gone.sort(Comparator.comparingLong(Registration::position));
        return List.copyOf(gone);
      }
    });
  }

  @Override
  public int cap() {
    return cap;
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    closed = true;
    pool.close();
  }

  /** One call's work on a pooled connection. */
  @FunctionalInterface
  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T withConnection(String what, Work<T> work) throws RegistryUnavailable {
    if (closed) {
      throw new IllegalStateException("registry closed: the server is stopping");
    }
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new RegistryUnavailable(what + ": registry " + description + " unavailable: " + SqlErrors.describe(e), e);
    }
  }

  private static List<Registration> rows(PreparedStatement p) throws SQLException {
    List<Registration> out = new ArrayList<>();
    try (ResultSet rs = p.executeQuery()) {
      while (rs.next()) {
        OffsetDateTime lease = rs.getObject(6, OffsetDateTime.class);
        out.add(new Registration(rs.getLong(1), rs.getString(2), new HostPort(rs.getString(3), rs.getInt(4)),
            rs.getBytes(5), lease == null ? null : lease.toInstant()));
      }
    }
    return out;
  }

  private static void setInstant(PreparedStatement p, int index, Instant instant) throws SQLException {
    if (instant == null) {
      p.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      p.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
    }
  }

  private static void rollbackQuietly(Connection c, Exception cause) {
    try {
      if (!c.isClosed() && !c.getAutoCommit()) {
        c.rollback();
      }
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  /** For tests: how long a call waits for a connection. */
  Duration connectionTimeout() {
    return Duration.ofMillis(pool.getConnectionTimeout());
  }
}
