package org.p2pchat.protocol.tool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.p2pchat.protocol.MessageType;

/**
 * docs/protocol.md is generated from the schemas; this test fails when it drifts. Run the build with
 * {@code -Dp2pchat.updateDocs=true} to rewrite it instead.
 */
class ReferenceDocTest {
  private static final Path DOCS = Path.of(System.getProperty("basedir", "."))
      .resolve("../docs/protocol.md").toAbsolutePath().normalize();

  @Test
  void checkedInReferenceMatchesTheSchemas() throws IOException {
    if (!Files.exists(DOCS)) {
      fail(DOCS + " is missing");
    }
    // A checkout with CRLF line endings is still up to date.
    String checkedIn = Files.readString(DOCS, StandardCharsets.UTF_8).replace("\r\n", "\n");
    String generated = ReferenceDoc.splice(checkedIn);
    if (Boolean.getBoolean("p2pchat.updateDocs")) {
      Files.writeString(DOCS, generated, StandardCharsets.UTF_8);
      return;
    }
    if (!checkedIn.equals(generated)) {
      fail(DOCS + " is out of date with the schemas or vectors (first difference at line "
          + firstDifferentLine(checkedIn, generated) + "); refresh it with: " + ReferenceDoc.REFRESH_COMMAND);
    }
  }

  @Test
  void spliceKeepsTheHandWrittenPartAndReplacesOnlyTheMarkedBlock() {
    String doc = "# Rules\n\nhand-written\n\n" + ReferenceDoc.BEGIN + "\nstale\n" + ReferenceDoc.END + "\n\nafter\n";
    String spliced = ReferenceDoc.splice(doc);
    assertTrue(spliced.startsWith("# Rules\n\nhand-written\n\n" + ReferenceDoc.BEGIN + "\n\n# Part 2"));
    assertTrue(spliced.endsWith(ReferenceDoc.END + "\n\nafter\n"));
    assertTrue(!spliced.contains("stale"));
    assertEquals(spliced, ReferenceDoc.splice(spliced));
    assertThrows(IllegalArgumentException.class, () -> ReferenceDoc.splice("# no markers\n"));
  }

  @Test
  void everyTypeHasASectionWithItsDirectionAndItsPlainExample() throws IOException {
    String doc = ReferenceDoc.render();
    for (MessageType type : MessageType.values()) {
      String name = type.schemaResource().substring(type.schemaResource().lastIndexOf('/') + 1).replace(".json", "");
      String example;
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(
          MessageType.SCHEMA_CLASSPATH_BASE + "vectors/valid/" + name + ".2018.json")) {
        example = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      int section = doc.indexOf("\n## " + type.wireName());
      assertTrue(section >= 0, "no section for " + type);
      assertTrue(doc.contains("```json\n" + example + "\n```"), "no example for " + type);
      assertTrue(doc.contains("- Java: `" + type.javaType().getName() + "`"), "no class for " + type);
    }
    assertTrue(doc.contains("| `port` | integer (`port`) | yes | 1 to 65535 |"), "port constraints missing");
    assertTrue(doc.contains("## LISTPEER (request)") && doc.contains("## LISTPEER (reply)"));
    assertTrue(doc.contains("| `invalid/register-port-65536.json` | SCHEMA at `/msgdata/port`: `maximum` |"));
  }

  @Test
  void anchorsFollowGithubHeadingIds() {
    assertEquals("listpeer-request", ReferenceDoc.anchor("LISTPEER (request)"));
    assertEquals("chat_message", ReferenceDoc.anchor("CHAT_MESSAGE"));
  }

  private static int firstDifferentLine(String a, String b) {
    String[] x = a.split("\n", -1);
    String[] y = b.split("\n", -1);
    for (int i = 0; i < Math.min(x.length, y.length); i++) {
      if (!x[i].equals(y[i])) {
        return i + 1;
      }
    }
    return Math.min(x.length, y.length) + 1;
  }
}
