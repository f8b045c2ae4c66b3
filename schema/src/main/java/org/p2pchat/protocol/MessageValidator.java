package org.p2pchat.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.AnnotationKeyword;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Validates one protocol message against the published schemas: the envelope first, then the msgdata
 * schema its msgtype chooses.
 *
 * <p>Never throws for bad input: oversized input, non-UTF-8 bytes, malformed JSON, trailing data and an
 * unknown msgtype are each a distinct {@link Violation.Kind}. Thread-safe; build one and share it.
 */
public final class MessageValidator {
  /** Default cap on one message: large enough for a LISTPEER reply of 100,000 peers. */
  public static final int DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

  private final int maxBytes;
  private final Schema envelope;
  private final Map<MessageType, Schema> msgdata = new EnumMap<>(MessageType.class);

  private MessageValidator(int maxBytes) {
    this.maxBytes = maxBytes;
    SchemaRegistryConfig config = SchemaRegistryConfig.builder()
        .pathType(PathType.JSON_POINTER)
        .locale(Locale.ENGLISH)
        .build();
    // Our metadata and the generator's hints are annotations: known keywords, so no "unknown keyword" warnings.
    Dialect dialect = Dialect.builder(Dialects.getDraft7())
        .keyword(new AnnotationKeyword("x-p2pchat"))
        .keyword(new AnnotationKeyword("javaType"))
        .keyword(new AnnotationKeyword("existingJavaType"))
        .build();
    SchemaRegistry registry = SchemaRegistry.withDefaultDialect(dialect, builder -> builder
        .schemaRegistryConfig(config)
        .schemaIdResolvers(ids -> ids.mapPrefix(MessageType.SCHEMA_ID_BASE,
            "classpath:" + MessageType.SCHEMA_CLASSPATH_BASE)));
    this.envelope = registry.getSchema(SchemaLocation.of(MessageType.SCHEMA_ID_BASE + "envelope.json"));
    for (MessageType type : MessageType.values()) {
      Schema schema = registry.getSchema(SchemaLocation.of(type.schemaId()));
      schema.initializeValidators();
      msgdata.put(type, schema);
    }
    envelope.initializeValidators();
  }

  /** A validator with the default size cap. */
  public static MessageValidator create() {
    return new MessageValidator(DEFAULT_MAX_BYTES);
  }

  /** A validator that rejects input over {@code maxBytes}. */
  public static MessageValidator withMaxBytes(int maxBytes) {
    if (maxBytes < 2) {
      throw new IllegalArgumentException("maxBytes must be at least 2, got " + maxBytes);
    }
    return new MessageValidator(maxBytes);
  }

  public int maxBytes() {
    return maxBytes;
  }

  /**
   * Checks size, UTF-8, JSON, the envelope's shape and that the msgtype is known, but not the msgdata
   * schema: the cheap part of {@link #validate(byte[])}, for callers that measure what the rest costs.
   */
  public ValidationResult parse(byte[] bytes) {
    return check(bytes, 0, bytes.length, false);
  }

  /** Validates raw bytes as one message: size, UTF-8, JSON, then the schemas. */
  public ValidationResult validate(byte[] bytes) {
    return validate(bytes, 0, bytes.length);
  }

  /** Validates {@code length} bytes from {@code offset} as one message. */
  public ValidationResult validate(byte[] bytes, int offset, int length) {
    return check(bytes, offset, length, true);
  }

  private ValidationResult check(byte[] bytes, int offset, int length, boolean schemas) {
    if (length > maxBytes) {
      return new ValidationResult(null, null, List.of(Violation.tooLarge(length, maxBytes)));
    }
    String badUtf8 = checkUtf8(bytes, offset, length);
    if (badUtf8 != null) {
      return failure(null, Violation.Kind.NOT_UTF8, "encoding", badUtf8);
    }
    JsonNode tree;
    try {
      tree = WireJson.mapper().readTree(bytes, offset, length);
    } catch (MismatchedInputException e) {
      Violation.Kind kind = length == 0 || e.getMessage().startsWith("No content")
          ? Violation.Kind.MALFORMED_JSON : Violation.Kind.TRAILING_DATA;
      return failure(null, kind, kind == Violation.Kind.TRAILING_DATA ? "trailing" : "syntax",
          kind == Violation.Kind.TRAILING_DATA
              ? "data after the end of the JSON value (one message per connection)"
              : "empty input: expected one JSON object");
    } catch (JsonProcessingException e) {
      // Limit violations (nesting depth, number length) carry no location.
      String where = e.getLocation() == null ? "" : " at byte " + e.getLocation().getByteOffset();
      return failure(null, Violation.Kind.MALFORMED_JSON, "syntax", "malformed JSON: " + clean(e.getOriginalMessage())
          + where);
    } catch (IOException e) {
      return failure(null, Violation.Kind.MALFORMED_JSON, "syntax", "unreadable JSON: " + e.getMessage());
    }
    if (tree == null || tree.isMissingNode()) {
      return failure(null, Violation.Kind.MALFORMED_JSON, "syntax", "empty input: expected one JSON object");
    }
    if (!schemas) {
      return shapeOnly(tree);
    }
    return validate(tree);
  }

  private static ValidationResult shapeOnly(JsonNode tree) {
    JsonNode msgtype = tree.get("msgtype");
    JsonNode data = tree.get("msgdata");
    if (!tree.isObject() || msgtype == null || !msgtype.isTextual() || data == null || !data.isObject()) {
      return failure(tree, Violation.Kind.SCHEMA, "type", "not a message: expected {\"msgtype\": ..., \"msgdata\": {...}}");
    }
    MessageType type = MessageType.of(msgtype.asText(), data);
    if (type == null) {
      return new ValidationResult(null, tree, List.of(new Violation(Violation.Kind.UNKNOWN_TYPE, "/msgtype", "msgtype",
          "unknown message type '" + msgtype.asText() + "'")));
    }
    return new ValidationResult(type, tree, List.of());
  }

  /** Validates an already parsed message. */
  public ValidationResult validate(JsonNode tree) {
    return validate(tree, true);
  }

  /** The schema pass alone, without the hand-written fast check: the reference FastCheckTest compares with. */
  ValidationResult validateWithSchemasOnly(JsonNode tree) {
    return validate(tree, false);
  }

  private ValidationResult validate(JsonNode tree, boolean fast) {
    List<Violation> violations = new ArrayList<>();
    // Fast path: an object whose msgtype is a known type and whose msgdata is an object satisfies the
    // envelope schema by construction (every wire name matches its pattern; a test checks that), so
    // the schema pass runs only where it has something to report.
    if (!hasKnownEnvelope(tree)) {
      addAll(violations, envelope.validate(tree));
      if (!violations.isEmpty()) {
        return result(null, tree, violations);
      }
    }
    String msgtype = tree.get("msgtype").asText();
    JsonNode data = tree.get("msgdata");
    MessageType type = MessageType.of(msgtype, data);
    if (type == null) {
      violations.add(new Violation(Violation.Kind.UNKNOWN_TYPE, "/msgtype", "msgtype",
          "unknown message type '" + msgtype + "'; known: " + String.join(", ", MessageType.wireNames())));
      return result(null, tree, violations);
    }
    // Fast path: a hand-written check that says only "surely valid" (it is narrower than the schema, and
    // FastCheckTest proves it on every vector and on seeded mutations); otherwise the schema pass decides.
    if (fast && FastCheck.surelyValid(type, data)) {
      return new ValidationResult(type, tree, List.of());
    }
    for (Error error : msgdata.get(type).validate(data)) {
      violations.add(toViolation(error, "/msgdata"));
    }
    return result(type, tree, violations);
  }

  private static boolean hasKnownEnvelope(JsonNode tree) {
    JsonNode msgtype = tree.get("msgtype");
    JsonNode data = tree.get("msgdata");
    return tree.isObject() && msgtype != null && msgtype.isTextual() && MessageType.isKnown(msgtype.asText())
        && data != null && data.isObject();
  }

  /** Validates {@code tree} against the envelope schema alone (for tests and tools). */
  public List<Violation> validateEnvelope(JsonNode tree) {
    List<Violation> violations = new ArrayList<>();
    addAll(violations, envelope.validate(tree));
    return violations;
  }

  private static void addAll(List<Violation> into, List<Error> errors) {
    for (Error error : errors) {
      into.add(toViolation(error, ""));
    }
  }

  private static Violation toViolation(Error error, String prefix) {
    String pointer = prefix + error.getInstanceLocation().toString();
    String message = error.getMessage();
    // networknt prefixes messages with the location; the pointer already says where.
    int colon = message.indexOf(": ");
    if (colon >= 0 && message.startsWith(error.getInstanceLocation().toString())) {
      message = message.substring(colon + 2);
    }
    return new Violation(Violation.Kind.SCHEMA, pointer, error.getKeyword(), message);
  }

  private static ValidationResult result(MessageType type, JsonNode tree, List<Violation> violations) {
    violations.sort(Violation.ORDER);
    return new ValidationResult(type, tree, violations);
  }

  private static ValidationResult failure(JsonNode tree, Violation.Kind kind, String keyword, String message) {
    return new ValidationResult(null, tree, List.of(new Violation(kind, Violation.ROOT, keyword, message)));
  }

  /** Null if valid UTF-8, else where it breaks. ASCII, the 2018 program's only output, takes the fast path. */
  private static String checkUtf8(byte[] bytes, int offset, int length) {
    int end = offset + length;
    int i = offset;
    while (i < end && bytes[i] >= 0) {
      i++;
    }
    if (i == end) {
      return null;
    }
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length));
      return null;
    } catch (CharacterCodingException e) {
      return "input is not valid UTF-8 (first bad byte near offset " + (i - offset) + ")";
    }
  }

  /** Jackson's message without its source-location noise, on one line. */
  private static String clean(String s) {
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    int marker = line.indexOf(" (start marker");
    return marker < 0 ? line : line.substring(0, marker);
  }
}
