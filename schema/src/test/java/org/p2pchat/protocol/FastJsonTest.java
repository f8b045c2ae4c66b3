package org.p2pchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * FastJson must build exactly Jackson's tree (same node classes, same field order) or say "not sure": on
 * every vector, every truncation of every vector, seeded byte mutations and hand-picked edge cases. And the
 * codec's mapping to message objects (cached readers, HostPort's reader) must lose nothing.
 */
class FastJsonTest {
  private static final byte[] ALPHABET = "{}[]\",:\\ \t\n0123456789-+.eEtrufalsn\u007f/bu".getBytes(StandardCharsets.ISO_8859_1);
  private static final int MUTANTS_PER_VECTOR = 60;

  @Test
  void everyVectorParsesToJacksonsTreeAndTheFastPathIsTaken() {
    int fast = 0;
    for (Vectors.Vector vector : Vectors.all()) {
      byte[] bytes = vector.bytes();
      if (agree(bytes, vector.file()) && vector.valid()) {
        fast++;
      }
    }
    // Every valid vector is ASCII with plain integers except the raw UTF-8 ones.
    long ascii = Vectors.valid().stream().filter(v -> isAscii(v.bytes())).count();
    assertTrue(ascii > 40, "ascii valid vectors: " + ascii);
    assertEquals(ascii, fast, "valid ASCII vectors taking the fast path");
  }

  @Test
  void everyTruncationAndSeededMutationAgreesWithJackson() {
    Random random = new Random(11);
    int checked = 0;
    int fast = 0;
    for (Vectors.Vector vector : Vectors.all()) {
      byte[] bytes = vector.bytes();
      for (int cut = 0; cut < bytes.length; cut++) {
        agree(Arrays.copyOf(bytes, cut), vector.file() + " cut at " + cut);
        checked++;
      }
      for (int m = 0; m < MUTANTS_PER_VECTOR; m++) {
        byte[] mutant = mutate(bytes, random);
        if (agree(mutant, vector.file() + " mutant " + m + ": " + new String(mutant, StandardCharsets.UTF_8))) {
          fast++;
        }
        checked++;
      }
    }
    assertTrue(checked > 10_000, "inputs checked: " + checked);
    assertTrue(fast > 500, "mutants that took the fast path: " + fast);
  }

  @Test
  void edgeCasesAgreeWithJackson() {
    String[] cases = {
        "{}", " {} ", "{\"a\":1}", "{\"a\":-1}", "{\"a\":-0}", "{\"a\":0}", "{\"a\":01}", "{\"a\":1.0}", "{\"a\":1e3}",
        "{\"a\":2147483647}", "{\"a\":2147483648}", "{\"a\":-2147483648}", "{\"a\":-2147483649}",
        "{\"a\":999999999999999999}", "{\"a\":9999999999999999999}", "{\"a\":-}", "{\"a\":1a}",
        "{\"a\":true,\"b\":false,\"c\":null}", "{\"a\":tru}", "{\"a\":truex}", "{\"a\":nul}",
        "{\"a\":\"\\u00e9\\ud83d\\ude00\\ud800\"}", "{\"a\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"}", "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12\"}", "{\"a\":\"\\u12g4\"}", "{\"a\":\"tab\there\"}", "{\"a\":\"\u007f\"}",
        "{\"a\":[]}", "{\"a\":[1,[2,[3]],{}]}", "{\"a\":[1,]}", "{\"a\":[,1]}", "{\"a\":1,}", "{,}",
        "{\"a\":1,\"a\":2}", "{\"a\":1}{", "{\"a\":1} x", "[1]", "\"s\"", "1", "", " ", "{\"a\" 1}", "{a:1}",
        "{\"a\":1 \"b\":2}", "\ufeff{}", "{\"msgtype\": \"REGISTER\", \"msgdata\": {\"peername\": \"alice\"}}\n",
        "[".repeat(80) + "]".repeat(80), "{\"a\":" + "[".repeat(70) + "]".repeat(70) + "}",
    };
    for (String c : cases) {
      agree(c.getBytes(StandardCharsets.UTF_8), c);
    }
    byte[] nested = bytes("{\"a\":[1,{\"b\":\"\\u00e9\"}]}");
    assertEquals("\u00e9", FastJson.parse(nested, 0, nested.length).get("a").get(1).get("b").textValue());
    assertNull(FastJson.parse(bytes("{\"a\":1,\"a\":2}"), 0, 13), "duplicates go to Jackson");
    assertNull(FastJson.parse(bytes("{\"a\":\"é\"}"), 0, bytes("{\"a\":\"é\"}").length), "raw UTF-8 goes to Jackson");
  }

  @Test
  void offsetAndLengthAreHonoured() {
    byte[] framed = bytes("xx{\"a\": 5}yy");
    JsonNode tree = FastJson.parse(framed, 2, 8);
    assertNotNull(tree);
    assertEquals(5, tree.get("a").intValue());
  }

  @Test
  void everyValidVectorMapsToItsObjectAndBackWithoutLoss() {
    for (Vectors.Vector vector : Vectors.valid()) {
      JsonNode tree = vector.tree();
      JsonNode data = tree.get("msgdata");
      Object message = WireJson.decode(data, vector.type().javaType());
      assertEquals(vector.type().javaType(), message.getClass(), vector.file());
      // Numbers by value: a Long field writes 0 where the reader made an int node.
      assertTrue(data.equals(FastJsonTest::sameValue, WireJson.toTree(message).get("msgdata")), vector.file());
    }
  }

  @Test
  void handMappedListpeerRepliesEqualJacksonsOnEveryVectorAndMutant() throws IOException {
    com.fasterxml.jackson.databind.ObjectReader jackson = WireJson.mapper().forType(
        org.p2pchat.protocol.model.ListpeerReply.class);
    int hand = 0;
    List<JsonNode> inputs = new ArrayList<>();
    for (Vectors.Vector vector : Vectors.all()) {
      JsonNode tree;
      try {
        tree = vector.tree();
      } catch (RuntimeException notJson) {
        continue;
      }
      if (tree != null && tree.path("msgdata").has("peerlist")) {
        inputs.add(tree.get("msgdata"));
      }
    }
    for (String odd : List.of("{\"peerlist\": {\"a\": [\"h\", 4000.0]}}", "{\"peerlist\": {\"a\": [\"h\", 1, 2]}}",
        "{\"peerlist\": {\"a\": [\"h\", 5000000000]}}", "{\"peerlist\": {}, \"sig\": 5}",
        "{\"peerlist\": {}, \"extra\": [1]}", "{\"peerlist\": {\"a\": [\"h\", 1]}, \"idkey\": \"k\", \"to\": \"t\", "
        + "\"re\": \"r\", \"sig\": \"s\"}")) {
      inputs.add(WireJson.mapper().readTree(odd));
    }
    for (JsonNode data : inputs) {
      org.p2pchat.protocol.model.ListpeerReply fast = WireJson.plainListpeerReply(data);
      if (fast != null) {
        hand++;
        assertEquals(jackson.readValue(data), fast, data.toString());
      }
    }
    assertTrue(hand >= 3, "replies mapped by hand: " + hand);
  }

  @Test
  void hostPortReaderJudgesPairsAsBefore() throws IOException {
    Map<String, HostPort> good = Map.of(
        "[\"localhost\", 40000]", new HostPort("localhost", 40000),
        "[\"h\", 4000.0]", new HostPort("h", 4000),
        "[\"h\", 70000]", new HostPort("h", 70000));
    for (Map.Entry<String, HostPort> e : good.entrySet()) {
      assertEquals(e.getValue(), WireJson.mapper().readValue(e.getKey(), HostPort.class), e.getKey());
    }
    for (String bad : List.of("[\"h\"]", "[\"h\", 1, 2]", "[1, \"h\"]", "[\"h\", \"1\"]", "[\"h\", null]",
        "{\"h\": 1}", "\"h:1\"", "[\"h\", [1]]")) {
      assertThrows(IOException.class, () -> WireJson.mapper().readValue(bad, HostPort.class), bad);
    }
  }

  private static int sameValue(JsonNode a, JsonNode b) {
    if (a.isIntegralNumber() && b.isIntegralNumber()) {
      return a.bigIntegerValue().compareTo(b.bigIntegerValue());
    }
    return a.equals(b) ? 0 : 1;
  }

  /** True if FastJson took it; fails unless its answer is null or Jackson's very tree. */
  private static boolean agree(byte[] bytes, String label) {
    JsonNode fast = FastJson.parse(bytes, 0, bytes.length);
    if (fast == null) {
      return false;
    }
    JsonNode jackson;
    try {
      jackson = WireJson.mapper().readTree(bytes);
    } catch (IOException e) {
      throw new AssertionError("FastJson accepted what Jackson rejects: " + label + ": " + e.getMessage(), e);
    }
    assertNotNull(jackson, label);
    assertSameTree(jackson, fast, label);
    return true;
  }

  private static void assertSameTree(JsonNode expected, JsonNode actual, String label) {
    assertEquals(expected.getClass(), actual.getClass(), label);
    assertEquals(expected, actual, label);
    if (expected.isObject()) {
      List<String> expectedNames = new ArrayList<>();
      expected.fieldNames().forEachRemaining(expectedNames::add);
      List<String> actualNames = new ArrayList<>();
      actual.fieldNames().forEachRemaining(actualNames::add);
      assertEquals(expectedNames, actualNames, label + ": field order");
      for (String name : expectedNames) {
        assertSameTree(expected.get(name), actual.get(name), label);
      }
    } else if (expected.isArray()) {
      Iterator<JsonNode> a = actual.elements();
      for (JsonNode e : expected) {
        assertSameTree(e, a.next(), label);
      }
    }
  }

  private static byte[] mutate(byte[] bytes, Random random) {
    byte[] out = bytes.clone();
    int edits = 1 + random.nextInt(3);
    for (int e = 0; e < edits && out.length > 0; e++) {
      int at = random.nextInt(out.length);
      switch (random.nextInt(3)) {
        case 0 -> out[at] = ALPHABET[random.nextInt(ALPHABET.length)];
        case 1 -> {
          byte[] shorter = new byte[out.length - 1];
          System.arraycopy(out, 0, shorter, 0, at);
          System.arraycopy(out, at + 1, shorter, at, out.length - at - 1);
          out = shorter;
        }
        default -> {
          byte[] longer = new byte[out.length + 1];
          System.arraycopy(out, 0, longer, 0, at);
          longer[at] = ALPHABET[random.nextInt(ALPHABET.length)];
          System.arraycopy(out, at, longer, at + 1, out.length - at);
          out = longer;
        }
      }
    }
    return out;
  }

  private static boolean isAscii(byte[] bytes) {
    for (byte b : bytes) {
      if (b < 0) {
        return false;
      }
    }
    return true;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
