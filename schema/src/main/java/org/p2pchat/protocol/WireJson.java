package org.p2pchat.protocol;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.p2pchat.protocol.model.ListpeerReply;

/**
 * Converts between generated message objects, JSON trees and wire bytes. Thread-safe.
 *
 * <p>{@link Style#PYTHON} writes exactly what the 2018 program's {@code json.dumps} writes: {@code ", "}
 * and {@code ": "} separators, non-ASCII and DEL escaped as lower-case {@code \\uXXXX}, {@code msgtype} before
 * {@code msgdata}. It is the default on the wire, so a 2018 reader sees familiar bytes and a message cut
 * at any byte never splits a UTF-8 sequence. {@link Style#PYTHON_UTF8} is {@code json.dumps(...,
 * ensure_ascii=False)}: the same separators, non-ASCII as raw UTF-8 (3 bytes for a CJK character instead of 6),
 * for a counterpart that reads to end of stream. {@link Style#COMPACT} has no spaces.
 */
public final class WireJson {
  /** How messages are written; any valid JSON is read. */
  public enum Style {
    PYTHON, PYTHON_UTF8, COMPACT
  }

  private static final ObjectMapper MAPPER = JsonMapper.builder(new JsonFactoryBuilder()
          .characterEscapes(new PythonEscapes())
          .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
      // json.dumps writes \u4f60, Jackson by default \u4F60.
      .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
      .build();

  private static final ObjectWriter PYTHON = MAPPER.writer(new PythonPrinter());
  private static final ObjectWriter PYTHON_UTF8 = PYTHON.without(JsonWriteFeature.ESCAPE_NON_ASCII);
  private static final ObjectWriter COMPACT = MAPPER.writer();

  /** Immutable, so no caller can reconfigure what every other caller parses with. */
  private static final ObjectReader READER = MAPPER.reader();

  /** One reader per message class, its deserializer found once rather than on every message. */
  private static final ClassValue<ObjectReader> READERS = new ClassValue<>() {
    @Override
    protected ObjectReader computeValue(Class<?> type) {
      return MAPPER.readerFor(type);
    }
  };

  private WireJson() {}

  /**
   * A reader with the shared settings (lenient on unknown properties, strict on trailing tokens). An
   * {@link ObjectReader} is immutable: the mapper behind it is not reachable for reconfiguration.
   */
  public static ObjectReader mapper() {
    return READER;
  }

  /** The envelope {@code {"msgtype": ..., "msgdata": ...}} of a generated message object. */
  public static ObjectNode toTree(Object message) {
    MessageType type = typeOf(message);
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("msgtype", type.wireName());
    root.set("msgdata", MAPPER.valueToTree(message));
    return root;
  }

  /** The wire bytes of a generated message object, in the given style. */
  public static byte[] encode(Object message, Style style) {
    return write(toTree(message), style);
  }

  /** The wire bytes of any JSON tree, in the given style. */
  public static byte[] write(JsonNode tree, Style style) {
    try {
      ObjectWriter writer = switch (style) {
        case PYTHON -> PYTHON;
        case PYTHON_UTF8 -> PYTHON_UTF8;
        case COMPACT -> COMPACT;
      };
      return writer.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The generated object for a tree's msgdata, as the given type. */
  public static <T> T decode(JsonNode msgdata, Class<T> javaType) {
    if (msgdata == null || msgdata.isNull()) {
      return null; // what ObjectMapper.treeToValue answers
    }
    if (javaType == ListpeerReply.class) {
      ListpeerReply reply = plainListpeerReply(msgdata);
      if (reply != null) {
        return javaType.cast(reply);
      }
    }
    try {
      return READERS.get(javaType).readValue(msgdata);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("msgdata does not map to " + javaType.getSimpleName() + ": "
          + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A LISTPEER reply of peers only (plus the signed-reply strings) mapped by hand: Jackson's generic map
   * and array machinery costs about 0.1 µs a peer. Null for anything else (keys, unknown fields, odd
   * shapes), which Jackson maps. FastJsonTest proves both give equal objects on every valid vector.
   */
  static ListpeerReply plainListpeerReply(JsonNode msgdata) {
    if (!msgdata.isObject()) {
      return null;
    }
    ListpeerReply reply = new ListpeerReply();
    Iterator<Map.Entry<String, JsonNode>> fields = msgdata.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      switch (field.getKey()) {
        case "peerlist": {
          LinkedHashMap<String, HostPort> peers = peers(value);
          if (peers == null) {
            return null;
          }
          reply.setPeerlist(peers);
          break;
        }
        case "idkey":
          if (!value.isTextual()) {
            return null;
          }
          reply.setIdkey(value.textValue());
          break;
        case "to":
          if (!value.isTextual()) {
            return null;
          }
          reply.setTo(value.textValue());
          break;
        case "re":
          if (!value.isTextual()) {
            return null;
          }
          reply.setRe(value.textValue());
          break;
        case "sig":
          if (!value.isTextual()) {
            return null;
          }
          reply.setSig(value.textValue());
          break;
        default:
          return null;
      }
    }
    return reply;
  }

  private static LinkedHashMap<String, HostPort> peers(JsonNode peerlist) {
    if (!peerlist.isObject()) {
      return null;
    }
    LinkedHashMap<String, HostPort> peers = new LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = peerlist.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> peer = it.next();
      JsonNode address = peer.getValue();
      if (!address.isArray() || address.size() != 2) {
        return null;
      }
      JsonNode host = address.get(0);
      JsonNode port = address.get(1);
      if (!host.isTextual() || !port.isInt()) {
        return null;
      }
      peers.put(peer.getKey(), new HostPort(host.textValue(), port.intValue()));
    }
    return peers;
  }

  /** The message type of a generated object; throws if it is not one. */
  public static MessageType typeOf(Object message) {
    MessageType type = MessageType.forClass(message.getClass());
    if (type == null) {
      throw new IllegalArgumentException(message.getClass().getName() + " is not a protocol message class");
    }
    return type;
  }

  /** Python's {@code json.dumps} default separators. */
  private static final class PythonPrinter extends MinimalPrettyPrinter {
    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(": ");
    }

    @Override
    public void writeObjectEntrySeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }

    @Override
    public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
      g.writeRaw(", ");
    }
  }

  /** JSON's standard escapes plus DEL (0x7F), which json.dumps escapes and Jackson by default does not. */
  private static final class PythonEscapes extends CharacterEscapes {
    private final int[] ascii = standardAsciiEscapesForJSON();

    PythonEscapes() {
      ascii[0x7F] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }
}
