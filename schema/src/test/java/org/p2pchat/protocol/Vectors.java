package org.p2pchat.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The published test vectors, read from the classpath as a third party would read them from the jar. */
final class Vectors {
  static final String BASE = MessageType.SCHEMA_CLASSPATH_BASE;

  /** One manifest entry. Violation fields are null for valid vectors; form and type null for invalid ones. */
  record Vector(String file, boolean valid, String form, MessageType type, String msgtype, String description,
      Violation.Kind kind, String pointer, String keyword, String property) {

    byte[] bytes() {
      return resourceBytes("vectors/" + file);
    }

    JsonNode tree() {
      try {
        return WireJson.mapper().readTree(bytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String toString() {
      return file;
    }
  }

  private static final List<Vector> ALL = load();

  private Vectors() {}

  static List<Vector> all() {
    return ALL;
  }

  static List<Vector> valid() {
    return select(Vector::valid);
  }

  static List<Vector> invalid() {
    return select(v -> !v.valid());
  }

  static List<Vector> validOfForm(String form) {
    return select(v -> v.valid() && form.equals(v.form()));
  }

  static List<Vector> select(Predicate<Vector> filter) {
    return ALL.stream().filter(filter).toList();
  }

  static Vector named(String file) {
    return ALL.stream().filter(v -> v.file().equals(file)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no vector " + file));
  }

  static JsonNode manifest() {
    return resourceTree("vectors/manifest.json");
  }

  static JsonNode resourceTree(String relative) {
    try {
      return WireJson.mapper().readTree(resourceBytes(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] resourceBytes(String relative) {
    try (InputStream in = Vectors.class.getClassLoader().getResourceAsStream(BASE + relative)) {
      if (in == null) {
        throw new IllegalArgumentException("no resource " + BASE + relative);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A resource directory as a path; in tests the resources are plain files under target/classes. */
  static Path resourceDir(String relative) {
    URL url = Vectors.class.getClassLoader().getResource(BASE + relative);
    if (url == null) {
      throw new IllegalArgumentException("no resource directory " + BASE + relative);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<Vector> load() {
    List<Vector> vectors = new ArrayList<>();
    for (JsonNode v : manifest().path("vectors")) {
      JsonNode violation = v.path("violation");
      vectors.add(new Vector(
          v.path("file").asText(),
          v.path("valid").asBoolean(),
          text(v, "form"),
          v.has("type") ? MessageType.valueOf(v.path("type").asText()) : null,
          text(v, "msgtype"),
          v.path("description").asText(),
          violation.has("kind") ? Violation.Kind.valueOf(violation.path("kind").asText()) : null,
          text(violation, "pointer"),
          text(violation, "keyword"),
          text(violation, "property")));
    }
    return List.copyOf(vectors);
  }

  private static String text(JsonNode node, String field) {
    return node.has(field) ? node.path(field).asText() : null;
  }
}
