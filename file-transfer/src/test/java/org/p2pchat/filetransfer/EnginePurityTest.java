package org.p2pchat.filetransfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layering rule of this module, guarded: the engine is pure logic plus the download store's file I/O. No
 * sockets, threads or clocks (time comes in as arguments), and nothing else of ours.
 */
class EnginePurityTest {
  private static final List<String> FORBIDDEN = List.of("java.net.", "java.util.concurrent", "new Thread",
      "Thread.sleep", "System.nanoTime", "System.currentTimeMillis", "Instant.now", "java.time.Clock",
      "LocalDateTime.now", "org.p2pchat.sdk", "org.p2pchat.protocol", "org.p2pchat.peer", "org.p2pchat.server");

  @Test
  void mainSourcesUseNoSocketsThreadsClocksOrOtherModules() throws IOException {
    Path main = Path.of("src", "main", "java");
    assertTrue(Files.isDirectory(main), "run from the module directory: " + main.toAbsolutePath());
    List<String> hits = new ArrayList<>();
    int files = 0;
    try (Stream<Path> s = Files.walk(main)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".java")).toList()) {
        files++;
        String text = Files.readString(p);
        for (String bad : FORBIDDEN) {
          if (text.contains(bad)) {
            hits.add(main.relativize(p) + " uses " + bad);
          }
        }
      }
    }
    assertTrue(files >= 15, "found only " + files + " source files");
    assertEquals(List.of(), hits);
  }
}
