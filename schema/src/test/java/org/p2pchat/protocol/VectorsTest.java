package org.p2pchat.protocol;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.p2pchat.protocol.Vectors.Vector;

/** Every published vector through the validator, the wire encoder and the generated model. */
class VectorsTest {
  private static final MessageValidator VALIDATOR = MessageValidator.create();

  static List<Vector> validVectors() {
    return Vectors.valid();
  }

  static List<Vector> invalidVectors() {
    return Vectors.invalid();
  }

  static List<Vector> vectors2018() {
    return Vectors.validOfForm("2018");
  }

  static List<Vector> compactVectors() {
    return Vectors.validOfForm("compact");
  }

  static Stream<Vector> vectors2018WithPlainEnvelope() {
    return vectors2018().stream().filter(v -> v.tree().size() == 2);
  }

  @Test
  void manifestListsEveryVectorFileExactlyOnce() throws IOException {
    Set<String> onDisk = new TreeSet<>();
    for (String dir : List.of("valid", "invalid")) {
      try (Stream<Path> files = Files.list(Vectors.resourceDir("vectors/" + dir))) {
        files.forEach(f -> onDisk.add(dir + "/" + f.getFileName()));
      }
    }
    List<String> listed = new ArrayList<>();
    Vectors.all().forEach(v -> listed.add(v.file()));
    assertEquals(listed.size(), new HashSet<>(listed).size(), "a file is listed twice: " + listed);
    assertEquals(onDisk, new TreeSet<>(listed));
  }

  @Test
  void manifestEntriesAreWellFormed() {
    for (Vector v : Vectors.all()) {
      assertFalse(v.description().isBlank(), v + " has no description");
      if (v.valid()) {
        assertTrue(v.file().startsWith("valid/"), v + " is valid but not under valid/");
        assertTrue(Set.of("2018", "compact", "other").contains(v.form()), v + " has form " + v.form());
        assertEquals(v.type().wireName(), v.msgtype(), v + ": msgtype does not match type");
      } else {
        assertTrue(v.file().startsWith("invalid/"), v + " is invalid but not under invalid/");
        assertTrue(v.kind() != null && v.pointer() != null && v.keyword() != null, v + " lacks its violation");
      }
    }
  }

  @Test
  void everyMessageTypeHasA2018AndACompactVector() {
    for (MessageType type : MessageType.values()) {
      for (String form : List.of("2018", "compact")) {
        assertTrue(Vectors.validOfForm(form).stream().anyMatch(v -> v.type() == type),
            "no " + form + " vector for " + type);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validVectors")
  void validVectorIsAcceptedAsItsType(Vector vector) {
    ValidationResult result = VALIDATOR.validate(vector.bytes());
    assertTrue(result.isValid(), () -> vector + ": " + result.violations());
    assertEquals(vector.type(), result.type());
    assertEquals(vector.msgtype(), result.tree().path("msgtype").asText());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidVectors")
  void invalidVectorProducesItsExpectedViolation(Vector vector) {
    ValidationResult result = VALIDATOR.validate(vector.bytes());
    assertFalse(result.isValid(), vector + " was accepted");
    assertTrue(result.violations().stream().anyMatch(v -> v.kind() == vector.kind()
            && v.pointer().equals(vector.pointer())
            && v.keyword().equals(vector.keyword())
            && (vector.property() == null || v.message().contains("'" + vector.property() + "'"))),
        () -> vector + ": expected " + vector.kind() + " " + vector.pointer() + " " + vector.keyword()
            + (vector.property() == null ? "" : " '" + vector.property() + "'") + ", got " + result.violations());
    if (vector.kind() != Violation.Kind.SCHEMA && vector.kind() != Violation.Kind.UNKNOWN_TYPE) {
      assertEquals(1, result.violations().size(), "a non-schema failure stops validation");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validVectors")
  void sliceOfALargerBufferValidatesLikeTheBytesAlone(Vector vector) {
    byte[] bytes = vector.bytes();
    byte[] buffer = new byte[bytes.length + 10];
    Arrays.fill(buffer, (byte) '}');
    System.arraycopy(bytes, 0, buffer, 3, bytes.length);
    ValidationResult slice = VALIDATOR.validate(buffer, 3, bytes.length);
    assertTrue(slice.isValid(), () -> slice.violations().toString());
    assertEquals(vector.type(), slice.type());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors2018")
  void pythonStyleWritesThe2018FormByteForByte(Vector vector) {
    byte[] written = WireJson.write(vector.tree(), WireJson.Style.PYTHON);
    assertEquals(new String(vector.bytes(), StandardCharsets.UTF_8), new String(written, StandardCharsets.UTF_8));
    assertArrayEquals(vector.bytes(), written);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("compactVectors")
  void compactStyleWritesTheCompactFormByteForByte(Vector vector) {
    assertArrayEquals(vector.bytes(), WireJson.write(vector.tree(), WireJson.Style.COMPACT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors2018")
  void pythonUtf8StyleReadsBackAsTheSameMessage(Vector vector) throws IOException {
    assertEquals(vector.tree(), WireJson.mapper().readTree(WireJson.write(vector.tree(), WireJson.Style.PYTHON_UTF8)));
  }

  @org.junit.jupiter.api.Test
  void pythonUtf8StyleIsJsonDumpsWithEnsureAsciiFalse() throws IOException {
    JsonNode tree = WireJson.mapper().readTree("{\"msgtype\":\"CHAT_MESSAGE\",\"msgdata\":{\"peername\":\"a\","
        + "\"message\":\"\u4f60\u597d \\\" \\n\"}}");
    assertEquals("{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"a\", \"message\": \"\u4f60\u597d \\\" \\n\"}}",
        new String(WireJson.write(tree, WireJson.Style.PYTHON_UTF8), StandardCharsets.UTF_8));
    assertEquals("{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"peername\": \"a\", \"message\": \"\\u4f60\\u597d \\\" \\n\"}}",
        new String(WireJson.write(tree, WireJson.Style.PYTHON), StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors2018WithPlainEnvelope")
  void generatedClassReencodesThe2018FormByteForByte(Vector vector) {
    Object message = WireJson.decode(vector.tree().get("msgdata"), vector.type().javaType());
    byte[] encoded = WireJson.encode(message, WireJson.Style.PYTHON);
    assertEquals(new String(vector.bytes(), StandardCharsets.UTF_8), new String(encoded, StandardCharsets.UTF_8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validVectors")
  void roundTripThroughTheGeneratedClassKeepsEveryField(Vector vector) throws IOException {
    JsonNode original = vector.tree();
    Object message = WireJson.decode(original.get("msgdata"), vector.type().javaType());
    assertEquals(vector.type(), WireJson.typeOf(message));

    byte[] encoded = WireJson.encode(message, WireJson.Style.COMPACT);
    ValidationResult again = VALIDATOR.validate(encoded);
    assertTrue(again.isValid(), () -> again.violations().toString());
    assertEquals(vector.type(), again.type());
    assertEquals(original.get("msgtype"), again.tree().get("msgtype"));
    // Tree equality: every known and unknown msgdata field, with its value and JSON type.
    assertEquals(original.get("msgdata"), again.tree().get("msgdata"));
    assertEquals(message, WireJson.decode(again.tree().get("msgdata"), vector.type().javaType()));
  }

  @Test
  void unknownMsgdataFieldsSurviveInTheGeneratedClass() {
    Vector vector = Vectors.named("valid/chat-message-extra-field.2018.json");
    Object message = WireJson.decode(vector.tree().get("msgdata"), vector.type().javaType());
    org.p2pchat.protocol.model.ChatMessage chat = (org.p2pchat.protocol.model.ChatMessage) message;
    assertEquals("Hello, alice.", chat.getMessage());
    assertEquals(1541376000, chat.getAdditionalProperties().get("sent_at"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validVectors")
  void fixedFormVectorsEndWithoutANewline(Vector vector) {
    byte[] bytes = vector.bytes();
    if (!"other".equals(vector.form())) {
      assertEquals('}', bytes[bytes.length - 1], vector + " must end at its closing brace, as 2018 sends it");
    }
    assertNotEquals(0, bytes.length);
  }

  @Test
  void chineseTextIsEscapedInLowerCaseAsJsonDumpsWritesIt() {
    String text = new String(Vectors.named("valid/chat-message-unicode.2018.json").bytes(), StandardCharsets.US_ASCII);
    assertAll(
        () -> assertTrue(text.contains("\"message\": \"\\u4f60\\u597d\""), text),
        () -> assertEquals("你好", Vectors.named("valid/chat-message-unicode.2018.json").tree()
            .path("msgdata").path("message").asText()));
  }

  @Test
  void notUtf8VectorHoldsARealInvalidByte() {
    byte[] bytes = Vectors.named("invalid/not-utf8.json").bytes();
    int i = 0;
    while (i < bytes.length && bytes[i] != (byte) 0xE9) {
      i++;
    }
    assertTrue(i < bytes.length, "the Latin-1 byte 0xE9 is missing; was the file re-encoded?");
    assertEquals('"', bytes[i + 1], "0xE9 must be followed by ASCII, so it cannot start a valid sequence");
  }
}
