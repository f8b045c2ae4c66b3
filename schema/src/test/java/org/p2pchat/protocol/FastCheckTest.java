package org.p2pchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The hand-written fast check must never change a verdict: every vector and thousands of seeded mutations
 * of the valid ones give the same violations (verdict, pointer, keyword, message) with and without it, and
 * whatever it calls surely valid the schemas call valid.
 */
class FastCheckTest {
  private static final MessageValidator VALIDATOR = MessageValidator.create();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MUTANTS = 4000;

  /** Every property any msgdata schema names, so mutations hit constrained fields. */
  private static final String[] FIELDS = {"peername", "host", "port", "features", "idkey", "ephkey", "nonce", "sig",
      "ts", "to", "re", "message", "seq", "box", "filename", "filenum", "curnum", "filedata", "peerlist", "keys",
      "extra"};

  @Test
  void everyVectorGetsTheSameVerdictWithAndWithoutTheFastCheck() {
    Set<MessageType> fastTypes = EnumSet.noneOf(MessageType.class);
    int checked = 0;
    for (Vectors.Vector vector : Vectors.all()) {
      JsonNode tree;
      try {
        tree = vector.tree();
      } catch (RuntimeException notJson) {
        continue; // malformed bytes never reach the schemas, fast or not
      }
      if (tree == null) {
        continue;
      }
      assertSame(tree, vector.file());
      assertEquals(vector.valid(), VALIDATOR.validate(vector.bytes()).isValid(), vector.file());
      if (vector.valid() && FastCheck.surelyValid(vector.type(), tree.get("msgdata"))) {
        fastTypes.add(vector.type());
      }
      checked++;
    }
    assertTrue(checked > 100, "vectors checked: " + checked);
    // The fast path must really be taken, for every type: else this test would prove nothing.
    assertEquals(EnumSet.allOf(MessageType.class), fastTypes);
  }

  @Test
  void seededMutationsOfValidVectorsGetTheSameVerdict() {
    Random random = new Random(11);
    List<Vectors.Vector> valid = Vectors.valid();
    int fast = 0;
    int invalid = 0;
    for (int i = 0; i < MUTANTS; i++) {
      Vectors.Vector base = valid.get(random.nextInt(valid.size()));
      ObjectNode tree = (ObjectNode) base.tree();
      ObjectNode data = (ObjectNode) tree.get("msgdata");
      int edits = 1 + random.nextInt(3);
      for (int e = 0; e < edits; e++) {
        mutate(data, random);
      }
      String label = "mutant " + i + " of " + base.file() + ": " + tree;
      assertSame(tree, label);
      ValidationResult full = VALIDATOR.validateWithSchemasOnly(tree);
      if (full.type() != null && FastCheck.surelyValid(full.type(), data)) {
        fast++;
      }
      if (!full.isValid()) {
        invalid++;
      }
    }
    // Both sides of the line were exercised, not just one.
    assertTrue(fast > MUTANTS / 10, "fast-path mutants: " + fast);
    assertTrue(invalid > MUTANTS / 4, "invalid mutants: " + invalid);
  }

  /** Same violations both ways, and the fast check accepts only what the schemas accept. */
  private static void assertSame(JsonNode tree, String label) {
    ValidationResult full = VALIDATOR.validateWithSchemasOnly(tree);
    ValidationResult withFast = VALIDATOR.validate(tree);
    assertEquals(full.violations(), withFast.violations(), label);
    assertEquals(full.type(), withFast.type(), label);
    if (full.type() != null && FastCheck.surelyValid(full.type(), tree.get("msgdata"))) {
      assertTrue(full.isValid(), "fast check accepted what the schema rejects: " + label + " " + full);
    }
  }

  private static void mutate(ObjectNode data, Random random) {
    int what = random.nextInt(6);
    List<String> names = new ArrayList<>();
    data.fieldNames().forEachRemaining(names::add);
    if (what == 0 && !names.isEmpty()) {
      data.remove(names.get(random.nextInt(names.size())));
    } else if (what <= 2 && !names.isEmpty()) {
      String name = names.get(random.nextInt(names.size()));
      data.set(name, valueFor(name, random));
    } else if (what == 3) {
      String name = FIELDS[random.nextInt(FIELDS.length)];
      data.set(name, valueFor(name, random));
    } else if (data.get("peerlist") instanceof ObjectNode peerlist) {
      mutateMap(peerlist, random, true);
    } else if (data.get("keys") instanceof ObjectNode keys) {
      mutateMap(keys, random, false);
    } else {
      String name = FIELDS[random.nextInt(FIELDS.length)];
      data.set(name, anyValue(random));
    }
  }

  private static void mutateMap(ObjectNode map, Random random, boolean addresses) {
    List<String> names = new ArrayList<>();
    map.fieldNames().forEachRemaining(names::add);
    int what = random.nextInt(4);
    if (what == 0 && !names.isEmpty()) {
      map.remove(names.get(random.nextInt(names.size())));
    } else if (what == 1) {
      map.set(randomString(random), addresses ? address(random) : base64(random));
    } else if (what == 2 && !names.isEmpty()) {
      String name = names.get(random.nextInt(names.size()));
      JsonNode value = map.get(name);
      map.remove(name);
      map.set(random.nextBoolean() ? randomString(random) : name + "x", value);
    } else {
      String name = names.isEmpty() ? "p" : names.get(random.nextInt(names.size()));
      map.set(name, random.nextBoolean() ? anyValue(random) : addresses ? address(random) : base64(random));
    }
  }

  /** Mostly a value of the field's own kind (near and over its limits), sometimes anything. */
  private static JsonNode valueFor(String name, Random random) {
    if (random.nextInt(5) == 0) {
      return anyValue(random);
    }
    return switch (name) {
      case "port", "ts", "seq", "filenum", "curnum" -> number(random);
      case "idkey", "ephkey", "nonce", "sig", "re", "box" -> base64(random);
      case "features" -> features(random);
      case "peerlist" -> {
        ObjectNode map = NODES.objectNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          map.set(randomString(random), address(random));
        }
        yield map;
      }
      default -> NODES.textNode(randomString(random));
    };
  }

  private static JsonNode anyValue(Random random) {
    return switch (random.nextInt(8)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.arrayNode().add(randomString(random));
      case 3 -> NODES.objectNode().put("a", 1);
      case 4 -> number(random);
      case 5 -> base64(random);
      default -> NODES.textNode(randomString(random));
    };
  }

  private static JsonNode number(Random random) {
    return switch (random.nextInt(10)) {
      case 0 -> NODES.numberNode(0);
      case 1 -> NODES.numberNode(-1);
      case 2 -> NODES.numberNode(65535);
      case 3 -> NODES.numberNode(65536);
      case 4 -> NODES.numberNode(new BigDecimal("40000.0"));
      case 5 -> NODES.numberNode(new BigDecimal("1.5"));
      case 6 -> NODES.numberNode(9007199254740991L + random.nextInt(2));
      case 7 -> NODES.numberNode(new BigInteger("123456789012345678901234567890"));
      case 8 -> NODES.numberNode(1_000_000 + random.nextInt(2));
      default -> NODES.numberNode(random.nextInt(70000));
    };
  }

  private static final String B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  private static JsonNode base64(Random random) {
    int[] lengths = {0, 1, 21, 22, 23, 24, 25, 42, 43, 44, 85, 86, 87, 100, 101, 5000};
    int length = lengths[random.nextInt(lengths.length)];
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(B64.charAt(random.nextInt(B64.length())));
    }
    if (length > 0 && random.nextInt(8) == 0) {
      s.setCharAt(random.nextInt(length), random.nextBoolean() ? '+' : '=');
    }
    return NODES.textNode(s.toString());
  }

  private static JsonNode features(Random random) {
    ArrayNode array = NODES.arrayNode();
    String[] pool = {"eof", "identity-v1", "Eof", "1x", "a", "a".repeat(32), "a".repeat(33), "x_y", ""};
    for (int i = random.nextInt(4); i > 0; i--) {
      array.add(pool[random.nextInt(pool.length)]);
    }
    return array;
  }

  private static JsonNode address(Random random) {
    ArrayNode array = NODES.arrayNode();
    int size = random.nextInt(8) == 0 ? random.nextInt(4) : 2;
    for (int i = 0; i < size; i++) {
      array.add(i == 1 ? number(random) : NODES.textNode(randomString(random)));
    }
    return array;
  }

  /** Strings near every limit and with every kind of awkward character. */
  private static String randomString(Random random) {
    String[] pieces = {"a", "Z", "9", " ", "\t", "\n", "\u0000", "\u001f", "\u007f", "\u0085", "\u00a0", "\u00e9",
        "\u2028", "\u3000", "\ufeff", "\ufffe", "\ud83d\ude00", "\ud83d", "localhost", "-", "."};
    int[] lengths = {0, 1, 2, 5, 63, 64, 65, 128, 129, 253, 254, 255, 256};
    int length = lengths[random.nextInt(lengths.length)];
    StringBuilder s = new StringBuilder();
    boolean plain = random.nextBoolean();
    while (s.length() < length) {
      s.append(plain && random.nextInt(20) != 0 ? "a" : pieces[random.nextInt(pieces.length)]);
    }
    return s.toString();
  }
}
