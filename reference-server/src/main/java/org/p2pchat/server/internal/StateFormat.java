package org.p2pchat.server.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.p2pchat.protocol.HostPort;
import org.p2pchat.protocol.MessageValidator;
import org.p2pchat.protocol.Printable;
import org.p2pchat.protocol.ValidationResult;
import org.p2pchat.server.StateFileException;

/**
 * The state file's format: JSON lines. A header line, then one record a line, replayed in order:
 *
 * <pre>
 * {"format":"p2pchat-server-state","version":1}
 * {"op":"register","peername":"alice","host":"localhost","port":4000}
 * {"op":"register","peername":"bob","host":"localhost","port":4001,"idkey":"DrXk...W7k"}
 * {"op":"remove","peername":"alice","why":"exit"}
 * {"op":"register","peername":"carol","host":"localhost","port":4002,"lease":"2026-12-03T13:00:00.123456Z"}
 * {"op":"lease","peername":"carol","lease":"2026-12-03T13:01:30Z"}
 * </pre>
 *
 * <p>{@code idkey} (optional) is the identity key a keyed REGISTER bound the name to (docs/identity.md
 * 4.2); a record without it is a 2018 registration, so files written before identity-v1 load unchanged.
 * {@code lease} (optional) is when a leased registration runs out (docs/registry.md); a {@code lease} op
 * moves it (a heartbeat). Registrations without a lease are written exactly as before leases existed.
 *
 * <p>Every record is written with its newline in one write and made durable before the registration is
 * acknowledged. So a last line without a newline is a write cut short by a crash: it was never
 * acknowledged, and reading ignores it and reports it. Anything else that does not parse is corruption
 * and fails the load; the file is never silently replaced. Stateless; thread-safe.
 */
public final class StateFormat {
  static final String FORMAT = "p2pchat-server-state";
  static final int VERSION = 1;
  /** Built on first use: an empty registry starts (header only) without loading Jackson's databind. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  /** Records are checked against the wire schema of the message that made them (REGISTER, EXIT_NETWORK). */
  private static final class Schemas {
    static final MessageValidator VALIDATOR = MessageValidator.create();
  }

  private StateFormat() {}

  /** What a state file held. */
  public record Loaded(LinkedHashMap<String, HostPort> peers, Map<String, String> keys,
      Map<String, Instant> leases, int records, String tornTail) {
    /** Without keys: a registry of 2018 registrations only. */
    public Loaded(LinkedHashMap<String, HostPort> peers, int records, String tornTail) {
      this(peers, new HashMap<>(), new HashMap<>(), records, tornTail);
    }

    /** Without leases. */
    public Loaded(LinkedHashMap<String, HostPort> peers, Map<String, String> keys, int records, String tornTail) {
      this(peers, keys, new HashMap<>(), records, tornTail);
    }

    /** True if the last line was cut short (and ignored). */
    public boolean torn() {
      return tornTail != null;
    }
  }

  /** The first line; what Jackson writes for {"format": FORMAT, "version": VERSION} (StateFormatTest checks). */
  static byte[] header() {
    return ("{\"format\":\"" + FORMAT + "\",\"version\":" + VERSION + "}\n").getBytes(StandardCharsets.UTF_8);
  }

  static byte[] register(String peername, HostPort address) {
    return register(peername, address, null);
  }

  /** A register record; {@code idkey} (base64url) is written only when the name is bound to a key. */
  static byte[] register(String peername, HostPort address, String idkey) {
    ObjectNode node = Json.MAPPER.createObjectNode().put("op", "register").put("peername", peername)
        .put("host", address.host()).put("port", address.port());
    if (idkey != null) {
      node.put("idkey", idkey);
    }
    return line(node);
  }

  /** A register record with a lease (null: none, the line is then as before leases existed). */
  static byte[] register(String peername, HostPort address, String idkey, Instant lease) {
    ObjectNode node = Json.MAPPER.createObjectNode().put("op", "register").put("peername", peername)
        .put("host", address.host()).put("port", address.port());
    if (idkey != null) {
      node.put("idkey", idkey);
    }
    if (lease != null) {
      node.put("lease", lease.toString());
    }
    return line(node);
  }

  /** A heartbeat: {@code peername}'s lease now runs out at {@code lease}. */
  static byte[] lease(String peername, Instant lease) {
    return line(Json.MAPPER.createObjectNode().put("op", "lease").put("peername", peername).put("lease", lease.toString()));
  }

  static byte[] remove(String peername, String why) {
    return line(Json.MAPPER.createObjectNode().put("op", "remove").put("peername", peername).put("why", why));
  }

  private static byte[] line(ObjectNode node) {
    try {
      byte[] json = Json.MAPPER.writeValueAsBytes(node);
      byte[] withNewline = new byte[json.length + 1];
      System.arraycopy(json, 0, withNewline, 0, json.length);
      withNewline[json.length] = '\n';
      return withNewline;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a state record", e);
    }
  }

  /** Reads and replays {@code file}; a missing or empty file is an empty registry. */
  public static Loaded read(Path file) throws StateFileException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new Loaded(new LinkedHashMap<>(), 0, null);
    } catch (IOException e) {
      throw new StateFileException(file, "cannot read it: " + e, e);
    }
    return parse(file, bytes);
  }

  static Loaded parse(Path file, byte[] bytes) throws StateFileException {
    LinkedHashMap<String, HostPort> peers = new LinkedHashMap<>();
    Map<String, String> keys = new HashMap<>();
    Map<String, Instant> leases = new HashMap<>();
    if (bytes.length == 0) {
      return new Loaded(peers, keys, leases, 0, null);
    }
    checkUtf8(file, bytes);
    int lineNo = 0;
    int start = 0;
    int records = 0;
    while (true) {
      int end = indexOf(bytes, (byte) '\n', start);
      if (end < 0) {
        break;
      }
      lineNo++;
      JsonNode node = parseLine(file, bytes, start, end, lineNo);
      if (lineNo == 1) {
        checkHeader(file, node);
      } else {
        apply(file, node, lineNo, peers, keys, leases);
        records++;
      }
      start = end + 1;
    }
    if (lineNo == 0) {
      throw new StateFileException(file, "not a p2pchat server state file (no complete first line)");
    }
    String torn = start < bytes.length ? new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8) : null;
    return new Loaded(peers, keys, leases, records, torn);
  }

  private static JsonNode parseLine(Path file, byte[] bytes, int start, int end, int lineNo)
      throws StateFileException {
    try {
      JsonNode node = Json.MAPPER.readTree(bytes, start, end - start);
      if (node == null || !node.isObject()) {
        throw new StateFileException(file, "line " + lineNo + " is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      if (e instanceof StateFileException) {
        throw (StateFileException) e;
      }
      throw new StateFileException(file, "line " + lineNo + " is not valid JSON: "
          + firstLine(e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage()
          : e.getMessage()));
    }
  }

  private static void checkHeader(Path file, JsonNode header) throws StateFileException {
    if (!FORMAT.equals(header.path("format").asText(null))) {
      throw new StateFileException(file, "not a p2pchat server state file (first line must be the header "
          + new String(header(), StandardCharsets.UTF_8).trim() + ")");
    }
    JsonNode version = header.get("version");
    if (version == null || !version.isInt() || version.intValue() != VERSION) {
      throw new StateFileException(file, "unsupported state file version " + version + " (this server reads "
          + VERSION + ")");
    }
  }

  private static void apply(Path file, JsonNode record, int lineNo, Map<String, HostPort> peers,
      Map<String, String> keys, Map<String, Instant> leases) throws StateFileException {
    String op = text(record, "op");
    String peername = text(record, "peername");
    if (peername == null || peername.isEmpty()) {
      throw new StateFileException(file, "line " + lineNo + " has no peername");
    }
    if ("register".equals(op)) {
      String host = text(record, "host");
      JsonNode port = record.get("port");
      if (host == null || host.isEmpty() || port == null || !port.isInt() || port.intValue() < 1
          || port.intValue() > 65535) {
        throw new StateFileException(file, "line " + lineNo + " registers '" + Printable.of(peername)
            + "' without a valid host and port");
      }
      checkSchema(file, lineNo, "REGISTER", Json.MAPPER.createObjectNode().put("peername", peername).put("host", host)
          .put("port", port.intValue()));
      HostPort previous = peers.putIfAbsent(peername, new HostPort(host, port.intValue()));
      if (previous != null) {
        throw new StateFileException(file, "line " + lineNo + " registers '" + Printable.of(peername)
            + "' again while it is still registered at " + previous);
      }
      JsonNode idkey = record.get("idkey");
      if (idkey != null) {
        if (!idkey.isTextual() || !KEY.matcher(idkey.asText()).matches()) {
          throw new StateFileException(file, "line " + lineNo + " binds '" + Printable.of(peername)
              + "' to an idkey that is not base64url text");
        }
        keys.put(peername, idkey.asText());
      }
      if (record.has("lease")) {
        leases.put(peername, instant(file, record, lineNo));
      }
    } else if ("lease".equals(op)) {
      // A heartbeat for a name no longer registered is harmless, like a remove of an absent name.
      Instant until = instant(file, record, lineNo);
      if (peers.containsKey(peername)) {
        leases.put(peername, until);
      }
    } else if ("remove".equals(op)) {
      checkSchema(file, lineNo, "EXIT_NETWORK", Json.MAPPER.createObjectNode().put("peername", peername));
      // Removing an absent name is harmless: the outcome is the same.
      peers.remove(peername);
      keys.remove(peername);
      leases.remove(peername);
    } else {
      throw new StateFileException(file, "line " + lineNo + " has unknown op " + record.get("op"));
    }
  }

  private static Instant instant(Path file, JsonNode record, int lineNo) throws StateFileException {
    String text = text(record, "lease");
    try {
      return Instant.parse(text == null ? "" : text);
    } catch (DateTimeParseException e) {
      throw new StateFileException(file, "line " + lineNo + " has a lease that is not an instant");
    }
  }

  /**
   * A record whose fields the wire schema would refuse (a control character or 500 characters in a name,
   * a space in a host) would poison every later LISTPEER reply: the load stops instead, naming the line.
   */
  private static void checkSchema(Path file, int lineNo, String msgtype, ObjectNode msgdata)
      throws StateFileException {
    ObjectNode message = Json.MAPPER.createObjectNode().put("msgtype", msgtype);
    message.set("msgdata", msgdata);
    ValidationResult result = Schemas.VALIDATOR.validate(message);
    if (!result.isValid()) {
      throw new StateFileException(file, "line " + lineNo + " breaks the " + msgtype + " schema: "
          + Printable.of(result.violations().get(0).toString()) + " (record "
          + Printable.of(clip(msgdata.toString())) + ")");
    }
  }

  private static String clip(String text) {
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isTextual() ? value.asText() : null;
  }

  private static void checkUtf8(Path file, byte[] bytes) throws StateFileException {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
    } catch (CharacterCodingException e) {
      throw new StateFileException(file, "not UTF-8 text (" + e.getMessage() + ")");
    }
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "unreadable";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
