package org.p2pchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageValidatorTest {
  private static final MessageValidator VALIDATOR = MessageValidator.create();

  private static ValidationResult validate(String json) {
    return VALIDATOR.validate(json.getBytes(StandardCharsets.UTF_8));
  }

  private static List<String> lines(ValidationResult result) {
    return result.violations().stream().map(Violation::toString).toList();
  }

  @Test
  void violationsComeInPointerOrderWhateverTheFieldOrder() {
    ValidationResult forward = validate(
        "{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"\", \"host\": \"a b\", \"port\": 0}}");
    ValidationResult backward = validate(
        "{\"msgdata\": {\"port\": 0, \"host\": \"a b\", \"peername\": \"\"}, \"msgtype\": \"REGISTER\"}");
    List<String> expected = List.of(
        "/msgdata/host: pattern: does not match the regex pattern ^[^\\s\\u0000-\\u001F\\u007F]+$",
        "/msgdata/peername: minLength: must be at least 1 characters long",
        "/msgdata/peername: pattern: does not match the regex pattern ^[^\\u0000-\\u001F\\u007F]+$",
        "/msgdata/port: minimum: must have a minimum value of 1");
    assertEquals(expected, lines(forward));
    assertEquals(expected, lines(backward));
    for (int i = 0; i < 20; i++) {
      assertEquals(forward.violations(), validate(
          "{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"\", \"host\": \"a b\", \"port\": 0}}").violations());
    }
  }

  @Test
  void wholeMessageIsShownAsRootNeverAsAnEmptyPointer() {
    ValidationResult result = validate("{\"msgdata\": {}}");
    Violation violation = result.violations().get(0);
    assertEquals(Violation.ROOT, violation.pointer());
    assertEquals("(root)", violation.displayPointer());
    assertEquals("(root): required: required property 'msgtype' not found", violation.toString());
    assertEquals("(root): syntax: empty input: expected one JSON object", validate("").summary());
  }

  @Test
  void messagesStayEnglishUnderAGermanDefaultLocale() {
    String longText = "a".repeat(65537);
    String json = "{\"msgtype\": \"CHAT_MESSAGE\", \"msgdata\": {\"message\": \"" + longText + "\"}}";
    Locale saved = Locale.getDefault();
    List<String> german;
    try {
      Locale.setDefault(Locale.GERMAN);
      // A validator built and used under the German default, as on a German machine.
      german = lines(MessageValidator.create().validate(json.getBytes(StandardCharsets.UTF_8)));
    } finally {
      Locale.setDefault(saved);
    }
    assertEquals(List.of(
        "/msgdata: required: required property 'peername' not found",
        "/msgdata/message: maxLength: must be at most 65,536 characters long"), german);
    assertEquals(german, lines(VALIDATOR.validate(json.getBytes(StandardCharsets.UTF_8))));
  }

  @Test
  void unknownMsgtypeIsItsOwnKindAndHasNoType() {
    ValidationResult result = validate("{\"msgtype\": \"HELLO\", \"msgdata\": {}}");
    assertNull(result.type());
    assertEquals(1, result.violations().size());
    Violation violation = result.violations().get(0);
    assertEquals(Violation.Kind.UNKNOWN_TYPE, violation.kind());
    assertEquals("/msgtype", violation.pointer());
    assertTrue(violation.message().startsWith("unknown message type 'HELLO'; known: REGISTER, "), violation.message());
  }

  @Test
  void inputOverTheSizeCapIsRejectedBeforeParsing() {
    MessageValidator small = MessageValidator.withMaxBytes(46);
    byte[] exact = "{\"msgtype\": \"REGISTER_SUCCESS\", \"msgdata\": {}}".getBytes(StandardCharsets.UTF_8);
    assertEquals(46, exact.length);
    assertTrue(small.validate(exact).isValid());

    byte[] over = Arrays.copyOf(exact, 47);
    over[46] = ' ';
    ValidationResult result = small.validate(over);
    assertEquals(List.of(new Violation(Violation.Kind.TOO_LARGE, Violation.ROOT, "maxBytes",
        "message is 47 bytes, over the limit of 46")), result.violations());
    assertNull(result.tree());
    assertThrows(IllegalArgumentException.class, () -> MessageValidator.withMaxBytes(1));
  }

  @Test
  void everyPrefixOfAMessageIsAnErrorNeverAnException() {
    byte[] whole = "{\"msgtype\":\"CHAT_MESSAGE\",\"msgdata\":{\"peername\":\"alice\",\"message\":\"你好😀\"}}"
        .getBytes(StandardCharsets.UTF_8);
    assertTrue(VALIDATOR.validate(whole).isValid());
    Set<Violation.Kind> allowed = Set.of(Violation.Kind.MALFORMED_JSON, Violation.Kind.NOT_UTF8);
    boolean sawCutCharacter = false;
    for (int length = 0; length < whole.length; length++) {
      ValidationResult result = VALIDATOR.validate(whole, 0, length);
      assertFalse(result.isValid(), "prefix of " + length + " bytes accepted");
      Violation.Kind kind = result.violations().get(0).kind();
      assertTrue(allowed.contains(kind), "prefix of " + length + " bytes: " + result.violations());
      sawCutCharacter |= kind == Violation.Kind.NOT_UTF8;
    }
    assertTrue(sawCutCharacter, "a prefix that cuts a UTF-8 sequence must be reported as not UTF-8");
  }

  @Test
  void deeplyNestedInputIsMalformedJsonNotAStackOverflow() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    ValidationResult result = validate(deep);
    assertEquals(Violation.Kind.MALFORMED_JSON, result.violations().get(0).kind());
    assertTrue(result.summary().contains("nesting depth"), result.summary());
    String deepField = "{\"msgtype\": \"REGISTER_SUCCESS\", \"msgdata\": {\"x\": " + deep + "}}";
    assertEquals(Violation.Kind.MALFORMED_JSON, validate(deepField).violations().get(0).kind());
  }

  @Test
  void parsedTreeValidatesLikeItsBytes() throws Exception {
    String json = "{\"msgtype\": \"LISTPEER\", \"msgdata\": {\"peerlist\": {\"alice\": [\"localhost\", 0]}}}";
    ValidationResult fromBytes = validate(json);
    ValidationResult fromTree = VALIDATOR.validate(WireJson.mapper().readTree(json));
    assertEquals(fromBytes.violations(), fromTree.violations());
    assertEquals(MessageType.LISTPEER_REPLY, fromTree.type());
    assertEquals("/msgdata/peerlist/alice/1: minimum: must have a minimum value of 1", fromTree.summary());
  }

  @Test
  void listpeerIsTheReplyWhenItHasAPeerlistAndTheRequestOtherwise() {
    assertEquals(MessageType.LISTPEER_REPLY, validate("{\"msgtype\": \"LISTPEER\", \"msgdata\": {\"peerlist\": {}}}").type());
    assertEquals(MessageType.LISTPEER_REQUEST, validate("{\"msgtype\": \"LISTPEER\", \"msgdata\": {\"peername\": \"a\"}}").type());
    // Without peername it is a request missing its field, not a reply missing peerlist.
    ValidationResult empty = validate("{\"msgtype\": \"LISTPEER\", \"msgdata\": {}}");
    assertEquals(MessageType.LISTPEER_REQUEST, empty.type());
    assertEquals("/msgdata: required: required property 'peername' not found", empty.summary());
  }

  @Test
  void everyKnownWireNameSatisfiesTheEnvelopeSchemaSoTheFastPathAgreesWithIt() {
    MessageValidator validator = MessageValidator.create();
    for (String name : MessageType.wireNames()) {
      com.fasterxml.jackson.databind.node.ObjectNode tree = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
      tree.put("msgtype", name);
      tree.putObject("msgdata");
      org.junit.jupiter.api.Assertions.assertEquals(java.util.List.of(), validator.validateEnvelope(tree), name);
    }
  }
}
