package org.p2pchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The registry and the schema files agree: adding a type means a schema file plus one enum line. */
class MessageTypeTest {
  @Test
  void everySchemaFileHasAMessageTypeAndEveryTypeASchemaFile() throws IOException {
    Set<String> files;
    try (Stream<Path> list = Files.list(Vectors.resourceDir("messages"))) {
      files = list.map(p -> "messages/" + p.getFileName()).collect(Collectors.toCollection(TreeSet::new));
    }
    Set<String> registered = Arrays.stream(MessageType.values())
        .map(t -> t.schemaResource().substring(Vectors.BASE.length()))
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(files, registered);
    assertEquals(MessageType.values().length, registered.size(), "two types share a schema file");
  }

  @ParameterizedTest
  @EnumSource(MessageType.class)
  void schemaAndCatalogueDeclareTheTypesIdWireNameAndDirection(MessageType type) {
    String file = type.schemaResource().substring(Vectors.BASE.length());
    JsonNode schema = Vectors.resourceTree(file);
    JsonNode meta = catalogueEntry(file);
    assertEquals("http://json-schema.org/draft-07/schema#", schema.path("$schema").asText());
    assertEquals(type.schemaId(), schema.path("$id").asText());
    assertEquals(type.wireName(), meta.path("msgtype").asText());
    assertEquals(type.javaType().getSimpleName(), schema.path("title").asText());
    assertTrue(Set.of("peer->server", "server->peer", "peer->peer").contains(meta.path("direction").asText()),
        "direction " + meta.path("direction"));
    assertTrue(meta.path("since").isInt() && meta.path("since").asInt() >= 1, "since " + meta.path("since"));
    assertEquals("object", schema.path("type").asText());
    assertTrue(schema.path("description").asText().contains("Unknown extra fields are allowed"),
        "the description must document that unknown fields are allowed");
    assertTrue(!schema.has("additionalProperties") || schema.path("additionalProperties").asBoolean(),
        "unknown fields must stay allowed");
  }

  @Test
  void catalogueListsEverySchemaOnce() {
    List<String> listed = new ArrayList<>();
    Vectors.resourceTree("catalog.json").path("messages").forEach(m -> listed.add(m.path("schema").asText()));
    List<String> expected = Arrays.stream(MessageType.values())
        .map(t -> t.schemaResource().substring(Vectors.BASE.length())).toList();
    assertEquals(expected, listed);
  }

  /** Published schemas are plain draft-07: generator hints and our metadata live elsewhere. */
  @Test
  void publishedSchemasCarryNoNonStandardKeyword() throws IOException {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(Vectors.resourceDir("messages").getParent())) {
      for (Path p : walk.filter(f -> f.toString().endsWith(".json") && !f.toString().contains("vectors")).toList()) {
        String text = Files.readString(p);
        for (String word : List.of("\"x-", "\"javaType\"", "\"existingJavaType\"")) {
          if (text.contains(word)) {
            offenders.add(p.getFileName() + " has " + word);
          }
        }
      }
    }
    assertEquals(List.of(), offenders);
  }

  private static JsonNode catalogueEntry(String file) {
    for (JsonNode m : Vectors.resourceTree("catalog.json").path("messages")) {
      if (m.path("schema").asText().equals(file)) {
        return m;
      }
    }
    throw new AssertionError(file + " is not in catalog.json");
  }

  @Test
  void wireNamesAreEachListedOnceInDeclarationOrder() {
    List<String> names = MessageType.wireNames();
    assertEquals(names.size(), Set.copyOf(names).size());
    assertEquals("REGISTER", names.get(0));
    assertEquals(MessageType.values().length - 1, names.size(), "only LISTPEER is shared by two types");
    for (MessageType type : MessageType.values()) {
      assertTrue(MessageType.isKnown(type.wireName()));
      assertEquals(type, MessageType.forClass(type.javaType()));
    }
  }
}
