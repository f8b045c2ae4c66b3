package org.p2pchat.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core is pure: no sockets, threads, clocks or randomness, and no other p2pchat module. */
class MeshLayeringTest {
  private static final String[] FORBIDDEN = {"java.net", "java.nio.channels", "Thread", "Executor",
      "System.currentTimeMillis", "System.nanoTime", "Instant.now", "Clock", "Random", "synchronized",
      "org.p2pchat.sdk", "org.p2pchat.schema", "org.p2pchat.peer", "org.p2pchat.server"};

  @Test
  void mainCodeHasNoIoThreadsClocksOrOtherModules() throws IOException {
    List<String> offenders = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
        try {
          String text = Files.readString(p, StandardCharsets.UTF_8);
          for (String word : FORBIDDEN) {
            if (text.contains(word)) {
              offenders.add(p.getFileName() + ": " + word);
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    assertEquals(List.of(), offenders);
  }

  @Test
  void pomDependsOnNoOtherModule() throws IOException {
    String pom = Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8);
    String dependencies = pom.substring(pom.indexOf("<dependencies>"));
    assertEquals(false, dependencies.contains("<groupId>org.p2pchat</groupId>"));
  }
}
