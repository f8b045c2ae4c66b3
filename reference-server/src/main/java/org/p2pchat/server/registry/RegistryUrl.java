package org.p2pchat.server.registry;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed {@code --registry} URL: {@code file:PATH} (the embedded journal) or
 * {@code jdbc:postgresql://HOST[:PORT]/DB?user=U&password=P} (a shared PostgreSQL database; other query
 * parameters such as {@code sslmode} are passed to the driver). The password may instead come from the
 * environment variable {@value #PASSWORD_ENV}, so it is not visible in {@code ps}; a password in the URL
 * wins. Immutable; {@link #toString()} never shows the password.
 */
public final class RegistryUrl {
  /** The environment variable a PostgreSQL password is read from when the URL has none. */
  public static final String PASSWORD_ENV = "P2PCHAT_REGISTRY_PASSWORD";
  static final int DEFAULT_PG_PORT = 5432;
  private static final String FILE = "file:";
  private static final String PG = "jdbc:postgresql://";
  private static final String FORMS = "expected file:PATH or jdbc:postgresql://HOST:PORT/DB?user=U";

  /** Which backend a URL names. */
  public enum Kind { FILE, POSTGRESQL }

  private final Kind kind;
  private final Path file;
  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final Map<String, String> parameters;

  private RegistryUrl(Kind kind, Path file, String host, int port, String database, String user,
      String password, Map<String, String> parameters) {
    this.kind = kind;
    this.file = file;
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.parameters = Map.copyOf(parameters);
  }

  /** The URL of the embedded journal at {@code file}. */
  public static RegistryUrl file(Path file) {
    return new RegistryUrl(Kind.FILE, Objects.requireNonNull(file, "file"), null, 0, null, null, null, Map.of());
  }

  /** Parses {@code text}, taking a missing password from the process environment. */
  public static RegistryUrl parse(String text) throws RegistryOpenException {
    return parse(text, System.getenv());
  }

  /** Parses {@code text}, taking a missing password from {@code env}. */
  public static RegistryUrl parse(String text, Map<String, String> env) throws RegistryOpenException {
    if (text == null || text.isBlank()) {
      throw new RegistryOpenException("--registry is empty: " + FORMS);
    }
    String trimmed = text.strip();
    if (trimmed.startsWith(FILE)) {
      return parseFile(trimmed.substring(FILE.length()));
    }
    if (trimmed.startsWith(PG)) {
      return parsePostgres(trimmed.substring(PG.length()), env);
    }
    int colon = trimmed.indexOf(':');
    // Only the scheme is echoed: the rest may hold a password in a form we do not parse.
    String scheme = colon > 0 ? trimmed.substring(0, Math.min(colon, 40)) : "(none)";
    throw new RegistryOpenException("unsupported --registry URL scheme '" + printable(scheme) + "': " + FORMS);
  }

  private static RegistryUrl parseFile(String rest) throws RegistryOpenException {
    String path = rest;
    if (path.startsWith("//")) {
      // file:///abs/path or file://localhost/abs/path
      int slash = path.indexOf('/', 2);
      String authority = slash < 0 ? path.substring(2) : path.substring(2, slash);
      if (!authority.isEmpty() && !authority.equals("localhost")) {
        throw new RegistryOpenException("--registry file URL names host '" + printable(authority)
            + "': only local files are supported (file:PATH)");
      }
      path = slash < 0 ? "" : path.substring(slash);
    }
    if (path.isEmpty()) {
      throw new RegistryOpenException("--registry file: has no path: expected file:PATH");
    }
    try {
      return file(Path.of(path));
    } catch (InvalidPathException e) {
      throw new RegistryOpenException("--registry file path is not valid: " + e.getReason());
    }
  }

  private static RegistryUrl parsePostgres(String rest, Map<String, String> env) throws RegistryOpenException {
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new RegistryOpenException("--registry URL has no database name: " + FORMS);
    }
    String authority = rest.substring(0, slash);
    String pathAndQuery = rest.substring(slash + 1);
    if (authority.contains("@")) {
      throw new RegistryOpenException("--registry URL: put the user and password in ?user=U&password=P "
          + "(or " + PASSWORD_ENV + "), not before the host");
    }
    if (authority.contains(",")) {
      throw new RegistryOpenException("--registry URL names several hosts; give one HOST:PORT");
    }
    String host;
    int port = DEFAULT_PG_PORT;
    String portText = null;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw new RegistryOpenException("--registry URL has an unclosed '[' in its host");
      }
      host = authority.substring(1, close);
      String after = authority.substring(close + 1);
      if (after.startsWith(":")) {
        portText = after.substring(1);
      } else if (!after.isEmpty()) {
        throw new RegistryOpenException("--registry URL host is not HOST:PORT");
      }
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? null : authority.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw new RegistryOpenException("--registry URL has no host: " + FORMS);
    }
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw new RegistryOpenException("--registry URL port '" + printable(portText) + "' is not 1-65535");
      }
    }
    int question = pathAndQuery.indexOf('?');
    String database = decode(question < 0 ? pathAndQuery : pathAndQuery.substring(0, question));
    if (database.isEmpty() || database.contains("/")) {
      throw new RegistryOpenException("--registry URL has no database name: " + FORMS);
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    if (question >= 0) {
      for (String pair : pathAndQuery.substring(question + 1).split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String key = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (key.isEmpty()) {
          throw new RegistryOpenException("--registry URL has a parameter without a name");
        }
        if (parameters.put(key, value) != null) {
          throw new RegistryOpenException("--registry URL gives parameter '" + printable(key) + "' twice");
        }
      }
    }
    String user = parameters.remove("user");
    String password = parameters.remove("password");
    if (user == null || user.isEmpty()) {
      throw new RegistryOpenException("--registry URL has no user: add ?user=U");
    }
    if (password == null || password.isEmpty()) {
      password = env.get(PASSWORD_ENV);
    }
    return new RegistryUrl(Kind.POSTGRESQL, null, host, port, database, user,
        password == null || password.isEmpty() ? null : password, parameters);
  }

  private static String decode(String s) throws RegistryOpenException {
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new RegistryOpenException("--registry URL has a bad %-escape");
    }
  }

  /** Keeps a fragment of user input fit for one log line. */
  private static String printable(String s) {
    StringBuilder out = new StringBuilder();
    s.codePoints().limit(64).forEach(c -> out.append(c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) ? '?'
        : (char) c));
    return out.toString();
  }

  public Kind kind() {
    return kind;
  }

  /** The journal file; only for {@link Kind#FILE}. */
  public Path file() {
    requireKind(Kind.FILE);
    return file;
  }

  public String host() {
    requireKind(Kind.POSTGRESQL);
    return host;
  }

  public int port() {
    requireKind(Kind.POSTGRESQL);
    return port;
  }

  public String database() {
    requireKind(Kind.POSTGRESQL);
    return database;
  }

  public String user() {
    requireKind(Kind.POSTGRESQL);
    return user;
  }

  public boolean hasPassword() {
    return password != null;
  }

  /** The password; package-private so it reaches the driver and nothing else. */
  Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** Driver parameters other than user and password (e.g. sslmode). */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** The JDBC URL without user and password: those go to the driver separately, never into a log. */
  public String jdbcUrl() {
    requireKind(Kind.POSTGRESQL);
    StringBuilder url = new StringBuilder(PG);
    url.append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port).append('/')
        .append(URLEncoder.encode(database, StandardCharsets.UTF_8));
    char sep = '?';
    for (Map.Entry<String, String> p : new java.util.TreeMap<>(parameters).entrySet()) {
      url.append(sep).append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
      sep = '&';
    }
    return url.toString();
  }

  private void requireKind(Kind wanted) {
    if (kind != wanted) {
      throw new IllegalStateException("a " + kind + " registry URL has no such part");
    }
  }

  /** {@code file:PATH}, or the JDBC URL with the user and without the password. */
  @Override
  public String toString() {
    if (kind == Kind.FILE) {
      return FILE + file;
    }
    String url = jdbcUrl();
    return url + (url.indexOf('?') < 0 ? '?' : '&') + "user=" + URLEncoder.encode(user, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RegistryUrl)) {
      return false;
    }
    RegistryUrl u = (RegistryUrl) o;
    return kind == u.kind && Objects.equals(file, u.file) && Objects.equals(host, u.host) && port == u.port
        && Objects.equals(database, u.database) && Objects.equals(user, u.user)
        && Objects.equals(password, u.password) && parameters.equals(u.parameters);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, file, host, port, database, user, parameters);
  }
}
