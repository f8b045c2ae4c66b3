package org.p2pchat.server.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.server.StateFileException;

/** The state file format, read from bytes: no files, no sockets. */
class StateFormatTest {
  private static final Path FILE = Path.of("state.jsonl");
  private static final String HEADER = "{\"format\":\"p2pchat-server-state\",\"version\":1}\n";

  private static StateFormat.Loaded parse(String text) throws StateFileException {
    return StateFormat.parse(FILE, text.getBytes(StandardCharsets.UTF_8));
  }

  private static String reg(String name, int port) {
    return "{\"op\":\"register\",\"peername\":\"" + name + "\",\"host\":\"localhost\",\"port\":" + port + "}\n";
  }

  private static String failure(String text) {
    return assertThrows(StateFileException.class, () -> parse(text)).getMessage();
  }

  @Test
  void theHeaderIsWhatJacksonWritesForItAndLoadsAsAnEmptyRegistry() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    byte[] expected = json.writeValueAsBytes(json.createObjectNode().put("format", StateFormat.FORMAT)
        .put("version", StateFormat.VERSION));
    assertEquals(new String(expected, StandardCharsets.UTF_8) + "\n",
        new String(StateFormat.header(), StandardCharsets.UTF_8));
  }

  @Test
  void emptyFileIsAnEmptyRegistry() throws Exception {
    StateFormat.Loaded loaded = parse("");

    assertTrue(loaded.peers().isEmpty());
    assertFalse(loaded.torn());
  }

  @Test
  void replaysRegistersAndRemovesInOrder() throws Exception {
    StateFormat.Loaded loaded = parse(HEADER + reg("carol", 3) + reg("alice", 1) + reg("bob", 2)
        + "{\"op\":\"remove\",\"peername\":\"alice\",\"why\":\"exit\"}\n" + reg("alice", 4));

    assertEquals(List.of("carol", "bob", "alice"), List.copyOf(loaded.peers().keySet()));
    assertEquals(new HostPort("localhost", 4), loaded.peers().get("alice"));
    assertEquals(5, loaded.records());
  }

  @Test
  void recordsWrittenByTheServerReadBackExactly() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String odd = "\u4f60\u597d \"quoted\" \\ back\u00e9";
    out.write(StateFormat.header());
    out.write(StateFormat.register(odd, new HostPort("::1", 65535)));
    out.write(StateFormat.register("gone", new HostPort("h", 1)));
    out.write(StateFormat.remove("gone", "dropped"));

    StateFormat.Loaded loaded = StateFormat.parse(FILE, out.toByteArray());

    assertEquals(Map.of(odd, new HostPort("::1", 65535)), loaded.peers());
  }

  @Test
  void anIdkeyIsOptionalAndBindsTheNameUntilItIsRemoved() throws Exception {
    String key = "DrXktJPEKikaMwrW7Pl-vhcgjkKRU6xbl_VxIjveW7k";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(HEADER.getBytes(StandardCharsets.UTF_8));
    out.write(reg("old", 1).getBytes(StandardCharsets.UTF_8));
    out.write(StateFormat.register("alice", new HostPort("localhost", 2), key));
    out.write(StateFormat.register("gone", new HostPort("localhost", 3), key));
    out.write(StateFormat.remove("gone", "exit"));

    StateFormat.Loaded loaded = StateFormat.parse(FILE, out.toByteArray());

    assertEquals(List.of("old", "alice"), List.copyOf(loaded.peers().keySet()));
    assertEquals(Map.of("alice", key), loaded.keys());
    assertTrue(new String(StateFormat.register("alice", new HostPort("h", 2), null), StandardCharsets.UTF_8)
        .indexOf("idkey") < 0, "a 2018 registration is written without idkey");
  }

  @Test
  void aMalformedIdkeyFailsTheLoad() {
    String message = failure(HEADER + "{\"op\":\"register\",\"peername\":\"alice\",\"host\":\"h\",\"port\":1,"
        + "\"idkey\":\"not base64!\"}\n");
    assertTrue(message.contains("line 2 binds 'alice' to an idkey"), message);
  }

  @Test
  void tornLastLineIsIgnoredAndReported() throws Exception {
    StateFormat.Loaded loaded = parse(HEADER + reg("alice", 1) + "{\"op\":\"register\",\"peern");

    assertEquals(List.of("alice"), List.copyOf(loaded.peers().keySet()));
    assertTrue(loaded.torn());
    assertEquals("{\"op\":\"register\",\"peern", loaded.tornTail());
  }

  @Test
  void completeLastLineIsNotTorn() throws Exception {
    assertNull(parse(HEADER + reg("alice", 1)).tornTail());
  }

  @Test
  void corruptLineFailsWithItsNumber() {
    assertTrue(failure(HEADER + reg("alice", 1) + "{oops\n" + reg("bob", 2)).contains("line 3 is not valid JSON"));
  }

  @Test
  void nonObjectLineIsCorruption() {
    assertTrue(failure(HEADER + "[1, 2]\n").contains("line 2 is not a JSON object"));
  }

  @Test
  void fileWithoutHeaderIsNotAStateFile() {
    assertTrue(failure(reg("alice", 1)).contains("not a p2pchat server state file"));
    assertTrue(failure("no newline at all").contains("not a p2pchat server state file"));
  }

  @Test
  void otherVersionIsRefused() {
    assertTrue(failure("{\"format\":\"p2pchat-server-state\",\"version\":2}\n").contains("unsupported state file version 2"));
  }

  @Test
  void registeringARegisteredNameIsCorruption() {
    assertTrue(failure(HEADER + reg("alice", 1) + reg("alice", 2)).contains("line 3 registers 'alice' again"));
  }

  @Test
  void badAddressIsCorruption() {
    assertTrue(failure(HEADER + reg("alice", 0)).contains("without a valid host and port"));
    assertTrue(failure(HEADER + "{\"op\":\"register\",\"peername\":\"a\",\"host\":\"h\",\"port\":\"1\"}\n")
        .contains("without a valid host and port"));
  }

  @Test
  void unknownOpAndMissingNameAreCorruption() {
    assertTrue(failure(HEADER + "{\"op\":\"rename\",\"peername\":\"a\"}\n").contains("unknown op"));
    assertTrue(failure(HEADER + "{\"op\":\"register\"}\n").contains("no peername"));
  }

  @Test
  void removingAnAbsentNameIsHarmless() throws Exception {
    assertTrue(parse(HEADER + "{\"op\":\"remove\",\"peername\":\"nobody\",\"why\":\"exit\"}\n").peers().isEmpty());
  }

  @Test
  void nonUtf8IsCorruption() {
    byte[] bytes = (HEADER + "{\"op\":\"register\",\"peername\":\"X\"}\n").getBytes(StandardCharsets.UTF_8);
    bytes[bytes.length - 4] = (byte) 0xff;

    String message = assertThrows(StateFileException.class, () -> StateFormat.parse(FILE, bytes)).getMessage();

    assertTrue(message.contains("not UTF-8"), message);
  }

  @Test
  void aRecordBreakingTheSchemaStopsTheLoadNamingItsLine() {
    String esc = failure(HEADER + reg("alice", 1) + reg("\\u001b]0;pwned\\u0007", 2));
    assertTrue(esc.contains("line 3") && esc.contains("REGISTER schema"), esc);
    assertTrue(esc.chars().noneMatch(c -> c < 0x20), "the error line carries no raw control character: " + esc);
    String longName = failure(HEADER + reg("x".repeat(500), 2));
    assertTrue(longName.contains("line 2") && longName.contains("schema"), longName);
    String spacedHost = failure(HEADER + "{\"op\":\"register\",\"peername\":\"bob\",\"host\":\"evil host\","
        + "\"port\":1}\n");
    assertTrue(spacedHost.contains("line 2") && spacedHost.contains("schema"), spacedHost);
    String longHost = failure(HEADER + "{\"op\":\"register\",\"peername\":\"bob\",\"host\":\"" + "h".repeat(254)
        + "\",\"port\":1}\n");
    assertTrue(longHost.contains("line 2"), longHost);
    String removal = failure(HEADER + reg("alice", 1) + "{\"op\":\"remove\",\"peername\":\"a\\nb\",\"why\":\"exit\"}\n");
    assertTrue(removal.contains("line 3") && removal.contains("EXIT_NETWORK schema"), removal);
  }

  @Test
  void recordsWithinTheSchemaStillLoad() throws Exception {
    StateFormat.Loaded loaded = parse(HEADER + reg("x".repeat(64), 1) + "{\"op\":\"register\",\"peername\":\"b\","
        + "\"host\":\"" + "h".repeat(253) + "\",\"port\":2}\n");
    assertEquals(2, loaded.peers().size());
  }
}
