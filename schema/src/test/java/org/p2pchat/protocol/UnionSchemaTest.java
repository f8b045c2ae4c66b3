package org.p2pchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.p2pchat.protocol.Vectors.Vector;

/**
 * message.json, the one schema a third party can validate a whole message with, checked with the schema
 * library directly (not through MessageValidator) so it stands on its own.
 */
class UnionSchemaTest {
  private static final Schema UNION = SchemaRegistry
      .withDefaultDialect(SpecificationVersion.DRAFT_7, builder -> builder
          .schemaRegistryConfig(SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build())
          .schemaIdResolvers(ids -> ids.mapPrefix(MessageType.SCHEMA_ID_BASE,
              "classpath:" + MessageType.SCHEMA_CLASSPATH_BASE)))
      .getSchema(SchemaLocation.of(MessageType.SCHEMA_ID_BASE + "message.json"));

  private static final JsonNode UNION_JSON = Vectors.resourceTree("message.json");

  static List<Vector> validVectors() {
    return Vectors.valid();
  }

  /** The invalid vectors that are JSON objects: the rest never reach a schema. */
  static List<Vector> schemaLevelInvalidVectors() {
    return Vectors.select(v -> !v.valid()
        && (v.kind() == Violation.Kind.SCHEMA || v.kind() == Violation.Kind.UNKNOWN_TYPE));
  }

  @Test
  void msgtypeEnumListsExactlyTheWireNames() {
    List<String> listed = new ArrayList<>();
    UNION_JSON.path("properties").path("msgtype").path("enum").forEach(n -> listed.add(n.asText()));
    assertEquals(MessageType.wireNames(), listed);
  }

  @Test
  void eachWireNameHasOneBranchReferencingItsTypesSchemas() {
    Map<String, List<String>> branches = new LinkedHashMap<>();
    for (JsonNode branch : UNION_JSON.path("allOf")) {
      if (!branch.has("if")) {
        assertEquals("envelope.json", branch.path("$ref").asText());
        continue;
      }
      String wireName = branch.path("if").path("properties").path("msgtype").path("const").asText();
      List<String> refs = new ArrayList<>();
      collectRefs(branch.path("then"), refs);
      assertEquals(null, branches.put(wireName, refs), "two branches for " + wireName);
    }
    assertEquals(MessageType.wireNames(), new ArrayList<>(branches.keySet()));
    for (MessageType type : MessageType.values()) {
      String ref = type.schemaResource().substring(MessageType.SCHEMA_CLASSPATH_BASE.length());
      assertTrue(branches.get(type.wireName()).contains(ref), type + " is not referenced by its branch");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validVectors")
  void acceptsEveryValidVector(Vector vector) {
    List<Error> errors = UNION.validate(vector.tree());
    assertTrue(errors.isEmpty(), () -> vector + ": " + errors);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("schemaLevelInvalidVectors")
  void rejectsEverySchemaLevelInvalidVector(Vector vector) {
    List<Error> errors = UNION.validate(vector.tree());
    assertFalse(errors.isEmpty(), vector + " was accepted");
    if (vector.kind() == Violation.Kind.SCHEMA) {
      // The same place and rule as MessageValidator reports, reached through the union's branches.
      assertTrue(errors.stream().anyMatch(e -> e.getKeyword().equals(vector.keyword())
              && e.getInstanceLocation().toString().equals(vector.pointer())),
          () -> vector + ": " + errors);
    }
  }

  private static void collectRefs(JsonNode node, List<String> into) {
    if (node.has("$ref")) {
      into.add(node.path("$ref").asText());
    }
    node.forEach(child -> collectRefs(child, into));
  }
}
