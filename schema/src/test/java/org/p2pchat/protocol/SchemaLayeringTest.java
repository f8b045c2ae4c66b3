package org.p2pchat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The schema module knows no transport and no code generator: it is data, model and validator only. */
class SchemaLayeringTest {
  @Test
  void schemaModuleKnowsNoTransportNoSdkAndNoGenerator() throws Exception {
    Path root = Path.of(MessageType.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> offenders = new ArrayList<>();
    if (Files.isDirectory(root)) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
          String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
          for (String name : List.of("java/net/Socket", "java/nio/channels", "org/p2pchat/sdk", "org/jsonschema2pojo")) {
            if (text.contains(name)) {
              offenders.add(root.relativize(file) + " -> " + name);
            }
          }
        }
      } catch (IOException e) {
        throw e;
      }
    }
    assertEquals(List.of(), offenders);
  }
}
