package org.p2pchat.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering, written down and checked: the SDK knows no application (server, peer, conformance),
 * and nothing at run time depends on the code generator. Reads the compiled classes' constant pools.
 */
class LayeringTest {
  @Test
  void sdkReferencesNoApplication() throws Exception {
    List<String> offenders = classesReferencing(classesDir(Node.class),
        "org/p2pchat/server", "org/p2pchat/peer", "org/p2pchat/conformance", "org/p2pchat/testing");
    assertEquals(List.of(), offenders);
  }

  @Test
  void nothingAtRunTimeDependsOnTheCodeGenerator() throws Exception {
    assertTrue(classesReferencing(classesDir(Node.class), "org/jsonschema2pojo").isEmpty());
    assertTrue(classesReferencing(classesDir(org.p2pchat.protocol.MessageType.class), "org/jsonschema2pojo").isEmpty());
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      assertTrue(!entry.contains("jsonschema2pojo"), "generator on the runtime class path: " + entry);
    }
  }

  static Path classesDir(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  static List<String> classesReferencing(Path root, String... forbidden) throws IOException {
    List<String> offenders = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      // Packaged as a jar in a reactor build: the module's own build checked its classes already.
      return offenders;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".class"))::iterator) {
        String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        for (String name : forbidden) {
          if (text.contains(name)) {
            offenders.add(root.relativize(file) + " -> " + name);
          }
        }
      }
    }
    return offenders;
  }
}
