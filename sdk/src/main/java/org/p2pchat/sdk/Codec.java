package org.p2pchat.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.p2pchat.protocol.MessageType;
import org.p2pchat.protocol.MessageValidator;
import org.p2pchat.protocol.ValidationResult;
import org.p2pchat.protocol.Violation;
import org.p2pchat.protocol.WireJson;

/**
 * Bytes to validated, typed messages and back. Pure: no sockets, no threads. Thread-safe.
 *
 * <p>Decoding validates against the schemas and maps msgdata onto the generated class; encoding writes
 * the 2018 program's own form ({@link WireJson.Style#PYTHON}) and, unless told otherwise, validates
 * what it writes, so an invalid message never leaves this process.
 */
public final class Codec {
  private final MessageValidator validator;
  private final boolean validateIncoming;
  private final boolean validateOutgoing;
  private final WireJson.Style style;

  public Codec(MessageValidator validator, boolean validateOutgoing, WireJson.Style style) {
    this(validator, true, validateOutgoing, style);
  }

  /**
   * With {@code validateIncoming} false, decoding only parses and maps (size, UTF-8, JSON, envelope and
   * msgtype are still checked): for measuring what validation costs, not for production.
   */
  public Codec(MessageValidator validator, boolean validateIncoming, boolean validateOutgoing, WireJson.Style style) {
    this.validator = validator;
    this.validateIncoming = validateIncoming;
    this.validateOutgoing = validateOutgoing;
    this.style = style;
  }

  /** A codec with the default cap, outgoing validation on and the 2018 wire style. */
  public static Codec standard() {
    return new Codec(MessageValidator.create(), true, WireJson.Style.PYTHON);
  }

  /** One decoded message: its type, the generated msgdata object and the parsed tree. */
  public static final class Decoded {
    private final MessageType type;
    private final Object message;
    private final JsonNode tree;

    Decoded(MessageType type, Object message, JsonNode tree) {
      this.type = type;
      this.message = message;
      this.tree = tree;
    }

    public MessageType type() {
      return type;
    }

    /** The generated msgdata object, an instance of {@code type().javaType()}. */
    public Object message() {
      return message;
    }

    /** The whole message as parsed, unknown fields included. */
    public JsonNode tree() {
      return tree;
    }
  }

  /** Decodes one message; every problem is a {@link ProtocolException} with its reason. */
  public Decoded decode(byte[] bytes) throws ProtocolException {
    ValidationResult result = validateIncoming ? validator.validate(bytes) : validator.parse(bytes);
    if (!result.isValid()) {
      throw new ProtocolException(reasonOf(result), msgtypeOf(result.tree()), result.violations());
    }
    MessageType type = result.type();
    Object message = WireJson.decode(result.tree().get("msgdata"), type.javaType());
    return new Decoded(type, message, result.tree());
  }

  /** Encodes a generated message object; throws {@link ProtocolException} if validating and it is invalid. */
  public byte[] encode(Object message) throws ProtocolException {
    String msgtype = WireJson.typeOf(message).wireName();
    JsonNode tree = WireJson.toTree(message);
    if (validateOutgoing) {
      // Validate the tree we are about to write, rather than parse the bytes back.
      ValidationResult result = validator.validate(tree);
      if (!result.isValid()) {
        throw new ProtocolException(reasonOf(result), msgtype, result.violations());
      }
    }
    byte[] bytes = WireJson.write(tree, style);
    if (validateOutgoing && bytes.length > validator.maxBytes()) {
      throw new ProtocolException(RejectReason.TOO_LARGE, msgtype,
          List.of(Violation.tooLarge(bytes.length, validator.maxBytes())));
    }
    return bytes;
  }

  public MessageValidator validator() {
    return validator;
  }

  static RejectReason reasonOf(ValidationResult result) {
    switch (result.violations().get(0).kind()) {
      case TOO_LARGE:
        return RejectReason.TOO_LARGE;
      case NOT_UTF8:
        return RejectReason.NOT_UTF8;
      case MALFORMED_JSON:
        return RejectReason.MALFORMED_JSON;
      case TRAILING_DATA:
        return RejectReason.TRAILING_DATA;
      case UNKNOWN_TYPE:
        return RejectReason.UNKNOWN_TYPE;
      default:
        return RejectReason.INVALID;
    }
  }

  private static String msgtypeOf(JsonNode tree) {
    if (tree == null || !tree.isObject()) {
      return null;
    }
    JsonNode msgtype = tree.get("msgtype");
    return msgtype != null && msgtype.isTextual() ? msgtype.asText() : null;
  }
}
