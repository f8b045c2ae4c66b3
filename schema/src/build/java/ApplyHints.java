import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Build-time only: copies the published schemas (SOURCE) to OUTPUT and deep-merges the Java hints of
 * HINTS into the copies, so that jsonschema2pojo sees {@code javaType}/{@code existingJavaType} while the
 * published files stay plain draft-07. Run by exec-maven-plugin in generate-sources, as a single-file
 * program: {@code java -cp JACKSON ApplyHints.java SOURCE HINTS OUTPUT}.
 */
public final class ApplyHints {
  public static void main(String[] args) throws IOException {
    Path source = Path.of(args[0]);
    Path output = Path.of(args[2]);
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    JsonNode hints = mapper.readTree(Path.of(args[1]).toFile()).path("files");
    List<Path> schemas;
    try (Stream<Path> walk = Files.walk(source)) {
      schemas = walk.filter(p -> p.toString().endsWith(".json"))
          .filter(p -> !source.relativize(p).startsWith("vectors")).toList();
    }
    for (Map.Entry<String, JsonNode> entry : hints.properties()) {
      if (!Files.isRegularFile(source.resolve(entry.getKey()))) {
        throw new IllegalStateException("hints name a schema that does not exist: " + entry.getKey());
      }
    }
    for (Path schema : schemas) {
      String name = source.relativize(schema).toString().replace('\\', '/');
      JsonNode tree = mapper.readTree(schema.toFile());
      JsonNode hint = hints.get(name);
      if (hint != null) {
        merge((ObjectNode) tree, hint, name);
      }
      Path target = output.resolve(name);
      Files.createDirectories(target.getParent());
      mapper.writeValue(target.toFile(), tree);
    }
  }

  private static void merge(ObjectNode into, JsonNode hint, String where) {
    for (Map.Entry<String, JsonNode> field : hint.properties()) {
      JsonNode existing = into.get(field.getKey());
      if (field.getValue().isObject()) {
        if (existing == null || !existing.isObject()) {
          throw new IllegalStateException(where + ": hint path " + field.getKey() + " is not in the schema");
        }
        merge((ObjectNode) existing, field.getValue(), where + "/" + field.getKey());
      } else {
        into.set(field.getKey(), field.getValue());
      }
    }
  }
}
