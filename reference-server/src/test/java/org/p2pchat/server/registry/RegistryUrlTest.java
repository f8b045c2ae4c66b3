package org.p2pchat.server.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RegistryUrlTest {
  private static final Map<String, String> NO_ENV = Map.of();

  @Test
  void fileUrlsNameAPath() throws Exception {
    assertEquals(Path.of("state.jsonl"), RegistryUrl.parse("file:state.jsonl", NO_ENV).file());
    assertEquals(Path.of("/var/lib/p2pchat/s.jsonl"), RegistryUrl.parse("file:/var/lib/p2pchat/s.jsonl", NO_ENV).file());
    assertEquals(Path.of("/abs/s.jsonl"), RegistryUrl.parse("file:///abs/s.jsonl", NO_ENV).file());
    assertEquals(Path.of("/abs/s.jsonl"), RegistryUrl.parse("file://localhost/abs/s.jsonl", NO_ENV).file());
    assertEquals(RegistryUrl.Kind.FILE, RegistryUrl.parse("file:x", NO_ENV).kind());
    assertEquals("file:x", RegistryUrl.parse("file:x", NO_ENV).toString());
  }

  @Test
  void postgresUrlsSplitIntoPartsAndKeepCredentialsOutOfTheJdbcUrl() throws Exception {
    RegistryUrl url = RegistryUrl.parse(
        "jdbc:postgresql://db.example:6543/chat?user=p2p&password=s%26cret+1&sslmode=require", NO_ENV);
    assertEquals(RegistryUrl.Kind.POSTGRESQL, url.kind());
    assertEquals("db.example", url.host());
    assertEquals(6543, url.port());
    assertEquals("chat", url.database());
    assertEquals("p2p", url.user());
    assertEquals("s&cret+1", url.password().orElseThrow(), "%-escapes decoded, + kept");
    assertEquals(Map.of("sslmode", "require"), url.parameters());
    assertEquals("jdbc:postgresql://db.example:6543/chat?sslmode=require", url.jdbcUrl());
    assertEquals("jdbc:postgresql://db.example:6543/chat?sslmode=require&user=p2p", url.toString());
    assertFalse(url.toString().contains("cret"));
  }

  @Test
  void defaultsThePortAndTakesAnIpv6Host() throws Exception {
    assertEquals(5432, RegistryUrl.parse("jdbc:postgresql://h/d?user=u", NO_ENV).port());
    RegistryUrl v6 = RegistryUrl.parse("jdbc:postgresql://[::1]:5433/d?user=u", NO_ENV);
    assertEquals("::1", v6.host());
    assertEquals(5433, v6.port());
    assertEquals("jdbc:postgresql://[::1]:5433/d", v6.jdbcUrl());
  }

  @Test
  void takesThePasswordFromTheEnvironmentWhenTheUrlHasNone() throws Exception {
    Map<String, String> env = Map.of(RegistryUrl.PASSWORD_ENV, "from-env");
    assertEquals("from-env", RegistryUrl.parse("jdbc:postgresql://h/d?user=u", env).password().orElseThrow());
    assertEquals("in-url", RegistryUrl.parse("jdbc:postgresql://h/d?user=u&password=in-url", env)
        .password().orElseThrow(), "the URL wins");
    RegistryUrl none = RegistryUrl.parse("jdbc:postgresql://h/d?user=u", NO_ENV);
    assertTrue(none.password().isEmpty());
    assertFalse(none.hasPassword());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''|--registry is empty",
      "postgres://u:topsecret@h/d|unsupported --registry URL scheme 'postgres'",
      "mysql://h/d|unsupported --registry URL scheme 'mysql'",
      "jdbc:postgresql://h|has no database name",
      "jdbc:postgresql://h/|has no database name",
      "jdbc:postgresql://h:99999/d?user=u|port '99999' is not 1-65535",
      "jdbc:postgresql://h:x/d?user=u|port 'x' is not 1-65535",
      "jdbc:postgresql://h/d|has no user",
      "jdbc:postgresql://u:topsecret@h/d|not before the host",
      "jdbc:postgresql://h1,h2/d?user=u|several hosts",
      "jdbc:postgresql://:5432/d?user=u|has no host",
      "jdbc:postgresql://h/d?user=u&user=v|gives parameter 'user' twice",
      "jdbc:postgresql://h/d?user=u&password=%zz|bad %-escape",
      "file:|has no path",
      "file://otherhost/x|only local files",
  })
  void refusesABadUrlWithOneLineThatHidesSecrets(String text, String expected) {
    RegistryOpenException e = assertThrows(RegistryOpenException.class, () -> RegistryUrl.parse(text, NO_ENV));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertFalse(e.getMessage().contains("topsecret"), e.getMessage());
  }

  @Test
  void equalUrlsAreEqual() throws Exception {
    assertEquals(RegistryUrl.parse("jdbc:postgresql://h/d?user=u", NO_ENV),
        RegistryUrl.parse("jdbc:postgresql://h:5432/d?user=u", NO_ENV));
    assertEquals(RegistryUrl.file(Path.of("a")), RegistryUrl.parse("file:a", NO_ENV));
  }
}
