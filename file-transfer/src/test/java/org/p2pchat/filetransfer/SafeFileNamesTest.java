package org.p2pchat.filetransfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeFileNamesTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
      "../../etc/passwd | passwd",
      "/etc/passwd | passwd",
      "C:\\x | x",
      "C:x | x",
      "..\\..\\Windows\\system.ini | system.ini",
      "CON | _CON",
      "con.txt | _con.txt",
      "com1 | _com1",
      "LPT9.log | _LPT9.log",
      "CONSOLE.txt | CONSOLE.txt",
      ".. | file",
      ". | file",
      "'' | file",
      "'   ' | file",
      ".bashrc | bashrc",
      "report.pdf. | report.pdf",
      "ab:c*d?.txt | ab_c_d_.txt",
      "a:b.txt | b.txt",
      "photo.jpg | photo.jpg",
      "résumé.pdf | résumé.pdf",
  })
  void sanitizes(String received, String expected) {
    assertEquals(expected, SafeFileNames.sanitize(received));
  }

  @Test
  void dropsNulControlAndInvisibleCharacters() {
    assertEquals("ab", SafeFileNames.sanitize("a\u0000b"));
    assertEquals("ab.txt", SafeFileNames.sanitize("a\nb\t.txt"));
    assertEquals("invoicefdp.exe", SafeFileNames.sanitize("invoice\u202Efdp.exe"), "no bidi override");
    assertEquals("file", SafeFileNames.sanitize("\u0000\u0001"));
    assertEquals("file", SafeFileNames.sanitize(null));
  }

  @Test
  void boundsLengthKeepingTheExtension() {
    String longName = "é".repeat(300) + ".tar.gz";
    String safe = SafeFileNames.sanitize(longName);
    assertTrue(safe.getBytes(StandardCharsets.UTF_8).length <= SafeFileNames.MAX_NAME_BYTES, safe);
    assertTrue(safe.endsWith("é.gz"), safe);
    String noExt = "x".repeat(1000);
    assertEquals(SafeFileNames.MAX_NAME_BYTES, SafeFileNames.sanitize(noExt).length());
    String hugeExt = "a." + "y".repeat(500);
    assertTrue(SafeFileNames.sanitize(hugeExt).length() <= SafeFileNames.MAX_NAME_BYTES);
  }

  @Test
  void everySanitizedNameIsOneComponentInsideTheDirectory() throws Exception {
    for (String hostile : List.of("../../etc/passwd", "/etc/passwd", "C:\\x", "a\u0000b", "CON", "..",
        "\\\\server\\share\\f", "sub/../../up", "~/.ssh/authorized_keys", "nul.tar.gz")) {
      String safe = SafeFileNames.sanitize(hostile);
      Path p = dir.resolve(safe).normalize();
      assertEquals(dir, p.getParent(), hostile);
      assertFalse(safe.contains("/") || safe.contains("\\") || safe.contains("\u0000"), hostile);
      Files.writeString(p, "ok");
    }
  }

  @Test
  void numbersCopiesBeforeTheExtension() {
    assertEquals("name (1).ext", SafeFileNames.numbered("name.ext", 1));
    assertEquals("name (2)", SafeFileNames.numbered("name", 2));
    assertEquals("a.tar (3).gz", SafeFileNames.numbered("a.tar.gz", 3));
    assertEquals("name.ext", SafeFileNames.numbered("name.ext", 0));
  }

  @Test
  void publishNeverOverwrites() throws Exception {
    Files.writeString(dir.resolve("name.ext"), "first");
    Files.writeString(dir.resolve("name (1).ext"), "second");
    Path part = dir.resolve(".name.ext.part");
    Files.writeString(part, "third");
    Path placed = SafeFileNames.publish(part, dir, "name.ext");
    assertEquals(dir.resolve("name (2).ext"), placed);
    assertEquals("first", Files.readString(dir.resolve("name.ext")));
    assertEquals("second", Files.readString(dir.resolve("name (1).ext")));
    assertEquals("third", Files.readString(placed));
    assertFalse(Files.exists(part));
  }

  @Test
  void publishingAMissingFileFailsAndLeavesNothingUnderTheName() throws Exception {
    org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.NoSuchFileException.class,
        () -> SafeFileNames.publish(dir.resolve(".gone.part"), dir, "gone.txt"));
    assertFalse(Files.exists(dir.resolve("gone.txt")));
  }

  @Test
  void concurrentClaimsGetDistinctNames() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Path>> tasks = new java.util.ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int n = i;
        tasks.add(() -> {
          Path part = Files.writeString(dir.resolve(".p" + n + ".part"), "content " + n);
          return SafeFileNames.publish(part, dir, "same.txt");
        });
      }
      Set<Path> names = new HashSet<>();
      Set<String> contents = new HashSet<>();
      for (Future<Path> f : pool.invokeAll(tasks, 30, TimeUnit.SECONDS)) {
        Path p = f.get();
        names.add(p);
        contents.add(Files.readString(p));
      }
      assertEquals(20, names.size());
      assertEquals(20, contents.size(), "no file replaced another");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void createUniqueClaimsTheFirstFreeName() throws Exception {
    assertEquals(dir.resolve("a.txt"), SafeFileNames.createUnique(dir, "a.txt"));
    assertEquals(dir.resolve("a (1).txt"), SafeFileNames.createUnique(dir, "a.txt"));
  }
}
