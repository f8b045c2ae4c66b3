package org.p2pchat.protocol.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/p2pchat validate, run in-process with its streams injected. */
class ValidateMainTest {
  private static final String REGISTER = "{\"msgtype\": \"REGISTER\", \"msgdata\": "
      + "{\"peername\": \"patchouli\", \"host\": \"localhost\", \"port\": 40000}}";

  @TempDir
  Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(InputStream stdin, String... args) {
    return ValidateMain.run(args, stdin, new PrintWriter(out), new PrintWriter(err));
  }

  private int run(String... args) {
    return run(InputStream.nullInputStream(), args);
  }

  private List<String> outLines() {
    return out.toString().isEmpty() ? List.of() : Arrays.asList(out.toString().split("\\R"));
  }

  private String file(String name, String content) throws IOException {
    return file(name, content.getBytes(StandardCharsets.UTF_8));
  }

  private String file(String name, byte[] content) throws IOException {
    Path path = dir.resolve(name);
    Files.write(path, content);
    return path.toString();
  }

  @Test
  void validFilesPrintOkAndExitZero() throws IOException {
    String a = file("register.json", REGISTER);
    String b = file("success.json", "{\"msgtype\":\"REGISTER_SUCCESS\",\"msgdata\":{}}");
    assertEquals(0, run("validate", a, b));
    assertEquals(List.of(a + ": OK", b + ": OK"), outLines());
    assertEquals("", err.toString());
  }

  @Test
  void invalidFilePrintsOneLinePerViolationWithItsPointerAndExitsOne() throws IOException {
    String bad = file("bad.json", REGISTER.replace("\"patchouli\"", "\"\"").replace("40000", "65536"));
    assertEquals(1, run("validate", bad));
    assertEquals(List.of(
        bad + ": /msgdata/peername: minLength: must be at least 1 characters long",
        bad + ": /msgdata/peername: pattern: does not match the regex pattern ^[^\\u0000-\\u001F\\u007F]+$",
        bad + ": /msgdata/port: maximum: must have a maximum value of 65535"), outLines());
  }

  @Test
  void oneInvalidAmongValidFilesExitsOneAndReportsEveryFile() throws IOException {
    String good = file("good.json", REGISTER);
    String bad = file("bad.json", "[]");
    assertEquals(1, run("validate", good, bad, good));
    assertEquals(List.of(good + ": OK", bad + ": (root): type: array found, object expected", good + ": OK"),
        outLines());
  }

  @Test
  void missingFileExitsTwoWithAClearMessageAndStillChecksTheOthers() throws IOException {
    String good = file("good.json", REGISTER);
    String missing = dir.resolve("missing.json").toString();
    assertEquals(2, run("validate", missing, good));
    assertEquals("validate: cannot read " + missing + ": no such file", err.toString().strip());
    assertEquals(List.of(good + ": OK"), outLines());
  }

  @Test
  void missingFileOutranksAnInvalidOne() throws IOException {
    String bad = file("bad.json", "{");
    assertEquals(2, run("validate", bad, dir.resolve("missing.json").toString()));
  }

  @Test
  void directoryIsAnIoErrorExitingTwo() {
    assertEquals(2, run("validate", dir.toString()));
    assertTrue(err.toString().contains("cannot read " + dir + ": is a directory"), err.toString());
  }

  @Test
  void dashReadsOneMessageFromStandardInput() {
    InputStream stdin = new ByteArrayInputStream("{\"msgtype\":\"CHAT_MESSAGE\",\"msgdata\":{\"peername\":\"alice\",\"message\":\"你好\"}}"
        .getBytes(StandardCharsets.UTF_8));
    assertEquals(0, run(stdin, "validate", "-"));
    assertEquals(List.of("(stdin): OK"), outLines());
  }

  @Test
  void invalidStandardInputExitsOne() {
    InputStream stdin = new ByteArrayInputStream(new byte[] {'{', '"', (byte) 0xFF, '"', '}'});
    assertEquals(1, run(stdin, "validate", "-"));
    assertEquals(List.of("(stdin): (root): encoding: input is not valid UTF-8 (first bad byte near offset 2)"), outLines());
  }

  @Test
  void maxBytesRejectsLargerMessagesFromFilesAndStandardInput() throws IOException {
    String register = file("register.json", REGISTER);
    int size = REGISTER.length();
    InputStream stdin = new ByteArrayInputStream(REGISTER.getBytes(StandardCharsets.UTF_8));
    assertEquals(1, run(stdin, "validate", "--max-bytes", "50", register, "-"));
    assertEquals(List.of(
        register + ": (root): maxBytes: message is " + size + " bytes, over the limit of 50",
        "(stdin): (root): maxBytes: message is " + size + " bytes, over the limit of 50"), outLines());
  }

  @Test
  void maxBytesOutOfRangeIsAUsageError() throws IOException {
    assertEquals(2, run("validate", "--max-bytes", "1", file("r.json", REGISTER)));
    assertTrue(err.toString().contains("--max-bytes must be from 2 to"), err.toString());
    assertEquals(List.of(), outLines());
  }

  @Test
  void noFileIsAUsageErrorExitingTwo() {
    assertEquals(2, run("validate"));
    assertTrue(err.toString().contains("Missing required parameter: 'FILE'"), err.toString());
    assertTrue(err.toString().contains("Usage: p2pchat validate"), err.toString());
  }

  @Test
  void unknownOptionIsAUsageErrorExitingTwo() {
    assertEquals(2, run("validate", "--strict", "x.json"));
    assertTrue(err.toString().contains("Unknown option: '--strict'"), err.toString());
  }

  @Test
  void missingCommandIsAUsageErrorExitingTwo() {
    assertEquals(2, run());
    assertTrue(err.toString().contains("Missing required command"), err.toString());
  }

  @Test
  void helpDescribesTheCommandAndItsExitCodesAndExitsZero() {
    assertEquals(0, run("validate", "--help"));
    String help = out.toString();
    assertTrue(help.startsWith("Usage: p2pchat validate [-h] [--max-bytes=N] FILE..."), help);
    for (String expected : List.of("- reads standard input", "0   every message is valid",
        "1   some message is invalid", "2   usage error, or a file could not be read")) {
      assertTrue(help.contains(expected), "help lacks '" + expected + "':\n" + help);
    }
  }

  @Test
  void fileNamedLikeAnArgumentsFileIsReadAsAFile() throws IOException {
    String at = file("@args.json", REGISTER);
    assertEquals(0, run("validate", at));
    assertEquals(List.of(at + ": OK"), outLines());
  }

  @Test
  void everyPublishedVectorGetsTheCliExitCodeItsManifestImplies() throws Exception {
    // The published vectors as files: the schema module's sources (its jar, on this class path, is a zip).
    Path vectors = Path.of(System.getProperty("basedir", ".")).resolve(
        "../schema/src/main/resources/p2pchat/schema/v1/vectors").toAbsolutePath().normalize();
    List<String> valid = new ArrayList<>();
    List<String> invalid = new ArrayList<>();
    try (var files = Files.list(vectors.resolve("valid"))) {
      files.forEach(f -> valid.add(f.toString()));
    }
    try (var files = Files.list(vectors.resolve("invalid"))) {
      files.forEach(f -> invalid.add(f.toString()));
    }
    assertEquals(0, run(prepend("validate", valid)), out.toString());
    assertEquals(valid.size(), outLines().stream().filter(l -> l.endsWith(": OK")).count());
    for (String file : invalid) {
      out.getBuffer().setLength(0);
      assertEquals(1, run("validate", file), file);
      assertTrue(outLines().stream().allMatch(l -> l.startsWith(file + ": ") && !l.endsWith(": OK")), out.toString());
    }
  }

  private static String[] prepend(String first, List<String> rest) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all.toArray(String[]::new);
  }
}
