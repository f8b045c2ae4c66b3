package org.p2pchat.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The runner judges any implementation, so its main code depends on no reference implementation. */
class LayeringTest {
  @Test
  void mainCodeUsesNoReferenceImplementation() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      List<String> offenders = files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> {
            try {
              String text = Files.readString(p, StandardCharsets.UTF_8);
              return text.contains("org.p2pchat.server") || text.contains("org.p2pchat.peer");
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .map(Path::toString).collect(Collectors.toList());
      assertEquals(List.of(), offenders);
    }
  }

  @Test
  void pomHasNoReferenceImplementationOutsideTestScope() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
    for (String artifact : new String[] {"p2pchat-reference-server", "p2pchat-reference-peer"}) {
      int at = pom.indexOf("<artifactId>" + artifact + "</artifactId>");
      if (at >= 0) {
        String rest = pom.substring(at, pom.indexOf("</dependency>", at));
        assertEquals(true, rest.contains("<scope>test</scope>"), artifact + " may only be a test dependency");
      }
    }
  }
}
